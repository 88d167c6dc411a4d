import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { currentChunkCount } from './lexical.ts';

/** The knowledge base's vocabulary that misspelt words are read against. */
export interface Lexicon {
  chunks: number;
  /** Lexemes of at least `minChunks` chunks with their chunk counts. */
  df: Map<string, number>;
  /** Words already looked up: their correction, or null. */
  corrected: Map<string, string | null>;
}

interface LexiconState {
  current?: Lexicon;
  /** What the knowledge base looked like when `current` was read (see `knowledgeSignature`). */
  signature?: string;
  reading?: Promise<void>;
  checkedAt: number;
}

// A word of fewer chunks is too rare to be what a customer meant to type.
const minChunks = 3;
// Chunks read per statement: an embedded database runs each on the server's own thread, so a large knowledge
// base is read in steps of a few tens of milliseconds with other requests served between them.
const chunksPerStep = 500;
// How often a turn looks whether documents changed since the vocabulary was read (as the search counts words
// no chunk held again after 30 seconds).
const checkEveryMs = 30_000;
// Below this size the vocabulary is read in a few steps: the first question waits for it rather than go
// uncorrected (a command-line question is the process's only one).
const readAtOnceBelow = 2000;

const states = new WeakMap<Db, LexiconState>();

/**
 * The vocabulary for correcting a question now. A small knowledge base's is read at once; a large one's in the
 * background, and until it is read the answer is undefined (the question is answered as asked). Reading starts
 * on first use, or earlier with `prepareSpelling`; once documents change it is read again in the background,
 * the previous one serving meanwhile.
 */
export async function readyLexicon(db: Db): Promise<Lexicon | undefined> {
  const state = stateOf(db);
  const first = !state.current;
  if (!first && Date.now() - state.checkedAt < checkEveryMs) return state.current;
  const small = first && (await currentChunkCount(db)) < readAtOnceBelow;
  // A failed read leaves the question uncorrected, never unanswered.
  const reading = prepareSpelling(db).catch(() => {});
  if (small) await reading;
  return state.current;
}

/**
 * Reads the knowledge base's vocabulary for spelling correction if it was never read or documents changed
 * since; resolves once it is current. Start it without waiting when the server starts, so that the first
 * customer does not pay for it.
 */
export function prepareSpelling(db: Db): Promise<void> {
  const state = stateOf(db);
  state.checkedAt = Date.now();
  state.reading ??= refresh(db, state).finally(() => {
    state.reading = undefined;
  });
  return state.reading;
}

function stateOf(db: Db): LexiconState {
  let state = states.get(db);
  if (!state) states.set(db, (state = { checkedAt: 0 }));
  return state;
}

async function refresh(db: Db, state: LexiconState): Promise<void> {
  const signature = await knowledgeSignature(db);
  if (state.current && signature === state.signature) return;
  const lexicon = await readLexicon(db);
  // An empty knowledge base is about to be filled: read it again on the next question.
  if (lexicon.chunks === 0) return;
  state.current = lexicon;
  state.signature = signature;
}

/**
 * Changes whenever the current chunks may have: every new, restored or retired version touches its document's
 * `updated_at`. Reading it costs a scan of the documents, not of their chunks.
 */
async function knowledgeSignature(db: Db): Promise<string> {
  const [row] = await queryRows<{ documents: number; changed: string | null }>(
    db,
    sql`SELECT count(*)::int AS documents, max(updated_at)::text AS changed FROM documents`,
  );
  return `${row?.documents ?? 0} ${row?.changed ?? ''}`;
}

/** Chunk counts of the current chunks' lexemes, `ts_stat` over a range of chunk ids at a time. */
async function readLexicon(db: Db): Promise<Lexicon> {
  const counts = new Map<string, number>();
  let chunks = 0;
  let after: string | undefined;
  for (;;) {
    const [range] = await queryRows<{ last: string | null; n: number }>(
      db,
      sql`SELECT max(id::text) AS last, count(*)::int AS n FROM (
            SELECT id FROM chunks WHERE is_current ${after ? sql`AND id > ${after}::uuid` : sql``}
            ORDER BY id LIMIT ${chunksPerStep}) step`,
    );
    if (!range?.last) break;
    // Hexadecimal text sorts as the uuids do. ts_stat takes its query as text: the ids, read from the table, are
    // quoted as uuid literals.
    const lower = after ? `AND id > ${uuidLiteral(after)}` : '';
    const rows = await queryRows<{ word: string; ndoc: number }>(
      db,
      sql`SELECT word, ndoc FROM ts_stat(${`SELECT tsv FROM chunks WHERE is_current ${lower}
            AND id <= ${uuidLiteral(range.last)}`}) WHERE word ~ '^[a-z]+$'`,
    );
    for (const r of rows) counts.set(r.word, (counts.get(r.word) ?? 0) + Number(r.ndoc));
    chunks += Number(range.n);
    after = range.last;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const df = new Map([...counts].filter(([, n]) => n >= minChunks));
  return { chunks, df, corrected: new Map() };
}

function uuidLiteral(id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not a uuid: ${id}`);
  return `'${id}'::uuid`;
}
