import { describe, expect, it } from 'vitest';
import { type QuotedPassage, termsOf, unitsOf } from './passage-units.ts';
import { answerFitsForm, unitScorer } from './unit-score.ts';

function scores(passages: QuotedPassage[], question: string): Map<string, number> {
  const units = unitsOf(passages);
  const score = unitScorer(units, passages, question, question);
  return new Map(units.map((u) => [u.text, score(u)]));
}

describe('unitScorer', () => {
  const sdk: QuotedPassage[] = [
    {
      ref: 'S1',
      title: 'Mobile SDK',
      heading: 'Install mobile SDK with CocoaPods',
      text:
        'From the command line, type pod install. This command installs the SDK for an iOS app. ' +
        'Use the Edit > Convert > To Current Swift Syntax menu to choose a Swift version.',
    },
    {
      ref: 'S2',
      title: 'Mobile SDK',
      heading: 'Add the SDK to your app',
      text: 'You can install the mobile SDK by using CocoaPods, Carthage, or from the source directory.',
    },
  ];
  const switching =
    "Should we switch to a different method for installing the mobile SDK, considering the current approach's limitations?";

  it('lets a generic word ("current") rank only a unit whose own words name what the question is about', () => {
    const scored = scores(sdk, switching);
    const swift = scored.get(
      'Use the Edit > Convert > To Current Swift Syntax menu to choose a Swift version.',
    )!;
    const install = scored.get(
      'You can install the mobile SDK by using CocoaPods, Carthage, or from the source directory.',
    )!;
    expect(install).toBeGreaterThan(swift);
  });

  it('finds a wording with a stopword ("set up") only as a phrase, not in "Build Settings" or "set"', () => {
    const passages: QuotedPassage[] = [
      {
        ref: 'S1',
        text: 'Open Build Settings and set the team. You can set up the app from the store in two minutes.',
      },
    ];
    const scored = scores(passages, 'How do I install the app?');
    expect(scored.get('Open Build Settings and set the team.')).toBe(0);
    expect(scored.get('You can set up the app from the store in two minutes.')).toBeGreaterThan(0);
  });
});

describe('passage units', () => {
  it('leave out the pieces of web addresses, so "github.com" holds no "com" ("come", "approach")', () => {
    const terms = termsOf('Download it from https://github.com/apache/openwhisk-client-swift.git today.');
    expect([...terms]).toEqual(['download', 'today']);
  });
});

describe('answerFitsForm', () => {
  it('reads the form a question asks for from the one list the search uses', () => {
    // A phone of the customer's own asks for no number, so a date is no answer to it.
    expect(answerFitsForm("My phone won't pair", 'Firmware 2024-01-15 fixes pairing.')).toBe(false);
    expect(answerFitsForm("What's your phone number?", 'Call us on +1-800-555-0142.')).toBe(true);
    expect(answerFitsForm('How long does delivery take?', 'Delivery takes 3-5 business days.')).toBe(true);
  });
});
