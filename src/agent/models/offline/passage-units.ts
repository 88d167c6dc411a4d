import { contentTerms, stem } from '../../../knowledge/text.ts';
import { sentencesOf } from './segment.ts';

/** A passage as search_knowledge returns it. */
export interface QuotedPassage {
  ref: string;
  title?: string;
  heading?: string;
  text: string;
  /** The passage's words (stems) the search matched to the query's, synonyms included. */
  matched?: string[];
}

/** A sentence, list item or table row of a passage: what an extractive answer quotes. */
export interface Unit {
  /** The passage's citation marker, e.g. S1. */
  ref: string;
  /** Position across all passages, best passage first, to keep the documents' order. */
  position: number;
  text: string;
  /** `-`, `1.`: the item's marker when the unit is a list item or table row. */
  marker: string | undefined;
  /** Steps of one numbered list share a group, so a chosen step can bring its siblings. */
  steps: string | undefined;
  /** Rows of one table share a group, so an answer can keep the rows that answer and leave the others. */
  table: string | undefined;
  terms: Set<string>;
  /** Content terms of the headings the unit sits under: the passage's, and any the chunker kept in the text. */
  section: Set<string>;
  /** Content terms of the document title. */
  title: Set<string>;
  /** The document and section the unit sits in: units of one place make one coherent answer. */
  place: string;
}

// Passages are quoted data: text addressed to the assistant is never repeated, whatever document it came from.
const instructionLike =
  /\b(ignore|disregard|forget)\b[^.]{0,30}\b(previous|prior|above|earlier|all)\b[^.]{0,20}\b(instructions?|prompts?|rules)\b|\b(list|show|reveal|print|dump)\s+(all|every)\s+(customers?|users?|orders?|accounts?|emails?)\b|\byou are now\b|\bsystem prompt\b|\bdeveloper mode\b|\bas an? (ai|assistant|language model)\b|\bnew instructions\b/i;

// Sentences about the page rather than the subject ("Use this page when ...") answer nothing.
const signpost =
  /^(use this (page|guide|note)|this (page|guide|article|note|document|section) (explains|covers|describes|applies|sets out)|see |for more\b|full details\b)/i;

// A Markdown image says nothing read aloud, and its "!" would end a sentence.
const image = /\s*!\[[^\]]*\]\([^)]*\)/g;
const listItem = /^([-*•]|\d+[.)])\s+(.*)$/;
const tableSeparator = /^\|?\s*:?-{3,}/;
// Plain-text tables drawn with dashes read as noise once their spacing is gone.
const asciiRule = /-{3,}\s+-{3,}/;

// A web address's pieces ("https", "github", "com") are no words of the text: "com" would meet "come".
const webAddress = /\b(?:https?:\/\/|www\.)\S+/gi;

/**
 * Content terms plus model names with a one-digit number ("flit 2"), which content terms alone drop, so
 * "Flit 2" and "Flit Lite" stay apart. Web addresses are left out.
 */
export function termsOf(text: string): Set<string> {
  const words = text.replace(webAddress, ' ');
  const terms = contentTerms(words);
  for (const [, word, digit] of words.toLowerCase().matchAll(/(\p{L}{2,})\s+(\d)(?![\d.,])/gu)) {
    if (contentTerms(word!).size > 0) terms.add(`${stem(word!)} ${digit}`);
  }
  return terms;
}

/**
 * Splits passages into quotable units, dropping headings, questions, fragments, instruction-like text and
 * repeats (overlapping chunks of one document share lines).
 */
