import { type WeightedConcept } from './relevance.ts';
import { tokenize } from './text.ts';

// A part of a question is judged on its own when it names at least this many subjects (nouns or names).
const partSubjects = 2;

/**
 * The concepts of each part of a question of several, split where a comma, semicolon or question mark ends a
 * clause. A part is judged alone when it names two subjects (nouns or names) and the rest names one of its own:
 * "can you help me?" after a question is only the request, and "can I change it?" leans on what came before.
 *
 * @example questionParts('How do security rules change over time, and how do I restore a volume from a backup?', c)
 * // → [concepts of "security rules ... time", concepts of "restore a volume from a backup"]
 */
export function questionParts(asked: string, concepts: WeightedConcept[]): WeightedConcept[][] {
  const subjects = (cs: WeightedConcept[]) => cs.filter((c) => c.weight === 1);
  const lines = asked
    .split(/[,;?]+/)
    .map((p) => ` ${tokenize(p).join(' ')} `)
    .filter((line) => line.trim());
  if (lines.length < 2) return [];
  return lines
    .map((line) => concepts.filter((c) => line.includes(` ${tokenize(c.text).join(' ')} `)))
    .filter((part) => {
      const named = subjects(part);
      return named.length >= partSubjects && subjects(concepts).some((c) => !named.includes(c));
    });
}
