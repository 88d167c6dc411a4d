import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import type { Citation } from '../../db/schema/index.ts';
import { contentTerms } from '../text.ts';

/**
 * What resolved conversations teach: the words customers used for a question, and the passages (document and
 * section) whose answer resolved it. A new question in the same words is extra evidence for those passages,
 * even when the passage words it differently ("my buds keep cutting out" → the audio dropouts section).
 */
interface Lesson {
  terms: Set<string>;
  /** `documentId\nheading` of each cited passage. */
  places: string[];
}

interface Lessons {
  expires: number;
  byTerm: Map<string, Lesson[]>;
}

// Conversations are resolved a few at a time; minutes of staleness cost nothing.
const ttlMs = 5 * 60_000;
// The most recent resolved conversations are read; older lessons are usually about older documents.
const conversationsRead = 1000;
const emptyTtlMs = 30_000;
const cache = new WeakMap<Db, Lessons>();

/** Drops this process's cached lessons, e.g. right after a conversation is marked resolved. */
export function forgetLessons(db: Db): void {
  cache.delete(db);
}

/** The key a passage is learned under: its document and section, which survive re-ingesting a new version. */
export function placeKey(documentId: string, heading: string): string {
  return `${documentId}\n${heading}`;
}

async function lessons(db: Db): Promise<Lessons> {
  const cached = cache.get(db);
  if (cached && cached.expires > Date.now()) return cached;
  const rows = await queryRows<{
    conversation_id: string;
    role: string;
    content: string;
    citations: Citation[];
  }>(
    db,
    sql`SELECT m.conversation_id, m.role, m.content, m.citations
        FROM messages m
        JOIN (SELECT id FROM conversations WHERE status = 'resolved'
              ORDER BY updated_at DESC LIMIT ${conversationsRead}) c ON c.id = m.conversation_id
        WHERE m.role IN ('user', 'assistant')
        ORDER BY m.conversation_id, m.created_at`,
  );
  const byTerm = new Map<string, Lesson[]>();
  let question: { conversation: string; text: string } | undefined;
  for (const row of rows) {
    if (row.role === 'user') {
      question = { conversation: row.conversation_id, text: row.content };
      continue;
    }
    const citations = Array.isArray(row.citations) ? row.citations : [];
    if (!question || question.conversation !== row.conversation_id || citations.length === 0) continue;
    const lesson = {
      terms: contentTerms(question.text),
      places: [...new Set(citations.map((c) => placeKey(c.documentId, c.heading)))],
    };
    for (const term of lesson.terms) byTerm.set(term, [...(byTerm.get(term) ?? []), lesson]);
    question = undefined;
  }
  // A new installation has nothing to learn yet: look again soon, so its first lessons count within seconds.
  const fresh = { expires: Date.now() + (byTerm.size > 0 ? ttlMs : emptyTtlMs), byTerm };
  cache.set(db, fresh);
  return fresh;
}

/**
 * Evidence from resolved conversations for the places (document and section) that answered questions like
 * this one: per place, the rarity-weighted share of the question's terms that an earlier, resolved question
 * shared, when that earlier question was mostly made of them too. 0..1; places without lessons are absent.
 */
export async function learnedEvidence(db: Db, terms: Map<string, number>): Promise<Map<string, number>> {
  const { byTerm } = await lessons(db);
  const evidence = new Map<string, number>();
  if (byTerm.size === 0) return evidence;
  const total = [...terms.values()].reduce((a, b) => a + b, 0);
  const candidates = new Set([...terms.keys()].flatMap((t) => byTerm.get(t) ?? []));
  for (const lesson of candidates) {
    let shared = 0;
    let count = 0;
    for (const [term, idf] of terms)
      if (lesson.terms.has(term)) {
        shared += idf;
        count++;
      }
    // An earlier question that only touches one of its several words is about something else.
    const focus = Math.min(1, (2 * count) / Math.max(1, lesson.terms.size));
    const score = total > 0 ? (shared / total) * focus : 0;
    for (const place of lesson.places) evidence.set(place, Math.max(evidence.get(place) ?? 0, score));
  }
  return evidence;
}
