import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { type NewQaPair, qaPairs } from '../db/schema/index.ts';
import {
  buildFinetuneDataset,
  datasetProblem,
  estimateDataset,
  toJsonl,
  writeFinetuneFiles,
} from './finetune-export.ts';
import { estimateExampleTokens, exampleProblems, type FtExample, pairToExample } from './finetune-format.ts';
import { baseModelInfo } from './finetune-models.ts';
import { PiiScrubber } from './pii.ts';
import { splitFor } from './splits.ts';

// 301 rows of the Bitext customer-support set, committed so that the test runs in a bare clone.
const bitextFile = path.resolve(import.meta.dirname, '../../test/fixtures/bitext-sample.csv');

/** The bitext set's rows (RFC 4180 CSV: quoted fields may hold commas, quotes and newlines). */
function readCsv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

const model = baseModelInfo('gpt-4.1-mini');

describe('the fine-tuning format rules', () => {
  const system = 'You are the support assistant.';

  it('turns a pair with a tool-calling transcript into OpenAI tool_calls and tool results', () => {
    const example = pairToExample(
      {
        question: 'Where is my order [ORDER_1]?',
        answer: 'It shipped with UPS: [TRACKING_1].',
        transcript: [
          { role: 'user', content: 'where is [ORDER_1]' },
          {
            role: 'tool_call',
            calls: [
              { name: 'get_order_status', input: { orderId: '[ORDER_1]' }, output: { status: 'shipped' } },
            ],
          },
        ],
      },
      system,
      [{ type: 'function', function: { name: 'get_order_status', parameters: { type: 'object' } } }],
    );
    expect(example.messages).toEqual([
      { role: 'system', content: system },
      // The reviewed (stand-alone) question replaces the customer's wording.
      { role: 'user', content: 'Where is my order [ORDER_1]?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_order_status', arguments: '{"orderId":"[ORDER_1]"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
      { role: 'assistant', content: 'It shipped with UPS: [TRACKING_1].' },
    ]);
    expect(example.tools).toHaveLength(1);
    expect(exampleProblems(example, 1000)).toEqual([]);
  });

  it('finds what OpenAI would refuse', () => {
    const ok: FtExample = {
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
    };
    expect(exampleProblems(ok, 100)).toEqual([]);
    expect(exampleProblems({ messages: ok.messages.slice(0, 2) }, 100)).toContain(
      'does not end with an assistant answer',
    );
    expect(
      exampleProblems(
        { messages: [...ok.messages.slice(0, 2), { role: 'robot', content: 'x' } as never] },
        100,
      )[0],
    ).toMatch(/unknown role "robot"/);
    expect(
      exampleProblems(
        {
          messages: [
            { role: 'user', content: 'Hi' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c1', type: 'function', function: { name: 'x', arguments: '{}' } }],
            },
            { role: 'assistant', content: 'Done' },
          ],
        },
        100,
      ),
    ).toEqual(['message 3: tool call(s) c1 have no result']);
    expect(exampleProblems({ messages: [{ role: 'assistant', content: 'Only me' }] }, 100)).toContain(
      'no user message',
    );
    expect(exampleProblems(ok, 10)[0]).toMatch(/^about \d+ tokens, over the limit of 10$/);
    // 3 priming + 4 per message + the words: 8 in the system message (long words count twice), 1 and 2.
    expect(estimateExampleTokens(ok)).toBe(3 + 3 * 4 + 8 + 1 + 2);
  });
});

describe.each(backends)('fine-tuning export on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('refuses fewer than 10 training examples with a clear message', async () => {
    await database.db.insert(qaPairs).values(
      Array.from({ length: 4 }, (_, i) => ({
        question: `Question ${i}?`,
        answer: `Answer ${i}.`,
        sourceType: 'solution' as const,
        status: 'approved' as const,
        split: 'train' as const,
      })),
    );
    const dataset = await buildFinetuneDataset(database.db, model);
    expect(datasetProblem(dataset)).toBe(
      'Fine-tuning needs at least 10 training examples; there are 4. Generate and approve more Q&A pairs ' +
        '(parley qa generate, parley qa approve).',
    );
    await database.db.delete(qaPairs);
  });

  it('exports the bitext customer-support set as valid train and validation files, holding out the test split', async () => {
    const scrubbed: NewQaPair[] = readCsv(bitextFile)
      .slice(0, 300)
      .map((row) => {
        const scrubber = new PiiScrubber();
        const question = scrubber.scrub(row.instruction!);
        return {
          question,
          answer: scrubber.scrub(row.response!),
          sourceType: 'solution' as const,
          status: 'approved' as const,
          split: splitFor(question),
        };
      });
    await database.db.insert(qaPairs).values(scrubbed);
    // Drafts and rejected pairs are never exported.
    await database.db.insert(qaPairs).values([
      { question: 'Draft?', answer: 'No.', sourceType: 'document', status: 'draft' },
      { question: 'Rejected?', answer: 'No.', sourceType: 'document', status: 'rejected', split: 'train' },
    ]);
    const dataset = await buildFinetuneDataset(database.db, model);
    const bySplit = (s: string) => scrubbed.filter((p) => p.split === s).length;
    expect(dataset.train).toHaveLength(bySplit('train'));
    expect(dataset.validation).toHaveLength(bySplit('validation'));
    expect(dataset.heldOut).toBe(bySplit('test'));
    expect(bySplit('train')).toBeGreaterThan(200);
    expect(datasetProblem(dataset)).toBeUndefined();
    expect(dataset.excluded).toEqual([]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ft-'));
    const files = await writeFinetuneFiles(dataset, dir);
    const lines = fs.readFileSync(files.train, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(dataset.train.length);
    for (const line of lines) {
      const example = JSON.parse(line) as FtExample;
      expect(Object.keys(example)).toEqual(['messages']);
      expect(example.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(exampleProblems(example, model.maxExampleTokens)).toEqual([]);
    }
    expect(fs.readFileSync(files.validation!, 'utf8')).toBe(toJsonl(dataset.validation));
    // Order numbers in the set ("purchase 113542617735902") are replaced before anything is stored.
    expect(fs.readFileSync(files.train, 'utf8')).not.toMatch(/113542617735902/);

    const estimate = estimateDataset(dataset, model, 3);
    expect(estimate.trainingTokens).toBe(dataset.trainTokens * 3);
    expect(estimate.costUsd).toBeCloseTo((dataset.trainTokens * 3 * 5) / 1_000_000, 2);
    expect(estimateDataset(dataset, baseModelInfo('my-local-model'), 3).costUsd).toBeUndefined();
  });

  it('leaves out examples over the token limit and says why', async () => {
    const dataset = await buildFinetuneDataset(
      database.db,
      baseModelInfo('gpt-4.1-mini', { maxExampleTokens: 500 }),
    );
    expect(dataset.excluded.length).toBeGreaterThan(0);
    expect(dataset.excluded[0]!.problems[0]).toMatch(/over the limit of 500/);
  });
});
