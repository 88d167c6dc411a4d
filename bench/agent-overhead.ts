/**
 * Agent overhead per turn: everything `runTurn` does except the model (loading the conversation and its
 * history, assembling the prompt with the customer's profile, preferences and earlier conversations, the
 * search_knowledge tool, storing both messages and the agent_runs row), on PGlite and on the server.
 *
 *   npx tsx bench/agent-overhead.ts [--backend pglite|postgres|both] [--chunks 10000] [--turns 200]
 *     [--warmup 20] [--runs 3] [--budget-seconds 120]
 *
 * The model is the AI SDK mock playing a script that returns at once: step 1 calls search_knowledge with the
 * user's question, step 2 answers with a fixed text citing [S1]. A second variant answers in step 1, without
 * retrieval; searchKnowledge and the local embedder are also timed on their own for the same questions.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { type AgentDeps, runTurn } from '../src/agent/agent.ts';
import { type ChatModel } from '../src/agent/models/index.ts';
import { loadConfig } from '../src/config.ts';
import { settings as settingsTable } from '../src/db/schema/index.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { searchKnowledge } from '../src/knowledge/search.ts';
import { prepareSpelling } from '../src/knowledge/spelling.ts';
import { resolveInputs, type SourceRef } from '../src/knowledge/sources/read.ts';
import { type Identity } from '../src/support/identity.ts';
import { importRecords } from '../src/support/import.ts';
import { customerIdentity, examplesDir } from '../test/support/agent-fixture.ts';
import { scriptedModel } from '../test/support/scripted-model.ts';
import { buildCorpus } from './corpus.ts';
import { type Backend, createBenchDatabase, selectedBackends } from './database.ts';
import { databaseVersions, describeEnvironment } from './environment.ts';
import { buildSearchIndexes, dropSearchIndexes, fillChunks } from './fill.ts';
import { measureLexical } from './lexical.ts';
import { approximateNeighbours } from './recall.ts';
import { markdownTable, since, timedPasses } from './stats.ts';

const queriesFile = fileURLToPath(
  new URL('../../shared/data/mtrag-ibmcloud/queries-rewrite.jsonl', import.meta.url),
);

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    chunks: { type: 'string', default: '10000' },
    turns: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    'budget-seconds': { type: 'string', default: '120' },
  },
});
const turns = Number(args.turns);
const runs = Number(args.runs);
const budgetMs = Number(args['budget-seconds']) * 1000;

// Parley's defaults (no environment is read): 5 steps, 3,000 history tokens, threshold 0.5, 300/40-token chunks.
const config = loadConfig({}, {});
const ingestSettings = {
  maxFileBytes: config.ingest.maxFileBytes,
  fetchTimeoutMs: config.ingest.fetchTimeoutMs,
  chunk: { maxTokens: config.ingest.chunkTokens, overlapTokens: config.ingest.overlapTokens },
};
// As in search.ts: copies with a fifth of their lines dropped average about 2.1 chunks.
const chunksPerDocument = 1.9;

// About the length of a real answer (~70 words), so the history the next turn loads is realistic.
const answer =
  'According to the documentation, you can do this from the console: open the service instance, choose ' +
  'the settings page and follow the steps described there. The same can be done with the CLI or the API, ' +
  'and the change takes effect within a few minutes. If you run into a permissions error, ask your account ' +
  'administrator to grant you the Manager role on the service first. [S1]';

interface Question {
  conversation: string;
  text: string;
}

function lastUserText(call: LanguageModelV4CallOptions): string {
  const user = call.prompt.findLast((m) => m.role === 'user');
  if (user?.role !== 'user') return '';
  return user.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(' ');
}

/** Step 1 searches for the user's question; once the tool result is in the prompt, step 2 answers. */
function retrievingModel(): ChatModel {
  return scriptedModel([
    (call) =>
      call.prompt.at(-1)?.role === 'tool'
        ? { text: answer }
        : { tools: [{ name: 'search_knowledge', input: { query: lastUserText(call) } }] },
  ]);
}

/**
 * Runs `count` turns over the questions (cycled). A question from a new dataset conversation starts a new
 * conversation; the rest are follow-ups in the same one, so their history (up to 11 earlier turns) is loaded.
 */
async function runTurns(
  deps: AgentDeps,
  identity: Identity,
  questions: Question[],
  count: number,
  expectSearch: boolean,
): Promise<number[]> {
  const times: number[] = [];
  let conversationId: string | undefined;
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const q = questions[i % questions.length]!;
    if (q.conversation !== previous) conversationId = undefined;
    previous = q.conversation;
    const start = performance.now();
    const result = await runTurn(deps, { identity, message: q.text, conversationId, channel: 'api' });
    times.push(since(start));
    // Guards against a script that silently stopped calling the tool (it would look very fast).
    if (result.toolCalls.length !== (expectSearch ? 1 : 0)) {
      throw new Error(`unexpected tool calls: ${JSON.stringify(result.toolCalls)}`);
    }
    conversationId = result.conversationId;
  }
  return times;
}

