import { describe, expect, it } from 'vitest';
import { BusinessHours, type CompanyProfile } from '../contracts/settings.ts';
import { handoffNotice, handoffStatus, isOpen, nextOpening, openNotice } from './business-hours.ts';

// The demo company's hours: weekdays 8-20 and Saturday 10-16, US Eastern, closed on Christmas Day.
const eastern: BusinessHours = {
  timeZone: 'America/New_York',
  days: {
    mon: [['08:00', '20:00']],
    tue: [['08:00', '20:00']],
    wed: [['08:00', '20:00']],
    thu: [['08:00', '20:00']],
    fri: [['08:00', '20:00']],
    sat: [['10:00', '16:00']],
  },
  holidays: ['2024-12-25'],
};

const at = (iso: string) => new Date(iso);

describe('isOpen', () => {
  it('reads the hours on the company wall clock, in summer and winter time', () => {
    // 12:00 UTC is 08:00 in New York in summer (EDT, UTC-4) but 07:00 in winter (EST, UTC-5).
    expect(isOpen(eastern, at('2024-07-08T12:00:00Z'))).toBe(true);
    expect(isOpen(eastern, at('2024-01-08T12:00:00Z'))).toBe(false);
    expect(isOpen(eastern, at('2024-01-08T13:00:00Z'))).toBe(true);
    // Closing time is exclusive: 20:00 EST is closed.
    expect(isOpen(eastern, at('2024-01-09T00:59:00Z'))).toBe(true);
    expect(isOpen(eastern, at('2024-01-09T01:00:00Z'))).toBe(false);
  });

  it('is closed on a day without spans and on a holiday', () => {
    expect(isOpen(eastern, at('2024-07-07T16:00:00Z'))).toBe(false); // a Sunday
    expect(isOpen(eastern, at('2024-12-25T16:00:00Z'))).toBe(false); // a Wednesday, Christmas
    expect(isOpen(eastern, at('2024-12-26T16:00:00Z'))).toBe(true);
  });

  it('takes the local date, not the UTC one, for holidays and weekdays', () => {
    // 02:00 UTC on the 26th is still the evening of the 25th in New York.
    const late = { ...eastern, days: { ...eastern.days, wed: [['08:00', '24:00']] as [string, string][] } };
    expect(isOpen(late, at('2024-12-26T02:00:00Z'))).toBe(false);
    expect(isOpen(late, at('2024-12-19T02:00:00Z'))).toBe(true); // Wednesday 21:00 EST, no holiday
  });
});

describe('nextOpening', () => {
  it('is now while open', () => {
    const now = at('2024-07-08T15:00:00Z');
    expect(nextOpening(eastern, now)).toEqual(now);
  });

  it('finds the next span later the same day and on the next day', () => {
    // Saturday 08:00 EST → Saturday 10:00 EST.
    expect(nextOpening(eastern, at('2024-03-09T13:00:00Z'))?.toISOString()).toBe('2024-03-09T15:00:00.000Z');
    // Friday 21:00 EST → Saturday 10:00 EST.
    expect(nextOpening(eastern, at('2024-03-09T02:00:00Z'))?.toISOString()).toBe('2024-03-09T15:00:00.000Z');
  });

  it('crosses the spring-forward weekend: Monday 08:00 is EDT, an hour earlier in UTC', () => {
    // Saturday 9 March 2024, 17:00 EST; clocks go forward on Sunday the 10th.
    const next = nextOpening(eastern, at('2024-03-09T22:00:00Z'));
    expect(next?.toISOString()).toBe('2024-03-11T12:00:00.000Z');
  });

  it('crosses the fall-back weekend: Monday 08:00 is EST again', () => {
    // Saturday 2 November 2024, 17:00 EDT; clocks go back on Sunday the 3rd.
    const next = nextOpening(eastern, at('2024-11-02T21:00:00Z'));
    expect(next?.toISOString()).toBe('2024-11-04T13:00:00.000Z');
  });

  it('works in other zones with other transition dates', () => {
    const london: BusinessHours = { timeZone: 'Europe/London', days: { mon: [['09:00', '17:00']] } };
    // Europe moves its clocks on 31 March 2024, three weeks after the US.
    expect(nextOpening(london, at('2024-03-29T12:00:00Z'))?.toISOString()).toBe('2024-04-01T08:00:00.000Z');
    expect(nextOpening(london, at('2024-03-22T12:00:00Z'))?.toISOString()).toBe('2024-03-25T09:00:00.000Z');
  });

  it('skips a holiday', () => {
    // Tuesday 24 December 21:00 EST → not Christmas Day → Thursday 26 December 08:00 EST.
    const next = nextOpening(eastern, at('2024-12-25T02:00:00Z'));
    expect(next?.toISOString()).toBe('2024-12-26T13:00:00.000Z');
  });

  it('moves an opening inside the skipped DST hour to just after the jump', () => {
    const night: BusinessHours = { timeZone: 'America/New_York', days: { sun: [['02:30', '05:00']] } };
    // 02:30 does not exist on 10 March 2024 in New York; 03:30 EDT is 07:30 UTC.
    expect(nextOpening(night, at('2024-03-10T05:00:00Z'))?.toISOString()).toBe('2024-03-10T07:30:00.000Z');
  });

  it('is undefined when the hours never open', () => {
    expect(nextOpening({ timeZone: 'UTC', days: {} }, at('2024-03-10T05:00:00Z'))).toBeUndefined();
  });
});

describe('handoffNotice', () => {
  const profile: CompanyProfile = { name: 'Kestrel', businessHours: eastern };

  it('says someone joins shortly inside hours, or when no hours are set', () => {
    expect(handoffNotice(profile, at('2024-07-08T15:00:00Z'))).toBe(openNotice);
    expect(handoffNotice({ name: 'Kestrel' }, at('2024-07-07T03:00:00Z'))).toBe(openNotice);
  });

  it('says when the team is back, in the company zone, and offers email', () => {
    const status = handoffStatus(profile, at('2024-03-09T22:00:00Z'));
    expect(status.open).toBe(false);
    expect(status.nextOpening?.toISOString()).toBe('2024-03-11T12:00:00.000Z');
    expect(status.text).toBe(
      "Our team is back Monday at 8:00 AM EDT; leave your email and we'll reply there.",
    );
  });

  it('adds the date when the team is away more than a week', () => {
    const away: CompanyProfile = {
      name: 'Kestrel',
      businessHours: {
        ...eastern,
        holidays: ['2024-12-23', '2024-12-24', '2024-12-25', '2024-12-26', '2024-12-27', '2024-12-28'],
      },
    };
    // Saturday 21 December after closing: the next open day is Monday 30 December.
    expect(handoffNotice(away, at('2024-12-21T22:00:00Z'))).toContain('Monday, December 30 at 8:00 AM EST');
  });

  it('validates the structure staff save', () => {
    expect(BusinessHours.safeParse(eastern).success).toBe(true);
    expect(BusinessHours.safeParse({ timeZone: 'Nowhere/City', days: {} }).success).toBe(false);
    expect(BusinessHours.safeParse({ timeZone: 'UTC', days: { mon: [['18:00', '09:00']] } }).success).toBe(
      false,
    );
    expect(BusinessHours.safeParse({ timeZone: 'UTC', days: {}, holidays: ['25/12/2024'] }).success).toBe(
      false,
    );
  });
});
