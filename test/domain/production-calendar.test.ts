import {
  CalendarDataMissingError,
  addBusinessDays,
  addDays,
  businessDaysBetween,
  isBusinessDay,
  moscowDateOf,
  moscowMidnight,
  nextBusinessDay,
  reviewSla,
  supportedYears,
} from '../../domain/calendar/production-calendar';
import { RUSSIA_2025 } from '../../domain/calendar/russia-2025';
import { RUSSIA_2026 } from '../../domain/calendar/russia-2026';

// Every expected value below was worked out by hand from the published calendars
// (decree No. 1335 of 4 Oct 2024 for 2025, decree No. 1466 of 24 Sep 2025 for 2026).

describe('production calendar data', () => {
  it('ships 2025 and 2026', () => {
    expect(supportedYears()).toEqual([2025, 2026]);
  });

  it.each([RUSSIA_2025, RUSSIA_2026])('keeps every $year entry inside its year', (data) => {
    for (const { date } of [...data.daysOff, ...data.workingWeekendDays]) {
      expect(date.slice(0, 5)).toBe(`${data.year}-`);
    }
  });

  it('lists only Saturday 1 November 2025 as a working weekend day in either year', () => {
    expect(RUSSIA_2025.workingWeekendDays.map((d) => d.date)).toEqual(['2025-11-01']);
    expect(RUSSIA_2026.workingWeekendDays).toEqual([]);
  });
});

describe('isBusinessDay', () => {
  it.each([
    // 2025
    ['2025-01-01', false], // Wed, New Year holidays
    ['2025-01-08', false], // Wed, New Year holidays
    ['2025-01-09', true], // Thu, first working day of 2025
    ['2025-02-24', true], // Mon: 23 Feb (Sun) was moved to 8 May, not to the Monday
    ['2025-03-10', true], // Mon: 8 Mar (Sat) was moved to 13 June
    ['2025-05-02', false], // Fri, from 4 Jan
    ['2025-05-05', true], // Mon between the May breaks
    ['2025-05-08', false], // Thu, from 23 Feb
    ['2025-06-13', false], // Fri, from 8 Mar
    ['2025-11-01', true], // Sat, transferred working day
    ['2025-11-02', false], // Sun
    ['2025-11-03', false], // Mon, from 1 Nov
    ['2025-11-04', false], // Tue, National Unity Day
    ['2025-11-05', true], // Wed
    ['2025-12-29', true], // Mon
    ['2025-12-30', true], // Tue, last working day of 2025
    ['2025-12-31', false], // Wed, from 5 Jan
    // 2026
    ['2026-01-01', false], // Thu
    ['2026-01-02', false], // Fri
    ['2026-01-03', false], // Sat
    ['2026-01-04', false], // Sun
    ['2026-01-05', false], // Mon
    ['2026-01-06', false], // Tue
    ['2026-01-07', false], // Wed, Christmas
    ['2026-01-08', false], // Thu
    ['2026-01-09', false], // Fri, from 3 Jan
    ['2026-01-10', false], // Sat
    ['2026-01-11', false], // Sun
    ['2026-01-12', true], // Mon, first working day of 2026
    ['2026-02-23', false], // Mon, Defender of the Fatherland Day
    ['2026-02-24', true], // Tue
    ['2026-03-06', true], // Fri before 7–9 Mar
    ['2026-03-09', false], // Mon, for 8 Mar (Sun)
    ['2026-03-14', false], // plain Saturday
    ['2026-03-16', true], // plain Monday
    ['2026-04-30', true], // Thu
    ['2026-05-01', false], // Fri, Spring and Labour Day
    ['2026-05-04', true], // Mon
    ['2026-05-08', true], // Fri before 9–11 May
    ['2026-05-11', false], // Mon, for 9 May (Sat)
    ['2026-05-12', true], // Tue
    ['2026-06-11', true], // Thu
    ['2026-06-12', false], // Fri, Russia Day
    ['2026-06-15', true], // Mon
    ['2026-11-03', true], // Tue
    ['2026-11-04', false], // Wed, National Unity Day
    ['2026-12-30', true], // Wed, last working day of 2026
    ['2026-12-31', false], // Thu, from 4 Jan
  ])('%s is a business day: %p', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['2024-12-31', 2024],
    ['2027-01-11', 2027],
  ])('refuses %s, a year without data, naming %i', (date, year) => {
    expect(() => isBusinessDay(date)).toThrow(CalendarDataMissingError);
    expect(() => isBusinessDay(date)).toThrow(String(year));
    try {
      isBusinessDay(date);
    } catch (error) {
      expect((error as CalendarDataMissingError).year).toBe(year);
    }
  });

  it.each(['2026-02-30', '2026-1-5', '20260105', '', '2026-13-01'])(
    'refuses %p as a date',
    (date) => {
      expect(() => isBusinessDay(date)).toThrow(RangeError);
    },
  );
});

