import { describe, expect, it } from 'vitest';
import { toolNames } from '../../tools/index.ts';
import { composeAnswer } from './answer.ts';
import { type ToolOutcome } from './conversation.ts';
import { readRequest } from './request.ts';

const question = 'How can I compare the metrics for different periods?';

function answerWith(passages: unknown[]): string {
  const results: ToolOutcome[] = [
    {
      toolName: toolNames.lookupProduct,
      input: { query: 'metrics periods' },
      value: { products: [] },
      error: undefined,
    },
    {
      toolName: toolNames.searchKnowledge,
      input: { query: question },
      value: { passages },
      error: undefined,
    },
  ];
  return composeAnswer({
    request: readRequest(question, []),
    results,
    offered: new Set([toolNames.lookupProduct, toolNames.searchKnowledge]),
    instructions: '',
    companyName: undefined,
  });
}

describe('composeAnswer', () => {
  it('says the catalogue has no such product only when the documentation does not answer either', () => {
    const answered = answerWith([
      {
        ref: 'S1',
        title: 'Analytics',
        heading: 'Time period',
        text: 'Use the time period control to compare the metrics of different periods.',
      },
    ]);
    expect(answered).toBe('Use the time period control to compare the metrics of different periods [S1].');

    const unanswered = answerWith([]);
    expect(unanswered).toContain(`I couldn't find a product matching "metrics periods" in our catalogue.`);
  });

  it('quotes no image, only the text around it', () => {
    const answer = answerWith([
      {
        ref: 'S1',
        title: 'Analytics',
        heading: 'Time period',
        text: 'Click the calendar icon ![Calendar icon](images/calendar.svg) to compare the metrics of different periods.',
      },
    ]);
    expect(answer).toBe('Click the calendar icon to compare the metrics of different periods [S1].');
  });
});