type Row = Record<string, string | number>;

async function benchBackend(backend: Backend, sources: SourceRef[], questions: Question[]): Promise<Row[]> {
  const database = await createBenchDatabase(backend, 'agent');
  const embedder = new LocalEmbedder();
  const db = database.db;
  const log = (what: object) => console.error(JSON.stringify({ backend, ...what }));
  try {
    log(await databaseVersions(db));
    await ensureEmbeddingSpace(db, embedder);
    const gin = await dropSearchIndexes(db);
    const state = { sources, next: 0, chunks: 0 };
    await fillChunks({ db, embedder }, state, Number(args.chunks), ingestSettings);
    await buildSearchIndexes(db, gin, embedder, '256MB');
    for (const kind of ['products', 'customers', 'orders'] as const) {
      await importRecords(db, kind, path.join(examplesDir, `${kind}.jsonl`));
    }
    const company = JSON.parse(await fs.readFile(path.join(examplesDir, 'company.json'), 'utf8')) as unknown;
    await db.insert(settingsTable).values({ key: 'company', value: company });
    log({ chunks: state.chunks, documents: state.next });
    // As `parley start` does when it starts: no timed turn reads the spelling vocabulary.
    await prepareSpelling(db);

    const identity = await customerIdentity(database, 'cus_a1f93k');
    const depsFor = (chat: ChatModel): AgentDeps => ({ db, embedder, chat, settings: config.agent });
    const variants = [
      { name: 'turn: search_knowledge + answer', deps: depsFor(retrievingModel()), search: true },
      {
        name: 'turn without retrieval (answer only)',
        deps: depsFor(scriptedModel([{ text: answer }])),
        search: false,
      },
    ];
    const rows: Row[] = [];
    const add = (name: string, stats: { p50: number; p95: number; mean: number; passes: number }) => {
      log({ name, ...stats });
      rows.push({
        backend,
        measured: name,
        'p50 ms': stats.p50,
        'p95 ms': stats.p95,
        'mean ms': stats.mean,
        passes: stats.passes,
      });
    };
    for (const v of variants) {
      await runTurns(v.deps, identity, questions, Number(args.warmup), v.search);
      add(
        v.name,
        await timedPasses(runs, budgetMs, () => runTurns(v.deps, identity, questions, turns, v.search)),
      );
    }
    // The retrieval inside the first variant, on its own: the tool asks for 5 passages, so 40 candidates a side.
    const texts = Array.from({ length: turns }, (_, i) => questions[i % questions.length]!.text);
    const vectors = await embedder.embed(texts);
    const timeEach = <T>(items: T[], work: (item: T) => Promise<unknown>) =>
      timedPasses(runs, budgetMs, async () => {
        const times: number[] = [];
        for (const item of items) {
          const start = performance.now();
          await work(item);
          times.push(since(start));
        }
        return times;
      });
    add(
      'searchKnowledge alone (limit 5)',
      await timeEach(texts, (text) => searchKnowledge({ db, embedder }, text, { limit: 5 })),
    );
    add('of which: full-text half (lexicalCandidates)', await measureLexical(db, texts, runs, budgetMs));
    add(
      'of which: vector half (HNSW, ef_search 100)',
      await timeEach(vectors, (v) => approximateNeighbours(db, v, embedder.dimensions, 100, 40)),
    );
    add('of which: LocalEmbedder.embed (1 query)', await timeEach(texts, (text) => embedder.embed([text])));
    return rows;
  } finally {
    await database.destroy();
  }
}

console.error(JSON.stringify(describeEnvironment()));
const questions = (await fs.readFile(queriesFile, 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const { id, query } = JSON.parse(line) as { id: string; query: string };
    return { conversation: id.split('<::>')[0]!, text: query };
  });
const corpus = await buildCorpus({
  documents: Math.ceil(Number(args.chunks) / chunksPerDocument),
  dropRate: 0.2,
});
const rows: Row[] = [];
try {
  const { sources } = await resolveInputs([corpus.dir]);
  for (const backend of selectedBackends(args.backend))
    rows.push(...(await benchBackend(backend, sources, questions)));
} finally {
  await fs.rm(corpus.dir, { recursive: true, force: true });
}
console.log(
  `Agent turn with an instant scripted model, ${args.chunks} chunks, customer cus_a1f93k, ${turns} turns per ` +
    `pass (${questions.length} questions in ${new Set(questions.map((q) => q.conversation)).size} conversations, ` +
    'cycled), medians over passes\n',
);
console.log(markdownTable(rows));
