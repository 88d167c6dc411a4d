import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EvalCase } from '../contracts/eval.ts';
import { type Db } from '../db/client.ts';
import { approvedPairs } from './qa-review.ts';

/** A suite as read from a file or built from Q&A pairs: its name, the hash of its cases, and the cases. */
export interface Suite {
  name: string;
  hash: string;
  cases: EvalCase[];
}

/** A suite file with bad lines: every problem, each with its line number, so one pass fixes them all. */
export class SuiteFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; message: string }[],
  ) {
    super(`${file}: ${problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
    this.name = 'SuiteFileError';
  }
}

/**
 * The hash that identifies a suite's content: two runs with the same hash asked the same cases. Keys are
 * sorted so reformatting a file does not change it.
 */
export function suiteHash(cases: EvalCase[]): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(canonical(cases)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Parses suite text (JSON Lines, one case a line; blank lines and `//` comments skipped). Throws a
 * `SuiteFileError` listing every bad line: invalid JSON, a case the schema refuses, a repeated id.
 */
export function parseSuite(text: string, file: string): EvalCase[] {
  const problems: { line: number; message: string }[] = [];
  const cases: EvalCase[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push({ line: i + 1, message: 'not valid JSON' });
      return;
    }
    const parsed = EvalCase.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      problems.push({ line: i + 1, message: `${where}${issue.message}` });
      return;
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      problems.push({ line: i + 1, message: `id "${parsed.data.id}" is already used on line ${earlier}` });
      return;
    }
    seen.set(parsed.data.id, i + 1);
    cases.push(parsed.data);
  });
  if (problems.length) throw new SuiteFileError(file, problems);
  if (cases.length === 0) throw new SuiteFileError(file, [{ line: 1, message: 'the suite has no cases' }]);
  return cases;
}

/** Reads a suite file; its name is the file's name without the extension (`examples/tests/demo.jsonl` → `demo`). */
export async function readSuiteFile(file: string): Promise<Suite> {
  const cases = parseSuite(await fs.readFile(file, 'utf8'), file);
  return { name: path.basename(file).replace(/\.[^.]+$/, ''), hash: suiteHash(cases), cases };
}

/**
 * A suite from the approved test-split Q&A pairs: each question must be answered with a token F1 of at least
 * `minF1` against the reviewed answer, citing the documents the pair cites (by file name).
 */
export async function suiteFromQaPairs(db: Db, options: { minF1: number }): Promise<Suite> {
  const pairs = await approvedPairs(db, 'test');
  const cases: EvalCase[] = pairs.map((p) => {
    const cites = [...new Set(p.citations.map((c) => path.basename(c.source)))];
    return {
      id: `qa-${p.id}`,
      question: p.question,
      expect: { similar_to: p.answer, min_f1: options.minF1, ...(cites.length ? { cites } : {}) },
    };
  });
  return { name: 'qa-test', hash: suiteHash(cases), cases };
}
