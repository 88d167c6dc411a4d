import { describe, expect, it } from 'vitest';
import { CitationNumbering, numberCitations } from './citation-markers.ts';

describe('citation numbering', () => {
  it('numbers markers in the order first cited and lists citations the same way', () => {
    // Citations come in ref order (S2, S4, S5), as the agent records them.
    const { text, citations } = numberCitations('A [S4]. B [S2] and [S4]. C [S5].', ['s2', 's4', 's5']);
    expect(text).toBe('A [1]. B [2] and [1]. C [3].');
    expect(citations).toEqual(['s4', 's2', 's5']);
  });

  it('drops markers that cite no passage, and is idempotent', () => {
    const once = numberCitations('Yes [S2] [S9]. No [S0].', ['s2']);
    expect(once).toEqual({ text: 'Yes [1]. No.', citations: ['s2'] });
    expect(numberCitations(once.text, once.citations)).toEqual(once);
  });

  it('renumbers markers split across streamed deltas', () => {
    const numbering = new CitationNumbering((ref) => ref <= 3);
    const deltas = ['Pair it [', 'S3', '] then reset', ' [S1]', '. Done [S', '7] [S3]', '.'];
    const out = deltas.map((d) => numbering.push(d)).join('') + numbering.flush();
    expect(out).toBe('Pair it [1] then reset [2]. Done [1].');
    expect(numbering.order(['s1', 's3'])).toEqual(['s3', 's1']);
  });

  it('leaves text without markers alone, brackets included', () => {
    const numbering = new CitationNumbering();
    const out =
      ['See [Settings] ', '[', 'Sound] ', 'now'].map((d) => numbering.push(d)).join('') + numbering.flush();
    expect(out).toBe('See [Settings] [Sound] now');
  });
});
