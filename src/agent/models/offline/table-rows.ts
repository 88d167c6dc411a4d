import { termsOf, type Unit } from './passage-units.ts';

// A question asking for a table, a comparison or everything about something is answered with whole tables.
const asksForTable =
  /\b(?:specs?|specifications?|technical (?:details|data)|everything|all|every|compare[ds]?|comparison|comparing|differences?|versus|vs|table|list|overview)\b/i;
// Rows of a table scoring this share of its best row answer as well as it ("Flit 2", "Flit Sport", "Flit Lite"
// for a question about Flit warranties); the others hold only what the whole table is about.
const answeringRowShare = 0.9;

/**
 * The units a prose answer may quote: of each table, only the rows that answer best, unless the question asks
 * for the table. A question about one attribute ("What's the warranty on ...?") gets that attribute's row, not
 * the whole specification table that also names the product.
 */
export function answeringRows<T extends { unit: Unit; score: number }>(scored: T[], question: string): T[] {
  if (asksForTable.test(question)) return scored;
  const bestRow = new Map<string, number>();
  for (const { unit, score } of scored) {
    if (unit.table) bestRow.set(unit.table, Math.max(bestRow.get(unit.table) ?? 0, score));
  }
  return scored.filter((s) => !s.unit.table || s.score >= answeringRowShare * bestRow.get(s.unit.table)!);
}

// A row's first cell of up to this many words is a label: the attribute or thing the row describes.
const maxLabelWords = 3;

/**
 * Whether a unit is a table row whose label is words of the question: "Warranty — 24 months" for "What's the
 * warranty on ...?", but not "Flit Sport — ..." for "Is the Flit 2 waterproof?".
 */
export function rowNames(unit: Unit, asked: Set<string>): boolean {
  const label = unit.text.split(' — ')[0]!;
  if (!unit.table || label.split(' ').length > maxLabelWords) return false;
  const named = [...termsOf(label)];
  return named.length > 0 && named.every((t) => asked.has(t));
}

/**
 * A question answered by a table's row, without asking for the table, is answered by its answering rows
 * alone: the attribute's line, not the rest of the section or document.
 */
export function answeredByRows(prose: Unit[], question: string): Unit[] | undefined {
  const table = prose[0]?.table;
  if (!table || asksForTable.test(question)) return undefined;
  return prose.filter((u) => u.table === table);
}
