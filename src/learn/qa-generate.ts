import type { LanguageModel } from 'ai';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { products, qaPairs } from '../db/schema/index.ts';
import { compareCandidates, type QaCandidate, type QaSourceType } from './qa-candidate.ts';
import { mergeNearDuplicates } from './qa-dedupe.ts';
import { pairsFromConversations } from './qa-from-conversations.ts';
import { pairsFromDocuments } from './qa-from-documents.ts';
import { pairsFromSolutions } from './qa-from-solutions.ts';
import { llmRewriter, ruleRewriter } from './standalone-question.ts';

export const qaSources = ['conversations', 'solutions', 'docs'] as const;
export type QaSourceName = (typeof qaSources)[number];

export interface QaGenerateDeps {
  db: Db;
  /** A language model for stand-alone questions and document questions; rules are used without one. */
  model?: { model: LanguageModel; id: string } | undefined;
}

export interface QaGenerateReport {
  /** Candidates proposed by the sources (new source items only). */
  considered: number;
  /** New draft pairs stored. */
  created: number;
  /** Existing drafts replaced by a better-sourced near-duplicate. */
  replaced: number;
  /** Candidates dropped as near-duplicates of a stored pair or of a better candidate. */
  duplicates: number;
  /** New drafts per source. */
  bySource: Record<QaSourceType, number>;
  /** The ids of the new and replaced drafts. */
  ids: string[];
}

/**
 * Proposes Q&A pairs (status `draft`) from resolved conversations, approved solutions and documents, with
 * personal data replaced by placeholders. Near-duplicate questions (normalised token Jaccard ≥ 0.75) are merged,
 * keeping the better-sourced pair; a draft already stored is replaced when a better-sourced duplicate arrives,
 * reviewed pairs never are. Running it again only proposes what is new.
 */
export async function generateQaPairs(
  deps: QaGenerateDeps,
  from: readonly QaSourceName[] = qaSources,
): Promise<QaGenerateReport> {
  const { db, model } = deps;
  const existing = await db
    .select({
      id: qaPairs.id,
      question: qaPairs.question,
      status: qaPairs.status,
      quality: qaPairs.quality,
      sourceKey: qaPairs.sourceKey,
    })
    .from(qaPairs);
  const skipKeys = new Set(existing.flatMap((p) => (p.sourceKey ? [p.sourceKey] : [])));
  const productNames = (await db.select({ name: products.name }).from(products)).map((p) => p.name);
  const rewrite = model ? llmRewriter(model.model, productNames) : ruleRewriter(productNames);

  const candidates: QaCandidate[] = [];
  if (from.includes('solutions')) candidates.push(...(await pairsFromSolutions(db, skipKeys)));
  if (from.includes('conversations'))
    candidates.push(...(await pairsFromConversations(db, rewrite, skipKeys)));
  if (from.includes('docs')) candidates.push(...(await pairsFromDocuments(db, model, skipKeys)));

  const { kept, duplicates } = mergeNearDuplicates(candidates, existing, compareCandidates);
  const replacements = duplicates.filter(
    (d): d is { candidate: QaCandidate; of: (typeof existing)[number] } =>
      'status' in d.of && d.of.status === 'draft' && (d.of.quality ?? 0) < d.candidate.quality,
  );
  // Several candidates may duplicate one draft: the best of them replaces it.
  const bestFor = new Map<string, QaCandidate>();
  for (const r of replacements) {
    const current = bestFor.get(r.of.id);
    if (!current || compareCandidates(r.candidate, current) > 0) bestFor.set(r.of.id, r.candidate);
  }

  const bySource: Record<QaSourceType, number> = { conversation: 0, solution: 0, document: 0 };
  const ids: string[] = [];
  await db.transaction(async (tx) => {
    if (kept.length) {
      const inserted = await tx
        .insert(qaPairs)
        .values(kept.map((c) => ({ ...c, status: 'draft' as const })))
        .onConflictDoNothing({ target: qaPairs.sourceKey })
        .returning({ id: qaPairs.id, sourceType: qaPairs.sourceType });
      for (const row of inserted) {
        bySource[row.sourceType]++;
        ids.push(row.id);
      }
    }
    for (const [id, c] of bestFor) {
      await tx
        .update(qaPairs)
        .set({ ...c, updatedAt: new Date() })
        .where(eq(qaPairs.id, id));
      ids.push(id);
    }
  });
  return {
    considered: candidates.length,
    created: ids.length - bestFor.size,
    replaced: bestFor.size,
    duplicates: duplicates.length - bestFor.size,
    bySource,
    ids,
  };
}
