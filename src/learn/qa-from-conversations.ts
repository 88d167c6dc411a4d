import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  type Citation,
  conversations,
  customers,
  type Message,
  messages,
  type QaTranscriptTurn,
} from '../db/schema/index.ts';
import { isAbstention } from './answer-eval.ts';
import { PiiScrubber } from './pii.ts';
import type { QaCandidate } from './qa-candidate.ts';
import type { EarlierTurn, QuestionRewriter } from './standalone-question.ts';

/** A tool call as the agent stores it in an answer's parts. */
interface StoredToolPart {
  type: 'tool';
  name: string;
  input: unknown;
  output: unknown;
}

// Staff replies (the inbox) answer customers like the assistant does; for training they are assistant turns.
const answering = new Set(['assistant', 'staff']);

function toolParts(message: Message): StoredToolPart[] {
  return (message.parts as Partial<StoredToolPart>[]).filter(
    (p): p is StoredToolPart => p?.type === 'tool' && typeof p.name === 'string',
  );
}

/**
 * Proposes one pair per resolved conversation: the customer's question that the final answer resolved (made
 * stand-alone from the earlier turns), the answer that resolved it (a staff reply counts), its citations, and
 * the transcript up to it with its tool calls, all with the customer's personal data replaced.
 * Conversations whose message was already turned into a pair (`skipKeys`), rated 1-2, or ending in an
 * abstention are skipped.
 */
export async function pairsFromConversations(
  db: Db,
  rewrite: QuestionRewriter,
  skipKeys: Set<string>,
): Promise<QaCandidate[]> {
  const resolved = await db
    .select({
      id: conversations.id,
      title: conversations.title,
      rating: conversations.rating,
      customerName: customers.name,
    })
    .from(conversations)
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.status, 'resolved'))
    .orderBy(asc(conversations.createdAt));
  const candidates: QaCandidate[] = [];
  for (let i = 0; i < resolved.length; i += 200) {
    const batch = resolved.slice(i, i + 200);
    const rows = await db
      .select()
      .from(messages)
      .where(
        inArray(
          messages.conversationId,
          batch.map((c) => c.id),
        ),
      )
      .orderBy(asc(messages.createdAt));
    for (const conversation of batch) {
      if (conversation.rating !== null && conversation.rating <= 2) continue;
      const turns = rows.filter((m) => m.conversationId === conversation.id);
      const candidate = await pairFromTurns(conversation, turns, rewrite, skipKeys);
      if (candidate) candidates.push(candidate);
    }
  }
  return candidates;
}

async function pairFromTurns(
  conversation: { id: string; title: string | null; customerName: string | null },
  turns: Message[],
  rewrite: QuestionRewriter,
  skipKeys: Set<string>,
): Promise<QaCandidate | undefined> {
  const answerAt = turns.findLastIndex((m) => answering.has(m.role) && m.content.trim());
  if (answerAt < 0) return undefined;
  const answer = turns[answerAt]!;
  const sourceKey = `conversation:${answer.id}`;
  if (skipKeys.has(sourceKey)) return undefined;
  const questionAt = turns.slice(0, answerAt).findLastIndex((m) => m.role === 'user' && m.content.trim());
  if (questionAt < 0) return undefined;
  const citations = answer.citations as Citation[];
  if (isAbstention({ answer: answer.content, citedFiles: citations.map((c) => c.source) })) return undefined;

  const scrubber = new PiiScrubber([conversation.customerName]);
  const earlier: EarlierTurn[] = turns
    .slice(0, questionAt)
    .filter((m) => (m.role === 'user' || answering.has(m.role)) && m.content.trim())
    .map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', content: scrubber.scrub(m.content) }));
  const asked = scrubber.scrub(turns[questionAt]!.content.trim());
  const question = scrubber.scrub(await rewrite(earlier, asked));

  const transcript: QaTranscriptTurn[] = [];
  for (const m of turns.slice(0, answerAt + 1)) {
    const isAnswer = m === answer;
    if (m.role === 'user' && m.content.trim())
      transcript.push({ role: 'user', content: scrubber.scrub(m.content) });
    if (!answering.has(m.role)) continue;
    const calls = toolParts(m);
    if (calls.length) {
      transcript.push({
        role: 'tool_call',
        calls: calls.map((c) => ({
          name: c.name,
          input: scrubber.scrubValue(c.input),
          output: scrubber.scrubValue(c.output),
        })),
      });
    }
    // The resolving answer is the pair's answer (staff may edit it); it is not repeated in the transcript.
    if (!isAnswer && m.content.trim())
      transcript.push({ role: 'assistant', content: scrubber.scrub(m.content) });
  }
  // `staff` is not in the role enum until the inbox lands; compare as a string.
  const staffAnswer = (answer.role as string) === 'staff';
  return {
    question,
    answer: scrubber.scrub(answer.content.trim()),
    sourceType: 'conversation',
    sourceId: conversation.id,
    sourceKey,
    sourceLabel: `conversation ${conversation.id.slice(0, 8)}${conversation.title ? `: ${scrubber.scrub(conversation.title)}` : ''}`,
    citations,
    transcript,
    generator: question === asked ? 'conversation' : 'conversation+standalone',
    quality: staffAnswer ? 0.9 : citations.length ? 0.85 : toolParts(answer).length ? 0.75 : 0.6,
  };
}
