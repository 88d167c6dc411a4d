import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command } from 'commander';
import { createAgentDeps } from '../agent/setup.ts';
import { evaluateRetrieval, readEvalQueries } from '../knowledge/evaluate.ts';
import { ingestInputs } from '../knowledge/ingest.ts';
import { searchKnowledge } from '../knowledge/search.ts';
import { agentAnswerer } from '../learn/agent-answerer.ts';
import {
  type AnswerDetail,
  type AnswerMetrics,
  evaluateAnswers,
  readAnswerQueries,
  readUnanswerable,
} from '../learn/answer-eval.ts';
import { ingestSettings, type Runtime, withRuntime } from './runtime.ts';

interface RetrievalEvalOptions {
  queries?: string;
  details?: string;
  json?: boolean;
  dataDir?: string;
}

interface AnswerEvalOptions {
  queries?: string;
  limit?: string;
  json?: boolean;
  unanswerable?: string;
  details?: string;
  dataDir?: string;
}

export function registerEval(program: Command): void {
  const evalCmd = program.command('eval').description('Measure quality');
  evalCmd
    .command('retrieval')
    .description(
      'Ingest <set-dir>/corpus and report document-level recall@1/5/10 and MRR@10 over its queries',
    )
    .argument('<set-dir>', 'an eval set: corpus/*.md and queries.jsonl')
    .option('--queries <file>', 'queries file (default <set-dir>/queries.jsonl)')
    .option('--details <file>', "write one JSON line per query (its relevant files' ranks, the top files)")
    .option('--json', 'print one JSON object')
    .option('--data-dir <dir>', 'database directory to ingest into (default ./.parley)')
    .action(async (setDir: string, opts: RetrievalEvalOptions) => {
      const corpus = path.join(setDir, 'corpus');
      const queriesFile = opts.queries ?? path.join(setDir, 'queries.jsonl');
      if (!fs.existsSync(corpus)) throw new Error(`${corpus}: no corpus folder in this eval set`);
      const queries = await readEvalQueries(queriesFile);
      await withRuntime(opts, async ({ config, database, embedder }) => {
        const deps = { db: database.db, embedder };
        const report = await ingestInputs(deps, [corpus], ingestSettings(config));
        if (report.failed > 0 && !opts.json) console.error(`${report.failed} corpus files failed to ingest`);
        const details: string[] = [];
        const metrics = await evaluateRetrieval(queries, (q) => searchKnowledge(deps, q, { limit: 50 }), {
          onDetail: (d) => details.push(`${JSON.stringify(d)}\n`),
        });
        if (opts.details) fs.writeFileSync(opts.details, details.join(''));
        if (opts.json) console.log(JSON.stringify(metrics));
        else {
          console.log(`Queries: ${metrics.n}  (${path.basename(queriesFile)})`);
          console.log(`recall@1  ${metrics.recall_at_1.toFixed(3)}`);
          console.log(`recall@5  ${metrics.recall_at_5.toFixed(3)}`);
          console.log(`recall@10 ${metrics.recall_at_10.toFixed(3)}`);
          console.log(`MRR@10    ${metrics.mrr_at_10.toFixed(3)}`);
          console.log(`${metrics.ms_per_query} ms per query`);
        }
      });
    });

  evalCmd
    .command('answers')
    .description(
      'Ingest <set-dir>/corpus, ask each query as a new conversation, and score the answers against the ' +
        'reference answers: token recall/precision/F1, citing a relevant file, abstention',
    )
    .argument('<set-dir>', 'an eval set: corpus/*.md and queries.jsonl with an "answer" per query')
    .option('--queries <file>', 'queries file (default <set-dir>/queries.jsonl)')
    .option('--limit <n>', 'ask only the first N queries (and first N unanswerable ones)')
    .option(
      '--unanswerable <file>',
      'JSONL of {id, query} the corpus does not cover: report their abstention',
    )
    .option('--details <file>', 'write one JSON line per question (answer, citations, scores)')
    .option('--json', 'print one JSON object')
    .option('--data-dir <dir>', 'database directory to ingest into (default: a fresh temporary one)')
    .action(async (setDir: string, opts: AnswerEvalOptions) => {
      const corpus = path.join(setDir, 'corpus');
      const queriesFile = opts.queries ?? path.join(setDir, 'queries.jsonl');
      if (!fs.existsSync(corpus)) throw new Error(`${corpus}: no corpus folder in this eval set`);
      const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
      if (!(limit > 0)) throw new Error('--limit must be a positive number');
      const queries = (await readAnswerQueries(queriesFile)).slice(0, limit);
      const unanswerable = opts.unanswerable
        ? (await readUnanswerable(opts.unanswerable)).slice(0, limit)
        : undefined;
      // Answers depend on everything in the knowledge base: by default start from an empty one, so that a
      // demo database in ./.parley does not leak into the figures.
      const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-eval-'));
      const details = opts.details ? fs.createWriteStream(opts.details) : undefined;
      try {
        const metrics = await withRuntime({ dataDir }, (rt) =>
          answerEval(rt, corpus, queries, unanswerable, !opts.json, (d) =>
            details?.write(`${JSON.stringify(d)}\n`),
          ),
        );
        if (opts.json) console.log(JSON.stringify(metrics));
        else printAnswerMetrics(metrics, path.basename(queriesFile));
      } finally {
        details?.end();
        if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
}

async function answerEval(
  rt: Runtime,
  corpus: string,
  queries: Awaited<ReturnType<typeof readAnswerQueries>>,
  unanswerable: Awaited<ReturnType<typeof readUnanswerable>> | undefined,
  verbose: boolean,
  onDetail: (d: AnswerDetail) => void,
): Promise<AnswerMetrics> {
  const deps = { db: rt.database.db, embedder: rt.embedder };
  const report = await ingestInputs(deps, [corpus], ingestSettings(rt.config));
  if (report.failed > 0) console.error(`${report.failed} corpus files failed to ingest`);
  const agent = await createAgentDeps(rt.config, rt.database.db, rt.embedder);
  if (verbose) console.error(`Answering with ${agent.chat.id}.`);
  return evaluateAnswers(queries, agentAnswerer(agent), { unanswerable, onDetail });
}

function printAnswerMetrics(m: AnswerMetrics, queriesName: string): void {
  console.log(`Questions: ${m.n}  (${queriesName}; ${m.scored} with a reference answer)`);
  console.log(`token recall     ${m.token_recall.toFixed(3)}`);
  console.log(`token precision  ${m.token_precision.toFixed(3)}`);
  console.log(`token F1         ${m.token_f1.toFixed(3)}`);
  console.log(`cites relevant   ${m.cites_relevant.toFixed(3)}`);
  console.log(`abstained        ${m.abstained.toFixed(3)}`);
  if (m.unanswerable)
    console.log(`unanswerable     ${m.unanswerable.abstained.toFixed(3)} abstained of ${m.unanswerable.n}`);
  console.log(`${m.ms_per_query} ms per question`);
}
