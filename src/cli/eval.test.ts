import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../../test/support/files.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/parley.js');

const set = {
  'corpus/returns.md':
    '# Returns\n\nYou can return any product within 30 days of delivery for a full refund.',
  'corpus/pairing.md':
    '# Pairing the earbuds\n\nHold the case button for three seconds until the light blinks white to pair the earbuds.',
  'corpus/hub.md': '# Hub lights\n\nA red ring light on the hub means the hub has no Wi-Fi connection.',
  'queries.jsonl': [
    {
      id: '1',
      query: 'How do I pair the earbuds?',
      relevant: ['pairing.md'],
      answer: 'Hold the case button for three seconds until the light blinks white.',
    },
    {
      id: '2',
      query: 'What does a red ring light on the hub mean?',
      relevant: ['hub.md'],
      answer: 'The hub has no Wi-Fi connection.',
    },
  ]
    .map((q) => JSON.stringify(q))
    .join('\n'),
  'out-of-scope.jsonl': JSON.stringify({ id: 'u1', query: 'How long should I boil an egg for a soft yolk?' }),
};

// Only the embedded database: the command adds no SQL of its own; ingestion and the agent it drives are tested
// on both backends where they live. The offline model answers, so the figures are deterministic.
describe('parley eval answers', () => {
  it('asks each query through the agent and prints the documented figures as one JSON object', async () => {
    const dir = writeTree(set);
    const details = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-eval-')), 'details.jsonl');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
      ),
    );
    const { stdout } = await run(
      process.execPath,
      [
        bin,
        'eval',
        'answers',
        dir,
        '--unanswerable',
        path.join(dir, 'out-of-scope.jsonl'),
        '--details',
        details,
        '--json',
      ],
      { env },
    );
    const metrics = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'n',
        'scored',
        'token_recall',
        'token_precision',
        'token_f1',
        'cites_relevant',
        'abstained',
        'unanswerable',
        'ms_per_query',
      ].sort(),
    );
    expect(metrics).toMatchObject({ n: 2, scored: 2, cites_relevant: 1, abstained: 0 });
    expect(metrics.unanswerable).toEqual({ n: 1, abstained: 1 });
    // Extractive answers quote the passage that holds the reference answer.
    expect(metrics.token_recall).toBeGreaterThan(0.6);
    const lines = fs.readFileSync(details, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['1', '2', 'u1']);
  }, 60_000);
});
