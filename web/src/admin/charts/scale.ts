/**
 * A count axis: a round step (1, 2 or 5 × 10ⁿ, never below 1) and the smallest multiple of it that reaches
 * `value`, with about `count` intervals, so every tick is a whole, readable number.
 *
 * @example countAxis(6) // { max: 6, ticks: [0, 2, 4, 6] }
 */
export function countAxis(value: number, count = 4): { max: number; ticks: number[] } {
  const raw = Math.max(value, 1) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((s) => s * magnitude >= raw) ?? 10) * magnitude);
  const max = Math.max(step, Math.ceil(value / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return { max, ticks };
}

/** A round upper bound (1, 2, 5 × 10ⁿ) at least `floor`, for bars measured against a shared scale. */
export function niceMax(value: number, floor = 1): number {
  const v = Math.max(value, floor);
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((s) => s * magnitude >= v) ?? 10) * magnitude;
}

/** Every UTC day from `days - 1` days ago to today, as YYYY-MM-DD. */
export function lastDays(days: number, today = new Date()): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}
