import { describe, expect, it } from 'vitest';
import { writeTree } from '../../test/support/files.ts';
import { evaluateRetrieval, readEvalQueries, type RetrievalDetail } from './evaluate.ts';
import { type SearchHit } from './search.ts';

const hit = (file: string): SearchHit => ({
  source: `/corpus/${file}`,
  documentId: 'd',
  versionId: 'v',
  chunkId: 'c',
  title: '',
  heading: '',
  score: 1,
  text: '',
});

describe('retrieval evaluation', () => {
  it('ranks files by their best chunk and counts a hit at k when any relevant file is in the top k', async () => {
    const results: Record<string, SearchHit[]> = {
      // Relevant a.md at rank 1 (chunk duplicates of a.md count once); b.md at rank 3.
      q1: [hit('a.md'), hit('a.md'), hit('x.md'), hit('b.md')],
      // Relevant c.md at rank 6.
      q2: ['p', 'q', 'r', 's', 't', 'c'].map((f) => hit(`${f}.md`)),
      // Never found.
      q3: [hit('z.md')],
    };
    const metrics = await evaluateRetrieval(
      [
        { id: '1', query: 'q1', relevant: ['a.md', 'b.md'] },
        { id: '2', query: 'q2', relevant: ['c.md'] },
        { id: '3', query: 'q3', relevant: ['d.md'] },
      ],
      async (q) => results[q]!,
    );
    // q1 hits at rank 1, q2 at rank 6, q3 never.
    expect(metrics).toMatchObject({
      n: 3,
      recall_at_1: Math.round((1 / 3) * 1000) / 1000,
      recall_at_5: Math.round((1 / 3) * 1000) / 1000,
      recall_at_10: Math.round((2 / 3) * 1000) / 1000,
      mrr_at_10: Math.round(((1 + 1 / 6) / 3) * 1000) / 1000,
    });
    expect(metrics.ms_per_query).toBeGreaterThanOrEqual(0);
  });

  it("reports each query's relevant file ranks and top files", async () => {
    const results: Record<string, SearchHit[]> = {
      q1: [hit('x.md'), hit('a.md'), hit('x.md'), hit('b.md')],
      q2: [hit('z.md')],
    };
    const details: RetrievalDetail[] = [];
    await evaluateRetrieval(
      [
        { id: '1', query: 'q1', relevant: ['b.md', 'a.md'] },
        { id: '2', query: 'q2', relevant: ['d.md'] },
      ],
      async (q) => results[q]!,
      { onDetail: (d) => details.push(d) },
    );
    expect(details).toEqual([
      { id: '1', query: 'q1', ranks: { 'b.md': 3, 'a.md': 2 }, first: 2, top: ['x.md', 'a.md', 'b.md'] },
      { id: '2', query: 'q2', ranks: { 'd.md': null }, first: null, top: ['z.md'] },
    ]);
  });

  it('reports the line of a malformed query', async () => {
    const dir = writeTree({
      'q.jsonl': '{"id":"1","query":"a","relevant":["x.md"]}\n{"id":"2","query":"b"}\n',
    });
    await expect(readEvalQueries(`${dir}/q.jsonl`)).rejects.toThrow(/q\.jsonl:2:/);
  });
});
