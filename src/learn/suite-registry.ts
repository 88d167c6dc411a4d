import { asc, eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { documents, type EvalSuite, evalSuites } from '../db/schema/index.ts';
import { citationMatches } from './suite-check.ts';
import type { EvalCase } from '../contracts/eval.ts';
import { type Suite, suiteHash } from './suite-file.ts';
import { knowledgeVersions, latestRun } from './suite-store.ts';

/** Registers a suite (or replaces the cases of the one with its name) so document changes re-run it. */
export async function registerSuite(db: Db, suite: Suite): Promise<EvalSuite> {
  const [row] = await db
    .insert(evalSuites)
    .values({ name: suite.name, hash: suite.hash, cases: suite.cases })
    .onConflictDoUpdate({
      target: evalSuites.name,
      set: { hash: suite.hash, cases: suite.cases, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/**
 * Registers cases sent over the API under `name`; a repeated case id is refused (runs and diffs match cases
 * by id), as a value the caller reports.
 */
export async function registerSuiteCases(
  db: Db,
  name: string,
  cases: EvalCase[],
): Promise<{ suite: EvalSuite } | { problem: string }> {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) return { problem: `case id "${c.id}" is used twice` };
    seen.add(c.id);
  }
  return { suite: await registerSuite(db, { name, hash: suiteHash(cases), cases }) };
}

export async function findSuite(db: Db, id: string): Promise<EvalSuite | undefined> {
  const [row] = await db.select().from(evalSuites).where(eq(evalSuites.id, id));
  return row;
}

export async function listSuites(db: Db): Promise<EvalSuite[]> {
  return db.select().from(evalSuites).orderBy(asc(evalSuites.name));
}

/** A registered suite as a runnable suite. */
export function suiteOf(row: EvalSuite): Suite {
  return { name: row.name, hash: row.hash, cases: row.cases };
}

/** A registered suite that relies on documents whose current version changed since its last run. */
export interface StaleSuite {
  suite: EvalSuite;
  changedDocuments: string[];
}

/**
 * Registered suites to re-run because a document they rely on changed: a document one of their cases
 * expects to be cited (`expect.cites` matches its source or title) or that an answer of their last run cited,
 * whose current version is not the one recorded by that run (a new version, a rollback, a retirement).
 * Comparing versions rather than watching ingestion catches every way a version becomes current: the CLI, the
 * console, a source sync, a rollback. Suites never run are left alone: registering one runs it.
 */
export async function staleSuites(db: Db): Promise<StaleSuite[]> {
  const suites = await listSuites(db);
  if (suites.length === 0) return [];
  const current = await knowledgeVersions(db);
  const docs = await db
    .select({ id: documents.id, source: documents.source, title: documents.title })
    .from(documents)
    .where(eq(documents.status, 'active'));
  const stale: StaleSuite[] = [];
  for (const suite of suites) {
    const last = await latestRun(db, suite.name);
    if (!last) continue;
    const relevant = new Set(last.cases.flatMap((c) => c.citations.map((x) => x.documentId)));
    const expected = suite.cases.flatMap((c) => c.expect.cites ?? []);
    for (const d of docs) if (expected.some((e) => citationMatches(d, e))) relevant.add(d.id);
    const recorded = last.run.knowledgeVersions;
    const changed = [...relevant].filter((id) => current[id]?.versionId !== recorded[id]?.versionId).sort();
    if (changed.length) stale.push({ suite, changedDocuments: changed });
  }
  return stale;
}