export function unitsOf(passages: QuotedPassage[]): Unit[] {
  const seen = new Set<string>();
  return passages
    .flatMap(passageUnits)
    .filter((unit) => {
      const key = unit.text.toLowerCase().replace(/\W+/g, ' ').trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((unit, position) => ({ ...unit, position }));
}

function passageUnits(passage: QuotedPassage): Omit<Unit, 'position'>[] {
  const units: Omit<Unit, 'position'>[] = [];
  const title = termsOf(passage.title ?? '');
  let section = termsOf(passage.heading ?? '');
  let place = `${passage.title ?? passage.ref}\n${passage.heading ?? ''}`;
  let lists = 0;
  let inList = false;
  let tables = 0;
  let inTable = false;
  // The first row of a table names its columns; the rows after it, even past a blank line, read
  // "first cell — column: cell".
  let header: string[] | undefined;
  const add = (text: string, given?: string, table?: string) => {
    // Bullets are written one way in answers, whatever the document used.
    const marker = given && /^[*•]$/.test(given) ? '-' : given;
    const clean = plain(text);
    // A passage can start mid-sentence where the chunker cut a long paragraph.
    const fragment = units.length === 0 && /^[a-z]/.test(clean);
    if (!clean || fragment || /[:?]$/.test(clean) || asciiRule.test(clean)) return;
    // A short line without closing punctuation in running text is a heading or label ("3.1 Charge the watch").
    if (!marker && !/[.!?)]$/.test(clean) && clean.split(' ').length <= 6) return;
    if (signpost.test(clean) || instructionLike.test(clean)) return;
    const steps = marker && /\d/.test(marker) ? `${passage.ref}#${lists}` : undefined;
    units.push({
      ref: passage.ref,
      text: clean,
      marker,
      steps,
      table,
      terms: termsOf(clean),
      section,
      title,
      place,
    });
  };

  for (const paragraph of passage.text.replace(image, '').split(/\n\s*\n/)) {
    const blocks = joinWrappedLines(paragraph);
    // A lone short line without closing punctuation is a heading the chunker kept in the text.
    const heading = blocks.length === 1 && !/[.!?)|]$/.test(blocks[0]!) && blocks[0]!.split(' ').length <= 8;
    if (heading) {
      section = termsOf(`${passage.heading ?? ''} ${blocks[0]}`);
      place = `${passage.title ?? passage.ref}\n${passage.heading ?? ''}\n${blocks[0]}`;
      header = undefined;
      inTable = false;
      continue;
    }
    for (const block of blocks) {
      const item = listItem.exec(block);
      const numbered = item !== null && /\d/.test(item[1]!);
      if (numbered && (!inList || /^1\D/.test(item[1]!))) lists++;
      inList = numbered;
      if (block.startsWith('|')) {
        if (tableSeparator.test(block)) continue;
        if (!inTable) tables++;
        inTable = true;
        const table = `${passage.ref}#table${tables}`;
        const rows = tableRows(block);
        // Rows the chunker ran together come from the middle of a table, below its header.
        if (rows.length > 1) for (const cells of rows) add(tableRow(cells, undefined), '-', table);
        else if (header) add(tableRow(rows[0]!, header), '-', table);
        else header = rows[0];
        continue;
      }
      header = undefined;
      inTable = false;
      if (item) add(item[2]!, item[1]);
      else for (const sentence of sentencesOf(block)) add(sentence);
    }
  }
  return units;
}

/** Plain-text and PDF passages wrap lines mid-sentence: a line that starts no item or row continues the last. */
function joinWrappedLines(paragraph: string): string[] {
  const blocks: string[] = [];
  for (const line of paragraph.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const last = blocks.at(-1);
    if (last === undefined || listItem.test(line) || line.startsWith('|') || last.startsWith('|'))
      blocks.push(line);
    else blocks[blocks.length - 1] = `${last} ${line}`;
  }
  return blocks;
}

/**
 * The cells of a table line, as one row or, when the chunker ran several rows into one line ("| a | b | | c |
 * d |"), as the rows it holds if they split evenly.
 */
function tableRows(line: string): string[][] {
  const cellsOf = (row: string) =>
    row
      .replace(/^\s*\||\|\s*$/g, '')
      .split('|')
      .map(plain);
  const rows = line
    .split(/\|\s+\|/)
    .filter((part) => part.trim())
    .map(cellsOf);
  const even = rows.length > 1 && rows.every((cells) => cells.length === rows[0]!.length && cells.length > 1);
  return even ? rows : [cellsOf(line)];
}

/**
 * A row read as "first cell — column: cell; ...". A table of two columns names a thing and its value ("Warranty |
 * 24 months"): the column's name ("Value") would say nothing.
 */
function tableRow(cells: string[], header: string[] | undefined): string {
  const [first, ...rest] = cells;
  const label = (i: number) => (cells.length > 2 ? header?.[i + 1] : undefined);
  const described = rest.flatMap((c, i) => (!c ? [] : label(i) ? [`${label(i)}: ${c}`] : [c]));
  return `${first} — ${described.join('; ')}`;
}

/** Markdown emphasis, links and code reduced to their text. */
function plain(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
