import { describe, expect, it } from 'vitest';
import { gerundToVerb, headingQuestion } from './heading-questions.ts';

describe('questions from headings', () => {
  it.each([
    ['Resetting the hub', 'Perch Smart Home Hub', true, 'How do I reset the hub?'],
    ['Setting up', 'Perch Smart Home Hub', true, 'How do I set up my Perch Smart Home Hub?'],
    ['Pairing', 'Flit 2 Noise-Cancelling Earbuds', true, 'How do I pair my Flit 2 Noise-Cancelling Earbuds?'],
    ['Tracking your order', '', false, 'How do I track my order?'],
    ['Where to put the hub', 'Perch Smart Home Hub', false, 'Where should I put the hub?'],
    ['What you need', '', false, 'What do I need?'],
    ['How to update firmware', '', true, 'How do I update firmware?'],
    ["Check the plug's light", '', false, "How do I check the plug's light?"],
    ['BUSINESS ACCOUNTS', '', false, 'What should I know about business accounts?'],
    ['Warranty claims', '', true, 'What are the steps for warranty claims?'],
    ['Does the warranty cover water damage?', '', false, 'Does the warranty cover water damage?'],
  ])('%s → %s', (heading, subject, steps, question) => {
    expect(headingQuestion(heading, subject, steps)).toBe(question);
  });

  it('skips headings that ask nothing: overviews and release-note entries', () => {
    for (const heading of ['Overview', 'Specifications', '2.4.1 - 9 September 2025', 'Known issues'])
      expect(headingQuestion(heading, '', false)).toBeUndefined();
  });

  it('finds the base form of -ing words', () => {
    expect(['resetting', 'charging', 'pairing', 'updating', 'using', 'installing'].map(gerundToVerb)).toEqual(
      ['reset', 'charge', 'pair', 'update', 'use', 'install'],
    );
    expect(gerundToVerb('ceiling')).toBeUndefined();
  });
});