describe('working days per month match the published calendars', () => {
  // [month, working days in 2025, working days in 2026]
  it.each([
    ['01', 17, 15],
    ['02', 20, 19],
    ['03', 21, 21],
    ['04', 22, 22],
    ['05', 18, 19],
    ['06', 19, 21],
    ['07', 23, 23],
    ['08', 21, 21],
    ['09', 22, 22],
    ['10', 23, 22],
    ['11', 19, 20],
    ['12', 22, 22],
  ])('month %s: %i in 2025, %i in 2026', (month, in2025, in2026) => {
    const count = (year: number): number => {
      let n = 0;
      for (let day = `${year}-${month}-01`; day.startsWith(`${year}-${month}`);) {
        if (isBusinessDay(day)) n += 1;
        day = addDays(day, 1);
      }
      return n;
    };
    expect(count(2025)).toBe(in2025);
    expect(count(2026)).toBe(in2026);
  });

  it('has 247 working days in each year', () => {
    expect(businessDaysBetween('2024-12-31', '2025-12-31')).toBe(247);
    expect(businessDaysBetween('2025-12-31', '2026-12-31')).toBe(247);
  });
});

describe('Moscow dates and midnights', () => {
  it.each([
    ['2026-03-05T22:30:00Z', '2026-03-06'], // 01:30 on 6 Mar in Moscow
    ['2026-03-05T20:59:59.999Z', '2026-03-05'], // 23:59:59.999 Moscow
    ['2026-03-05T21:00:00Z', '2026-03-06'], // exactly midnight Moscow
    ['2026-03-06T01:30:00+03:00', '2026-03-06'],
    ['2026-01-01T02:00:00+05:00', '2026-01-01'], // 2025-12-31T21:00Z
    ['2025-12-31T20:59:59Z', '2025-12-31'],
  ])('%s falls on %s in Moscow', (instant, date) => {
    expect(moscowDateOf(instant)).toBe(date);
  });

  it('accepts a Date', () => {
    expect(moscowDateOf(new Date(Date.UTC(2025, 11, 31, 21, 0, 0)))).toBe('2026-01-01');
  });

  it.each(['2026-03-05T22:30:00', '2026-03-05', 'yesterday', '2014-10-25T21:59:59Z'])(
    'refuses %p as an instant',
    (instant) => {
      expect(() => moscowDateOf(instant)).toThrow(RangeError);
    },
  );

  it('refuses an invalid Date', () => {
    expect(() => moscowDateOf(new Date(NaN))).toThrow(RangeError);
  });

  it.each([
    ['2026-01-12', '2026-01-11T21:00:00.000Z'],
    ['2026-03-01', '2026-02-28T21:00:00.000Z'],
    ['2024-03-01', '2024-02-29T21:00:00.000Z'],
    ['2026-01-01', '2025-12-31T21:00:00.000Z'],
  ])('midnight of %s in Moscow is %s', (date, instant) => {
    expect(moscowMidnight(date).toISOString()).toBe(instant);
  });

  it('refuses midnights from before the fixed UTC+3 offset', () => {
    expect(() => moscowMidnight('2014-10-26')).toThrow(RangeError);
    expect(moscowMidnight('2014-10-27').toISOString()).toBe('2014-10-26T21:00:00.000Z');
  });
});

