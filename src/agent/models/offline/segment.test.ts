import { describe, expect, it } from 'vitest';
import { sentencesOf } from './segment.ts';

describe('sentencesOf', () => {
  it('does not end a sentence at an abbreviation', () => {
    expect(sentencesOf('Use a USB-C cable, e.g. the one in the box. Then wait.')).toEqual([
      'Use a USB-C cable, e.g. the one in the box.',
      'Then wait.',
    ]);
    expect(sentencesOf('Ask Mr. Lee at the desk. See Fig. 3 for the ports.')).toEqual([
      'Ask Mr. Lee at the desk.',
      'See Fig. 3 for the ports.',
    ]);
  });

  it('keeps decimals and versions whole and splits real sentence ends', () => {
    expect(sentencesOf('Version 2.3 is out. Update now! Done?')).toEqual([
      'Version 2.3 is out.',
      'Update now!',
      'Done?',
    ]);
  });
});
