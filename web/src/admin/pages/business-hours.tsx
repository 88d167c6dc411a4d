import type { BusinessHours, Weekday } from '../../../../src/contracts/settings.ts';

// The console may import only types from contracts, so the weekdays are listed again here.
const days: { key: Weekday; label: string }[] = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
];

/** The hours as the form edits them: each day's spans as text ("08:00-12:00, 13:00-17:00"). */
export interface HoursDraft {
  enabled: boolean;
  timeZone: string;
  days: Record<Weekday, string>;
  holidays: string;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The draft of stored hours (or of none: weekdays 9 to 5 in this browser's zone, switched off). */
export function hoursDraftOf(hours: BusinessHours | undefined): HoursDraft {
  return {
    enabled: Boolean(hours),
    timeZone: hours?.timeZone ?? browserZone(),
    days: Object.fromEntries(
      days.map(({ key }) => [
        key,
        hours
          ? (hours.days[key] ?? []).map(([open, close]) => `${open}-${close}`).join(', ')
          : ['sat', 'sun'].includes(key)
            ? ''
            : '09:00-17:00',
      ]),
    ) as Record<Weekday, string>,
    holidays: hours?.holidays?.join('\n') ?? '',
  };
}

const clock = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The hours to save, or the first problem with the draft; `undefined` hours when switched off. */
export function hoursOf(draft: HoursDraft): { hours: BusinessHours | undefined } | { error: string } {
  if (!draft.enabled) return { hours: undefined };
  const parsed: BusinessHours['days'] = {};
  for (const { key, label } of days) {
    const spans: [string, string][] = [];
    for (const text of draft.days[key]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [open, close, extra] = text.split(/\s*[-–]\s*/).map((s) => s.padStart(5, '0'));
      if (
        !open ||
        !close ||
        extra !== undefined ||
        !clock.test(open) ||
        !clock.test(close) ||
        open >= close
      ) {
        return { error: `${label}: write spans as 08:00-20:00, separated by commas.` };
      }
      spans.push([open, close]);
    }
    if (spans.length) parsed[key] = spans;
  }
  const holidays = draft.holidays.split(/[\s,]+/).filter(Boolean);
  const bad = holidays.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d));
  if (bad) return { error: `Holiday "${bad}": write dates as YYYY-MM-DD.` };
  if (!draft.timeZone.trim()) return { error: 'Choose a time zone.' };
  return {
    hours: {
      timeZone: draft.timeZone.trim(),
      days: parsed,
      ...(holidays.length ? { holidays } : {}),
    },
  };
}

const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

function ZoneField({ draft, onChange }: { draft: HoursDraft; onChange: (draft: HoursDraft) => void }) {
  return (
    <label className="field">
      <span>Time zone</span>
      <input
        className="input"
        list="time-zones"
        value={draft.timeZone}
        onChange={(e) => onChange({ ...draft, timeZone: e.target.value })}
        data-testid="hours-zone"
      />
      <datalist id="time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </label>
  );
}

/** Support hours per weekday in the company's time zone, and holidays: what hand-offs are measured against. */
export function BusinessHoursFields(props: {
  draft: HoursDraft;
  onChange: (draft: HoursDraft) => void;
  error?: string | undefined;
}) {
  const { draft, onChange } = props;
  return (
    <fieldset className="business-hours" data-testid="business-hours">
      <legend>Business hours</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(e) => onChange({ ...draft, enabled: e.target.checked })}
          data-testid="hours-enabled"
        />
        People answer at set hours
      </label>
      <small className="muted">
        Outside these hours a customer handed to a person is told when the team is back and may leave an
        email.
      </small>
      {draft.enabled && (
        <>
          <ZoneField draft={draft} onChange={onChange} />
          {days.map(({ key, label }) => (
            <label className="field" key={key}>
              <span>{label}</span>
              <input
                className="input"
                placeholder="closed"
                value={draft.days[key]}
                onChange={(e) => onChange({ ...draft, days: { ...draft.days, [key]: e.target.value } })}
                data-testid={`hours-${key}`}
              />
            </label>
          ))}
          <small className="muted">
            Spans as 08:00-20:00; several separated by commas; empty means closed.
          </small>
          <label className="field">
            <span>Holidays</span>
            <textarea
              className="input"
              rows={2}
              placeholder="2025-12-25"
              value={draft.holidays}
              onChange={(e) => onChange({ ...draft, holidays: e.target.value })}
              data-testid="hours-holidays"
            />
            <small className="muted">Closed all day: one date (YYYY-MM-DD) per line.</small>
          </label>
        </>
      )}
      {props.error && (
        <div className="status status-error" role="alert" data-testid="hours-error">
          <strong>{props.error}</strong>
        </div>
      )}
    </fieldset>
  );
}
