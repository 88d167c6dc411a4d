/** Every string one deletion, swap of neighbours, substitution or insertion of a letter away from `word`. */
export function oneEditFrom(word: string): Set<string> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const edits = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of letters) {
      if (tail) edits.add(head + c + tail.slice(1));
      edits.add(head + c + tail);
    }
  }
  edits.delete(word);
  return edits;
}

/**
 * Edits between two words (Damerau: insertions, deletions, substitutions and swaps of neighbours count one
 * each), or `max + 1` once more than `max` are needed.
 *
 * @example editDistance('hsipping', 'shipping', 2) // → 1
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, max + 1);
}

// QWERTY rows, each shifted right of the one above as on a keyboard.
const keyRows: [string, number][] = [
  ['qwertyuiop', 0],
  ['asdfghjkl', 0.25],
  ['zxcvbnm', 0.75],
];
const keyAt = new Map(
  keyRows.flatMap(([keys, shift], row) => [...keys].map((k, i) => [k, { x: i + shift, y: row }] as const)),
);

/** Whether two letters sit side by side on a keyboard ("s" and "d", "s" and "w"; not "s" and "h"). */
function besideOnKeyboard(a: string | undefined, b: string | undefined): boolean {
  const [p, q] = [keyAt.get(a ?? ''), keyAt.get(b ?? '')];
  if (!p || !q || p === q) return false;
  const dx = Math.abs(p.x - q.x);
  return p.y === q.y ? dx === 1 : Math.abs(p.y - q.y) === 1 && dx <= 0.75;
}

/**
 * Whether `typo` is `word` with one of the slips people make when typing: two letters swapped, a letter left
 * out, a key pressed twice or beside the one meant. A letter from elsewhere on the keyboard is a rarer slip:
 * "hsipping" is a swap in "shipping", while "sipping" would need an "h" typed before an "s".
 *
 * @example typingSlip('hsipping', 'shipping') // → true; typingSlip('hsipping', 'sipping') // → false
 */
export function typingSlip(typo: string, word: string): boolean {
  let at = 0;
  while (at < typo.length && typo[at] === word[at]) at++;
  if (typo.length === word.length - 1) return true;
  if (typo.length === word.length + 1) {
    const extra = typo[at];
    return [typo[at - 1], typo[at + 1]].some((next) => next === extra || besideOnKeyboard(extra, next));
  }
  if (typo.length !== word.length || at === typo.length) return false;
  const swapped =
    typo[at] === word[at + 1] && typo[at + 1] === word[at] && typo.slice(at + 2) === word.slice(at + 2);
  const pressedBeside = typo.slice(at + 1) === word.slice(at + 1) && besideOnKeyboard(typo[at], word[at]);
  return swapped || pressedBeside;
}
