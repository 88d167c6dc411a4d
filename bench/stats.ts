/** Summary statistics and a markdown table, shared by the benchmarks. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Linear-interpolated percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Renders rows of equal keys as a GitHub markdown table. */
export function markdownTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]!);
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    line(keys),
    line(keys.map(() => '---')),
    ...rows.map((r) => line(keys.map((k) => r[k] ?? ''))),
  ].join('\n');
}

export interface LatencyStats {
  p50: number;
  p95: number;
  mean: number;
}

/** p50, p95 and mean of one pass of timings, in ms. */
export function latencyStats(ms: number[]): LatencyStats {
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), mean: mean(ms) };
}

/** Each statistic's median over several passes, rounded for tables. */
export function medianStats(passes: LatencyStats[]): LatencyStats {
  const of = (key: keyof LatencyStats) => round(median(passes.map((p) => p[key])), 2);
  return { p50: of('p50'), p95: of('p95'), mean: of('mean') };
}

/**
 * Runs `pass` (which returns one timing per query) up to `runs` times and gives each statistic's median. Stops
 * early once `budgetMs` is spent, so a slow configuration (a sequential scan at 100k rows) stays bounded.
 */
export async function timedPasses(
  runs: number,
  budgetMs: number,
  pass: () => Promise<number[]>,
): Promise<LatencyStats & { passes: number }> {
  const start = performance.now();
  const passes: LatencyStats[] = [];
  while (passes.length < runs && (passes.length === 0 || since(start) < budgetMs)) {
    passes.push(latencyStats(await pass()));
  }
  return { ...medianStats(passes), passes: passes.length };
}

/** Milliseconds since `start` (from `performance.now()`). */
export function since(start: number): number {
  return performance.now() - start;
}
