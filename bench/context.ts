/**
 * Retrieval recall@5 for the last turn of a conversation, with history handling against without, on the
 * MTRAG IBM Cloud tasks that have a history and relevant passages.
 *
 *   npx tsx bench/context.ts
 *
 * The corpus is ingested into a fresh PGlite with `ingestInputs` (Parley's default chunking), then each task's
 * last question is searched (limit 50, as `parley eval retrieval`) as: (a) the question alone, (b) the
 * deterministic `rewriteFollowUp` of the question and the history, (c) the reciprocal-rank fusion of the file
 * rankings of (a) and (b). The dataset's human rewrite is searched too, as a ceiling. Files are ranked by their
 * best chunk, duplicates dropped, and recall@k counted as src/knowledge/evaluate.ts does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFollowUp, rewriteFollowUp, type Turn } from '../src/agent/models/offline/follow-up.ts';
import { loadConfig } from '../src/config.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ingestInputs } from '../src/knowledge/ingest.ts';
import { searchKnowledge } from '../src/knowledge/search.ts';
import { createBenchDatabase } from './database.ts';
import { describeEnvironment } from './environment.ts';
import { markdownTable, mean, round } from './stats.ts';

const dataDir = fileURLToPath(new URL('../../shared/data/mtrag-ibmcloud/', import.meta.url));
const rrfK = 60;
// The rewrite's ranking counts a little less than the customer's own words: it borrows words that may be stale.
const rewriteWeight = 0.7;

interface Task {
  task_id: string;
  question: string;
  history: { role: 'user' | 'agent'; text: string }[];
  qrels_passage_ids: string[];
  multi_turn: string[];
}

const readJsonl = async <T>(file: string): Promise<T[]> =>
  (await fs.readFile(path.join(dataDir, file), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

/** Files ranked by reciprocal-rank fusion of several weighted rankings. */
function fuseRankings(rankings: { files: string[]; weight: number }[]): string[] {
  const score = new Map<string, number>();
  for (const { files, weight } of rankings) {
    files.forEach((f, i) => score.set(f, (score.get(f) ?? 0) + weight / (rrfK + i + 1)));
  }
  return [...score.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
}

/** Per query, as src/knowledge/evaluate.ts counts recall@k: 1 when a relevant file is in the top k. */
const hitAt = (k: number) => (ranked: string[], relevant: Set<string>) =>
  ranked.slice(0, k).some((f) => relevant.has(f)) ? 1 : 0;
/** The stricter reading: the share of the relevant files in the top k. */
const shareAt = (k: number) => (ranked: string[], relevant: Set<string>) =>
  ranked.slice(0, k).filter((f) => relevant.has(f)).length / relevant.size;
const metrics = [
  { title: 'recall@5 (a relevant file in the top 5, as `parley eval retrieval`)', score: hitAt(5) },
  { title: 'recall@10 (a relevant file in the top 10)', score: hitAt(10) },
  { title: 'share of the relevant files in the top 5', score: shareAt(5) },
];

console.error(JSON.stringify(describeEnvironment()));
const config = loadConfig({}, {});
const database = await createBenchDatabase('pglite', 'context');
const deps = { db: database.db, embedder: new LocalEmbedder() };
const strategies = [
  'last turn alone',
  'rewriteFollowUp',
  'RRF(alone, rewrite ×0.7)',
  'human rewrite (ceiling)',
];
/** scores[metric][strategy] */
type Scored = { task: Task; followUp: boolean; scores: number[][] };
const scored: Scored[] = [];
try {
  const report = await ingestInputs(deps, [path.join(dataDir, 'corpus')], {
    maxFileBytes: config.ingest.maxFileBytes,
    fetchTimeoutMs: config.ingest.fetchTimeoutMs,
    chunk: { maxTokens: config.ingest.chunkTokens, overlapTokens: config.ingest.overlapTokens },
  });
  console.error(
    JSON.stringify({ documents: report.results.length, chunks: report.chunks, failed: report.failed }),
  );
  const humanRewrite = new Map(
    (await readJsonl<{ id: string; query: string }>('queries-rewrite.jsonl')).map((q) => [q.id, q.query]),
  );
  const rankFiles = async (query: string) => {
    const hits = await searchKnowledge(deps, query, { limit: 50 });
    return [...new Set(hits.map((h) => path.basename(h.source)))];
  };
  const tasks = (await readJsonl<Task>('tasks.jsonl')).filter(
    (t) => t.history.length > 0 && t.qrels_passage_ids.length > 0,
  );
  for (const task of tasks) {
    const history: Turn[] = task.history.map((h) => ({
      role: h.role === 'agent' ? 'assistant' : 'user',
      text: h.text,
    }));
    const alone = await rankFiles(task.question);
    const rewritten = await rankFiles(rewriteFollowUp(task.question, history));
    const fused = fuseRankings([
      { files: alone, weight: 1 },
      { files: rewritten, weight: rewriteWeight },
    ]);
    const human = await rankFiles(humanRewrite.get(task.task_id) ?? task.question);
    const relevant = new Set(task.qrels_passage_ids.map((id) => `${id}.md`));
    const rankings = [alone, rewritten, fused, human];
    scored.push({
      task,
      followUp: isFollowUp(task.question),
      scores: metrics.map((m) => rankings.map((r) => m.score(r, relevant))),
    });
  }
} finally {
  await database.destroy();
}

const subsets: [string, (s: Scored) => boolean][] = [
  ['all tasks with history', () => true],
  ['multi_turn = Follow-up', (s) => s.task.multi_turn.includes('Follow-up')],
  ['multi_turn = Clarification', (s) => s.task.multi_turn.includes('Clarification')],
  ['isFollowUp(question) (rewritten)', (s) => s.followUp],
  ['not isFollowUp (left as is)', (s) => !s.followUp],
];
const table = (metric: number) =>
  markdownTable(
    subsets.map(([name, keep]) => {
      const rows = scored.filter(keep);
      return {
        subset: name,
        n: rows.length,
        ...Object.fromEntries(
          strategies.map((s, i) => [s, round(mean(rows.map((r) => r.scores[metric]![i]!)), 3)]),
        ),
      };
    }),
  );
console.log(`Last-turn retrieval on ${scored.length} MTRAG IBM Cloud tasks with history (search limit 50)`);
metrics.forEach((m, i) => console.log(`\n${m.title}\n\n${table(i)}`));
