import { describe, expect, it } from 'vitest';
import { writeTree } from '../../test/support/files.ts';
import {
  answerTerms,
  evaluateAnswers,
  isAbstention,
  readAnswerQueries,
  scoreAnswer,
  stemWord,
} from './answer-eval.ts';

describe('answer terms', () => {
  it('lowercases, drops stopwords and citation markers, and stems lightly', () => {
    expect(answerTerms('Rotating the Keys [S1] rotates keys.')).toEqual(['rotat', 'key', 'rotat', 'key']);
    expect(answerTerms('Café policies')).toEqual(['cafe', 'policy']);
  });

  it('keeps digits and leaves short words and -ss/-us/-is endings alone', () => {
    expect(answerTerms('Plan 2 has 5 GB')).toEqual(['plan', '2', '5', 'gb']);
    expect(['class', 'status', 'analysis', 'bus'].map(stemWord)).toEqual([
      'class',
      'status',
      'analysis',
      'bus',
    ]);
  });
});

describe('answer scoring', () => {
  it('scores content-word overlap as SQuAD does, counting repeats at most as often as both have them', () => {
    // Answer terms: secret ×2, rotate, daily; reference: secret, rotate, weekly.
    const s = scoreAnswer('Secrets rotate daily; secrets!', 'The secret is rotated weekly.');
    expect(s.precision).toBeCloseTo(2 / 4);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo((2 * (1 / 2) * (2 / 3)) / (1 / 2 + 2 / 3));
  });

  it('scores 0 when either side has no content words', () => {
    expect(scoreAnswer('', 'The answer.')).toEqual({ recall: 0, precision: 0, f1: 0 });
    expect(scoreAnswer('It is.', 'Buy a bigger plan.')).toEqual({ recall: 0, precision: 0, f1: 0 });
  });
});

describe('abstention', () => {
  it("takes the agent's recorded outcome first", () => {
    expect(isAbstention({ answer: 'Anything', citedFiles: [], outcome: 'abstained' })).toBe(true);
  });

  it('reads an uncited answer saying the documentation does not cover it as declining', () => {
    for (const answer of [
      "Our documentation doesn't cover this, and I don't want to guess.",
      'The documents do not contain any information about that.',
      "I couldn't find anything on that.",
      'I do not have information about that.',
    ])
      expect(isAbstention({ answer, citedFiles: [] }), answer).toBe(true);
  });

  it('does not count a cited answer, or one that merely mentions documentation', () => {
    expect(isAbstention({ answer: "The docs don't cover X, but Y works [S1].", citedFiles: ['a.md'] })).toBe(
      false,
    );
    expect(isAbstention({ answer: 'See the documentation for the API reference.', citedFiles: [] })).toBe(
      false,
    );
  });
});

describe('answer evaluation', () => {
  it('averages token scores, counts relevant citations and abstentions, and reports unanswerable separately', async () => {
    const replies: Record<string, { answer: string; citedFiles: string[]; outcome?: string }> = {
      'how to rotate': { answer: 'Rotate the key daily [S1].', citedFiles: ['/corpus/keys.md'] },
      'what is the fee': { answer: "Our documentation doesn't cover this.", citedFiles: [] },
      'cook pasta': { answer: "Our documentation doesn't cover this.", citedFiles: [], outcome: 'abstained' },
      'weather today': { answer: 'It will be sunny [S1].', citedFiles: ['/corpus/x.md'] },
    };
    const details: string[] = [];
    const m = await evaluateAnswers(
      [
        { id: '1', query: 'how to rotate', relevant: ['keys.md'], answer: 'Rotate the key daily.' },
        { id: '2', query: 'what is the fee', relevant: ['fees.md'], answer: 'The fee is 5 dollars.' },
      ],
      async (q) => replies[q]!,
      {
        unanswerable: [
          { id: 'u1', query: 'cook pasta' },
          { id: 'u2', query: 'weather today' },
        ],
        onDetail: (d) => details.push(d.id),
      },
    );
    // Question 1 matches its reference exactly; question 2 declined, which scores 0.
    expect(m).toMatchObject({
      n: 2,
      scored: 2,
      token_recall: 0.5,
      token_precision: 0.5,
      token_f1: 0.5,
      cites_relevant: 0.5,
      abstained: 0.5,
      unanswerable: { n: 2, abstained: 0.5 },
    });
    expect(details).toEqual(['1', '2', 'u1', 'u2']);
  });

  it('reads queries with and without reference answers, and reports the line of a malformed one', async () => {
    const dir = writeTree({
      'ok.jsonl':
        '{"id":"1","query":"a","relevant":["x.md"],"answer":"A."}\n{"id":"2","query":"b","relevant":[]}\n',
      'bad.jsonl': '{"id":"1","query":"a","relevant":["x.md"]}\n{"id":"2"}\n',
    });
    expect(await readAnswerQueries(`${dir}/ok.jsonl`)).toEqual([
      { id: '1', query: 'a', relevant: ['x.md'], answer: 'A.' },
      { id: '2', query: 'b', relevant: [] },
    ]);
    await expect(readAnswerQueries(`${dir}/bad.jsonl`)).rejects.toThrow(/bad\.jsonl:2:/);
  });
});
