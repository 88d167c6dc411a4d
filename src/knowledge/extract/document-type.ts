import path from 'node:path';

// Plural-looking words that are not plurals, or whose singular is the same word.
const uncountable = new Set([
  'news',
  'series',
  'species',
  'status',
  'analysis',
  'basics',
  'physics',
  'docs-as-code',
]);

/** A plural word in the singular: guides → guide, policies → policy, faqs → faq, addresses → address. */
function singular(word: string): string {
  if (word.length <= 2 || uncountable.has(word) || /(ss|us|is)$/.test(word)) return word;
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * A document type as search filters use it, from a folder name or a front-matter `type`: lowercased, a
 * numeric ordering prefix dropped ("03-guides", "2. FAQs"), words joined by hyphens, the last one singular.
 * Undefined when nothing is left.
 * @example documentType('03-Release Notes') // 'release-note'
 */
export function documentType(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = name
    .toLowerCase()
    .replace(/^\d+(?:[._\s-]+|(?=[a-z]))/, '')
    .split(/[\s_-]+/)
    .filter(Boolean);
  if (words.length === 0 || !/[a-z]/.test(words.join(''))) return undefined;
  words[words.length - 1] = singular(words.at(-1)!);
  return words.join('-');
}

/**
 * The document type of a file ingested from a folder: named by the first folder under the ingested root
 * (`<root>/03-guides/pairing.md` → guide). Undefined for files at the root itself.
 */
export function documentTypeFromPath(root: string, file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep);
  if (rel.length < 2 || rel[0] === '..') return undefined;
  return documentType(rel[0]);
}
