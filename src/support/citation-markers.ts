// The model cites passages by the markers the search tool gave them ([S3], [S5]), numbered in the order the
// turn retrieved them; readers see a list of the cited passages. One rule everywhere a client reads an answer
// (/api/chat, /v1, `parley ask`, transcripts): markers become [1], [2], ... in the order the answer first cites
// them, the citations are listed in that same order, and a marker that cites no passage is dropped.
//
// Passage refs are S1..Sn, consecutive, and an answer's citations are the passages it cites in ref order. So
// the refs actually cited are the smallest ones the text mentions, one per citation: that is how a marker is
// matched to its citation without the ref being stored.

const markerPattern = /( ?)\[S(\d+)\]/g;
// What a streamed delta may end with that the next delta can still change: a marker cut off (`[`, `[S`,
// `[S1`), and the space before it, which goes if the marker turns out to cite nothing.
const unsettledEnd = /\s*(?:\[(?:S\d*)?)?$/;

function refOf(digits: string): number | undefined {
  return /^[1-9]\d{0,5}$/.test(digits) ? Number(digits) : undefined;
}

/**
 * Renumbers an answer's markers as it streams. `cites(ref)` says whether a ref names a passage the turn
 * retrieved (while streaming: one a tool result has shown); other markers are dropped.
 *
 * @example
 * const numbering = new CitationNumbering();
 * numbering.push('Hold it [S'); // 'Hold it'
 * numbering.push('3].'); // ' [1].'
 * numbering.order(citations); // the cited passages, [1] first
 */
export class CitationNumbering {
  /** Ref → the number shown, in the order first cited. */
  private readonly shown = new Map<number, number>();
  /** Every well-formed ref the raw text mentioned. */
  private readonly mentioned = new Set<number>();
  private held = '';

  constructor(private readonly cites: (ref: number) => boolean = () => true) {}

  /** The text to emit for `delta`; a marker split across deltas is held back until it is complete. */
  push(delta: string): string {
    const text = this.held + delta;
    const cut = unsettledEnd.exec(text)?.index ?? text.length;
    this.held = text.slice(cut);
    return this.renumber(text.slice(0, cut));
  }

  /** Whatever is still held back (the end of the answer). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return this.renumber(rest);
  }

  /** The answer's citations (in ref order, as the agent records them) in the order of their numbers. */
  order<T>(citations: readonly T[]): T[] {
    const citedRefs = [...this.mentioned].sort((a, b) => a - b).slice(0, citations.length);
    const byRef = new Map(citedRefs.map((ref, i) => [ref, citations[i]!] as const));
    const numbered = [...this.shown.keys()].flatMap((ref) => (byRef.has(ref) ? [byRef.get(ref) as T] : []));
    // A citation whose marker was dropped while streaming still belongs to the answer: it goes last.
    return [...numbered, ...citations.filter((c) => !numbered.includes(c))];
  }

  private renumber(text: string): string {
    return text.replace(markerPattern, (_whole, space: string, digits: string) => {
      const ref = refOf(digits);
      if (ref === undefined) return '';
      this.mentioned.add(ref);
      if (!this.cites(ref)) return '';
      let number = this.shown.get(ref);
      if (number === undefined) {
        number = this.shown.size + 1;
        this.shown.set(ref, number);
      }
      return `${space}[${number}]`;
    });
  }
}

/**
 * A whole answer with its markers renumbered and its citations in the same order (see the rule above).
 * Idempotent: an answer already numbered this way comes back unchanged.
 */
export function numberCitations<T>(text: string, citations: readonly T[]): { text: string; citations: T[] } {
  const refs = [...text.matchAll(markerPattern)].flatMap((m) => {
    const ref = refOf(m[2]!);
    return ref === undefined ? [] : [ref];
  });
  const cited = new Set([...new Set(refs)].sort((a, b) => a - b).slice(0, citations.length));
  const numbering = new CitationNumbering((ref) => cited.has(ref));
  const numbered = numbering.push(text) + numbering.flush();
  return { text: numbered, citations: numbering.order(citations) };
}

/** The refs (S1 → 1) of passages a tool result hands the model, so a stream knows which markers cite. */
export function passageRefsOf(output: unknown): number[] {
  const passages = (output as { passages?: unknown } | null | undefined)?.passages;
  if (!Array.isArray(passages)) return [];
  return passages.flatMap((p) => {
    const ref = /^S(\d+)$/.exec(String((p as { ref?: unknown } | null)?.ref ?? ''));
    const n = ref ? refOf(ref[1]!) : undefined;
    return n === undefined ? [] : [n];
  });
}
