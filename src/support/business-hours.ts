import type { BusinessHours, CompanyProfile, Weekday } from '../contracts/settings.ts';
import { weekdays } from '../contracts/settings.ts';

/** A moment as read on the company's wall clock. */
interface LocalTime {
  /** `YYYY-MM-DD`, the local calendar date. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

// Formatters are costly to build and each is tied to one zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const isoDate = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Weekday of a calendar date: the same in every zone, so UTC arithmetic is exact. */
const weekdayOf = (y: number, m: number, d: number): Weekday =>
  weekdays[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;

function localTime(instant: Date, timeZone: string): LocalTime {
  const w = wallClock(instant, timeZone);
  return {
    date: isoDate(w.year, w.month, w.day),
    weekday: weekdayOf(w.year, w.month, w.day),
    minutes: w.hour * 60 + w.minute,
  };
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens in `timeZone`. A time skipped by a DST jump (02:30 on the
 * spring-forward night) comes out as the moment after the jump; a repeated one as its first occurrence.
 */
function instantOf(y: number, m: number, d: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  // Two offsets disagree only around a transition: the earlier reading that still maps back is the answer.
  if (first === second) return new Date(first);
  const candidates = [first, second].sort((a, b) => a - b);
  const exact = candidates.find((c) => c + zoneOffset(c, timeZone) === wall);
  return new Date(exact ?? candidates[1]!);
}

/** Whether people are at work at `now`: inside an opening span of that local day, and not a holiday. */
export function isOpen(hours: BusinessHours, now: Date = new Date()): boolean {
  const local = localTime(now, hours.timeZone);
  if (hours.holidays?.includes(local.date)) return false;
  return (hours.days[local.weekday] ?? []).some(
    ([open, close]) => minutesOf(open) <= local.minutes && local.minutes < minutesOf(close),
  );
}

// A year of holidays in a row is the most any real calendar closes for.
const searchDays = 400;

/**
 * When people are next at work: `now` itself while open, otherwise the start of the next opening span,
 * skipping holidays. Undefined when the hours never open.
 */
export function nextOpening(hours: BusinessHours, now: Date = new Date()): Date | undefined {
  if (isOpen(hours, now)) return now;
  const today = wallClock(now, hours.timeZone);
  const nowMinutes = today.hour * 60 + today.minute;
  for (let offset = 0; offset < searchDays; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (hours.holidays?.includes(isoDate(y, m, d))) continue;
    const opens = (hours.days[weekdayOf(y, m, d)] ?? [])
      .map(([open]) => minutesOf(open))
      .filter((open) => offset > 0 || open > nowMinutes)
      .sort((a, b) => a - b);
    if (opens.length) return instantOf(y, m, d, opens[0]!, hours.timeZone);
  }
  return undefined;
}

/** Where a hand-off stands against the business hours, and what the customer is told. */
export interface HandoffStatus {
  /** People are at work (or no hours are set, so nobody claims otherwise). */
  open: boolean;
  /** When people are back, while closed (undefined when the hours never open). */
  nextOpening: Date | undefined;
  /** The notice the customer sees. */
  text: string;
}

export const openNotice = 'A member of our team will join shortly.';

/** "Monday at 8:00 AM EST", with the date added when it is more than six days away. */
function describeOpening(at: Date, now: Date, timeZone: string): string {
  const far = at.getTime() - now.getTime() > 6 * 86_400_000;
  const day = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    ...(far ? { month: 'long', day: 'numeric' } : {}),
  }).format(at);
  const time = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
  return `${day} at ${time}`;
}

/** Whether a hand-off at `now` finds people at work, and the notice to show the customer. */
export function handoffStatus(profile: CompanyProfile, now: Date = new Date()): HandoffStatus {
  const hours = profile.businessHours;
  if (!hours || isOpen(hours, now)) return { open: true, nextOpening: hours && now, text: openNotice };
  const next = nextOpening(hours, now);
  const text = next
    ? `Our team is back ${describeOpening(next, now, hours.timeZone)}; leave your email and we'll reply there.`
    : "Our team is not available by chat; leave your email and we'll reply there.";
  return { open: false, nextOpening: next, text };
}

/**
 * The notice a customer sees when their conversation passes to a person: "A member of our team will join
 * shortly." inside business hours (or with none set), otherwise when the team is back, e.g.
 * "Our team is back Monday at 8:00 AM EST; leave your email and we'll reply there."
 */
export function handoffNotice(profile: CompanyProfile, now: Date = new Date()): string {
  return handoffStatus(profile, now).text;
}