describe('addDays', () => {
  it.each([
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-12', 0, '2026-01-12'],
    ['2025-12-30', 13, '2026-01-12'],
  ])('%s + %i = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses fractional days and bad dates', () => {
    expect(() => addDays('2026-01-12', 1.5)).toThrow(RangeError);
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
  });
});

describe('addBusinessDays and nextBusinessDay', () => {
  it.each([
    ['2025-12-30', '2026-01-12'], // over 31 Dec and 1–11 Jan
    ['2026-01-09', '2026-01-12'],
    ['2026-03-06', '2026-03-10'], // Friday before 7–9 Mar
    ['2026-05-08', '2026-05-12'], // Friday before 9–11 May
    ['2026-04-30', '2026-05-04'],
    ['2025-10-31', '2025-11-01'], // working Saturday
    ['2025-11-01', '2025-11-05'],
    ['2024-12-31', '2025-01-09'], // the start date itself needs no data
  ])('next business day after %s is %s', (date, expected) => {
    expect(nextBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['2026-04-29', 2, '2026-05-04'],
    ['2026-04-29', 7, '2026-05-12'],
    ['2025-12-29', 1, '2025-12-30'],
    ['2025-12-29', 2, '2026-01-12'],
  ])('%s + %i business days = %s', (date, n, expected) => {
    expect(addBusinessDays(date, n)).toBe(expected);
  });

  it.each([0, -1, 2.5])('refuses %p business days', (n) => {
    expect(() => addBusinessDays('2026-01-12', n)).toThrow(RangeError);
  });

  it('throws rather than walk into 2027, which has no data', () => {
    expect(() => nextBusinessDay('2026-12-30')).toThrow(CalendarDataMissingError);
    expect(() => nextBusinessDay('2026-12-30')).toThrow('2027');
  });
});

describe('businessDaysBetween', () => {
  it.each([
    ['2025-12-30', '2026-01-12', 1],
    ['2025-12-30', '2026-01-11', 0],
    ['2026-01-12', '2026-01-12', 0],
    ['2026-04-29', '2026-05-12', 7],
    ['2026-05-12', '2026-04-29', -7], // overdue by 7
    ['2025-10-31', '2025-11-12', 7],
    ['2026-03-06', '2026-03-09', 0],
    ['2026-03-09', '2026-03-06', 0], // 7–9 Mar are all off
    ['2026-03-10', '2026-03-06', -1], // overdue by one business day, 10 Mar
  ])('from %s to %s: %i', (from, to, expected) => {
    expect(businessDaysBetween(from, to)).toBe(expected);
  });

  it('throws for a range reaching into a year without data', () => {
    expect(() => businessDaysBetween('2026-12-30', '2027-01-15')).toThrow(CalendarDataMissingError);
  });
});

describe('reviewSla', () => {
  it.each([
    // New Year: 31 Dec and 1–11 Jan off; 12, 13, 14, 15, 16, 19, 20 Jan.
    [
      '2025-12-30T09:00:00Z',
      '2025-12-30',
      '2026-01-20',
      '2026-01-19T21:00:00.000Z',
      '2026-01-20T21:00:00.000Z',
    ],
    // May 2026: 30 Apr; 4, 5, 6, 7, 8 May; 9–11 May off; 12 May.
    [
      '2026-04-29T12:00:00Z',
      '2026-04-29',
      '2026-05-12',
      '2026-05-11T21:00:00.000Z',
      '2026-05-12T21:00:00.000Z',
    ],
    // Friday before 9–11 May: 12, 13, 14, 15, 18, 19, 20 May.
    [
      '2026-05-08T07:00:00Z',
      '2026-05-08',
      '2026-05-20',
      '2026-05-19T21:00:00.000Z',
      '2026-05-20T21:00:00.000Z',
    ],
    // Friday before 7–9 Mar: 10, 11, 12, 13, 16, 17, 18 Mar.
    [
      '2026-03-06T10:00:00Z',
      '2026-03-06',
      '2026-03-18',
      '2026-03-17T21:00:00.000Z',
      '2026-03-18T21:00:00.000Z',
    ],
    // 22:30Z on Thursday 5 Mar is already Friday 6 Mar, 01:30 in Moscow.
    [
      '2026-03-05T22:30:00Z',
      '2026-03-06',
      '2026-03-18',
      '2026-03-17T21:00:00.000Z',
      '2026-03-18T21:00:00.000Z',
    ],
    // One second before Moscow midnight it is still Thursday: 6, 10, 11, 12, 13, 16, 17 Mar.
    [
      '2026-03-05T20:59:59Z',
      '2026-03-05',
      '2026-03-17',
      '2026-03-16T21:00:00.000Z',
      '2026-03-17T21:00:00.000Z',
    ],
    // Saturday inside 21–23 Feb: 24, 25, 26, 27 Feb; 2, 3, 4 Mar.
    [
      '2026-02-21T08:00:00Z',
      '2026-02-21',
      '2026-03-04',
      '2026-03-03T21:00:00.000Z',
      '2026-03-04T21:00:00.000Z',
    ],
    // Plain Saturday and Sunday give the same deadline: 13, 14, 15, 16, 17, 20, 21 Apr.
    [
      '2026-04-11T08:00:00Z',
      '2026-04-11',
      '2026-04-21',
      '2026-04-20T21:00:00.000Z',
      '2026-04-21T21:00:00.000Z',
    ],
    [
      '2026-04-12T20:00:00Z',
      '2026-04-12',
      '2026-04-21',
      '2026-04-20T21:00:00.000Z',
      '2026-04-21T21:00:00.000Z',
    ],
    // Working Saturday 1 Nov 2025 counts: 1, 5, 6, 7, 10, 11, 12 Nov.
    [
      '2025-10-31T09:00:00Z',
      '2025-10-31',
      '2025-11-12',
      '2025-11-11T21:00:00.000Z',
      '2025-11-12T21:00:00.000Z',
    ],
    // Submitted on that working Saturday, which itself never counts: 5, 6, 7, 10, 11, 12, 13 Nov.
    [
      '2025-11-01T09:00:00Z',
      '2025-11-01',
      '2025-11-13',
      '2025-11-12T21:00:00.000Z',
      '2025-11-13T21:00:00.000Z',
    ],
    // May 2025: 5, 6, 7 May; 8–11 May off; 12, 13, 14, 15 May.
    [
      '2025-04-30T09:00:00Z',
      '2025-04-30',
      '2025-05-15',
      '2025-05-14T21:00:00.000Z',
      '2025-05-15T21:00:00.000Z',
    ],
    // June 2025, 12–15 Jun off: 16, 17, 18, 19, 20, 23, 24 Jun.
    [
      '2025-06-11T09:00:00Z',
      '2025-06-11',
      '2025-06-24',
      '2025-06-23T21:00:00.000Z',
      '2025-06-24T21:00:00.000Z',
    ],
    // Submitted in 2024 (no data needed for the day itself): 9, 10, 13, 14, 15, 16, 17 Jan 2025.
    [
      '2024-12-31T10:00:00Z',
      '2024-12-31',
      '2025-01-17',
      '2025-01-16T21:00:00.000Z',
      '2025-01-17T21:00:00.000Z',
    ],
  ])('submitted %s', (submittedAt, submittedOn, lastReviewDay, reminderAt, deadline) => {
    expect(reviewSla(submittedAt)).toEqual({ submittedOn, lastReviewDay, reminderAt, deadline });
  });

  it('accepts a Date and a string with an offset alike', () => {
    expect(reviewSla(new Date(Date.UTC(2026, 2, 5, 22, 30)))).toEqual(
      reviewSla('2026-03-06T01:30:00+03:00'),
    );
  });

  it('refuses a submission whose 7 business days run into 2027', () => {
    // 29, 30 Dec are business days, 31 Dec is off, then 2027 has no data.
    expect(() => reviewSla('2026-12-28T09:00:00Z')).toThrow(CalendarDataMissingError);
  });

  it('does not depend on the host time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect(reviewSla('2026-03-05T22:30:00Z')).toEqual({
          submittedOn: '2026-03-06',
          lastReviewDay: '2026-03-18',
          reminderAt: '2026-03-17T21:00:00.000Z',
          deadline: '2026-03-18T21:00:00.000Z',
        });
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
