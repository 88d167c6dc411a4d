import { describe, expect, it } from 'vitest';
import { checkCase } from './suite-check.ts';
import { parseSuite, SuiteFileError, suiteHash } from './suite-file.ts';

const line = (value: unknown) => JSON.stringify(value);

describe('suite files', () => {
  it('reads cases and skips blank lines and comments', () => {
    const text = [
      '// demo suite',
      line({ id: 'a', question: 'How do I pair?', expect: { cites: ['pairing.md'] } }),
      '',
      line({
        id: 'b',
        question: 'Hi',
        customer: 'cus_1',
        history: [{ role: 'user', content: 'x' }],
        expect: { escalates: true },
      }),
    ].join('\n');
    expect(parseSuite(text, 's.jsonl').map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('reports every bad line with its number', () => {
    const text = [
      line({ id: 'ok', question: 'Fine?', expect: { abstains: true } }),
      '{not json',
      line({ id: 'typo', question: 'Q?', expect: { contain: ['x'] } }),
      line({ id: 'ok', question: 'Again?', expect: { abstains: false } }),
      line({ id: 'tool', question: 'Q?', expect: { tools: ['lookup_everything'] } }),
      line({ id: 'f1', question: 'Q?', expect: { min_f1: 0.5 } }),
      line({ id: 'empty', question: 'Q?', expect: {} }),
    ].join('\n');
    let error: SuiteFileError | undefined;
    try {
      parseSuite(text, 's.jsonl');
    } catch (e) {
      error = e as SuiteFileError;
    }
    expect(error).toBeInstanceOf(SuiteFileError);
    expect(error!.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(error!.problems[0]!.message).toBe('not valid JSON');
    expect(error!.problems[1]!.message).toMatch(/^expect: .*contain/);
    expect(error!.problems[2]!.message).toBe('id "ok" is already used on line 1');
    expect(error!.problems[3]!.message).toMatch(/^expect\.tools\.0:/);
    expect(error!.problems[4]!.message).toBe('expect.min_f1: min_f1 needs similar_to (the reference answer)');
    expect(error!.message).toMatch(/^s\.jsonl: line 2: not valid JSON; line 3/);
  });

  it('hashes the content, not its formatting', () => {
    const a = parseSuite('{"id":"a","question":"Q?","expect":{"abstains":true,"escalates":false}}', 'x');
    const b = parseSuite(
      '{ "expect": {"escalates": false, "abstains": true}, "question": "Q?", "id": "a" }',
      'x',
    );
    expect(suiteHash(a)).toBe(suiteHash(b));
  });
});

describe('checkCase', () => {
  const answer = {
    answer: 'Hold the case button for 3 seconds [S1].',
    citations: [{ source: '/docs/troubleshooting/pairing.md', title: 'Bluetooth pairing problems' }],
    tools: ['search_knowledge'],
    outcome: 'answered',
    escalated: false,
  };

  it('passes when every expectation holds, matching citations by source or title', () => {
    expect(
      checkCase(
        {
          cites: ['pairing.md', 'bluetooth PAIRING'],
          contains: ['CASE BUTTON'],
          not_contains: ['refund'],
          abstains: false,
          escalates: false,
          tools: ['search_knowledge'],
          similar_to: 'Hold the case button for three seconds.',
          min_f1: 0.5,
        },
        answer,
      ),
    ).toEqual({ passed: true, reasons: [], tokenF1: expect.any(Number) });
  });

  it('names each unmet expectation', () => {
    const verdict = checkCase(
      { cites: ['returns'], contains: ['30 days'], abstains: true, escalates: true, tools: ['list_orders'] },
      answer,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual([
      'answer lacks "30 days"',
      'does not cite "returns" (cited: pairing.md)',
      'answered instead of abstaining: "Hold the case button for 3 seconds [S1]."',
      'did not escalate',
      'did not call list_orders (called: search_knowledge)',
    ]);
  });
});
