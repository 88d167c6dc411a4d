const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const integer = new Intl.NumberFormat();
const money = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 4,
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** A UTC day (YYYY-MM-DD) as a short axis label, e.g. "Mar 4". */
export const formatDayMonth = (day: string) => dayMonth.format(new Date(`${day}T00:00:00Z`));

export const formatInteger = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : integer.format(n);

export const formatUsd = (n: number) => money.format(n);

/** A 0–1 rate as a percentage, e.g. 0.426 → "42.6%". */
export const formatRate = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toString()}%`;

export const formatMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined
    ? '—'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${integer.format(ms)} ms`;

export function formatPrice(price: number | null | undefined): string {
  return price === null || price === undefined ? '—' : price.toFixed(2);
}

/** A short id for tables, e.g. the first block of a UUID. */
export const shortId = (id: string) => id.slice(0, 8);

/** The telling part of a source: a page's host and path, or a file's name. */
export function shortSource(source: string): string {
  const url = /^https?:\/\/(.+)$/.exec(source);
  if (url) return url[1]!;
  const parts = source.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? parts[parts.length - 1]! : source;
}
