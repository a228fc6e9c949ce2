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
import { RUSSIA_2027 } from '../../domain/calendar/russia-2027';

// Every expected value below was worked out by hand from the published calendars
// (decree No. 1335 of 4 Oct 2024 for 2025, decree No. 1466 of 24 Sep 2025 for 2026,
// decree No. 1187 of 17 Sep 2026 for 2027).

describe('production calendar data', () => {
  it('ships 2025, 2026 and 2027', () => {
    expect(supportedYears()).toEqual([2025, 2026, 2027]);
  });

  it.each([RUSSIA_2025, RUSSIA_2026, RUSSIA_2027])(
    'keeps every $year entry inside its year',
    (data) => {
      for (const { date } of [...data.daysOff, ...data.workingWeekendDays]) {
        expect(date.slice(0, 5)).toBe(`${data.year}-`);
      }
    },
  );

  it('lists only Sat 1 Nov 2025 and Sat 20 Feb 2027 as working weekend days', () => {
    expect(RUSSIA_2025.workingWeekendDays.map((d) => d.date)).toEqual(['2025-11-01']);
    expect(RUSSIA_2026.workingWeekendDays).toEqual([]);
    expect(RUSSIA_2027.workingWeekendDays.map((d) => d.date)).toEqual(['2027-02-20']);
  });

  it('lists exactly the 2027 holidays and transferred days off', () => {
    expect(RUSSIA_2027.daysOff.map((d) => d.date)).toEqual([
      // Labour Code art. 112: 1–8 Jan, 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun, 4 Nov
      // (also those on a weekend); art. 112 moves: 3 May, 10 May, 14 Jun;
      // decree No. 1187: 22 Feb, 5 Nov, 31 Dec.
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
      '2027-02-22',
      '2027-02-23',
      '2027-03-08',
      '2027-05-01',
      '2027-05-03',
      '2027-05-09',
      '2027-05-10',
      '2027-06-12',
      '2027-06-14',
      '2027-11-04',
      '2027-11-05',
      '2027-12-31',
    ]);
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
    // 2027: every public holiday (art. 112), and every transfer
    ['2027-01-01', false], // Fri, New Year holidays
    ['2027-01-02', false], // Sat, New Year holidays; its day off moved to 5 Nov
    ['2027-01-03', false], // Sun, New Year holidays; its day off moved to 31 Dec
    ['2027-01-04', false], // Mon, New Year holidays
    ['2027-01-05', false], // Tue, New Year holidays
    ['2027-01-06', false], // Wed, New Year holidays
    ['2027-01-07', false], // Thu, Christmas
    ['2027-01-08', false], // Fri, New Year holidays
    ['2027-01-09', false], // Sat
    ['2027-01-10', false], // Sun
    ['2027-01-11', true], // Mon, first working day of 2027
    ['2027-02-19', true], // Fri
    ['2027-02-20', true], // Sat, transferred working day
    ['2027-02-21', false], // Sun
    ['2027-02-22', false], // Mon, from 20 Feb
    ['2027-02-23', false], // Tue, Defender of the Fatherland Day
    ['2027-02-24', true], // Wed
    ['2027-03-05', true], // Fri
    ['2027-03-08', false], // Mon, International Women's Day
    ['2027-03-09', true], // Tue
    ['2027-04-30', true], // Fri
    ['2027-05-01', false], // Sat, Spring and Labour Day
    ['2027-05-03', false], // Mon, for 1 May (Sat)
    ['2027-05-04', true], // Tue
    ['2027-05-07', true], // Fri
    ['2027-05-09', false], // Sun, Victory Day
    ['2027-05-10', false], // Mon, for 9 May (Sun)
    ['2027-05-11', true], // Tue
    ['2027-06-11', true], // Fri
    ['2027-06-12', false], // Sat, Russia Day
    ['2027-06-14', false], // Mon, for 12 Jun (Sat)
    ['2027-06-15', true], // Tue
    ['2027-11-03', true], // Wed
    ['2027-11-04', false], // Thu, National Unity Day
    ['2027-11-05', false], // Fri, from 2 Jan
    ['2027-11-06', false], // plain Saturday: no working Saturday in November
    ['2027-11-08', true], // Mon
    ['2027-11-13', false], // plain Saturday
    ['2027-12-30', true], // Thu, last working day of 2027
    ['2027-12-31', false], // Fri, from 3 Jan
  ])('%s is a business day: %p', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['2024-12-31', 2024],
    ['2028-01-10', 2028],
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
  // [month, working days in 2025, in 2026, in 2027]
  it.each([
    ['01', 17, 15, 15],
    ['02', 20, 19, 19],
    ['03', 21, 21, 22],
    ['04', 22, 22, 22],
    ['05', 18, 19, 19],
    ['06', 19, 21, 21],
    ['07', 23, 23, 22],
    ['08', 21, 21, 22],
    ['09', 22, 22, 22],
    ['10', 23, 22, 21],
    ['11', 19, 20, 20],
    ['12', 22, 22, 22],
  ])('month %s: %i in 2025, %i in 2026, %i in 2027', (month, in2025, in2026, in2027) => {
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
    expect(count(2027)).toBe(in2027);
  });

  it('has 247 working days in each year', () => {
    expect(businessDaysBetween('2024-12-31', '2025-12-31')).toBe(247);
    expect(businessDaysBetween('2025-12-31', '2026-12-31')).toBe(247);
    expect(businessDaysBetween('2026-12-31', '2027-12-31')).toBe(247);
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
    ['2026-12-30', '2027-01-11'], // over 31 Dec 2026 and 1–10 Jan 2027
    ['2027-02-19', '2027-02-20'], // working Saturday
    ['2027-02-20', '2027-02-24'], // over 21–23 Feb
    ['2027-04-30', '2027-05-04'], // over 1–3 May
    ['2027-11-03', '2027-11-08'], // over 4–7 Nov
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

  it('throws rather than walk into 2028, which has no data', () => {
    // Thu 30 Dec 2027 is the last working day; Fri 31 Dec is off, then 2028 has no data.
    expect(() => nextBusinessDay('2027-12-30')).toThrow(CalendarDataMissingError);
    expect(() => nextBusinessDay('2027-12-30')).toThrow('2028');
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
    ['2026-12-30', '2027-01-15', 5], // 11–15 Jan 2027
    ['2027-02-19', '2027-02-24', 2], // working Saturday 20 Feb and 24 Feb
  ])('from %s to %s: %i', (from, to, expected) => {
    expect(businessDaysBetween(from, to)).toBe(expected);
  });

  it('throws for a range reaching into a year without data', () => {
    expect(() => businessDaysBetween('2027-12-30', '2028-01-15')).toThrow(CalendarDataMissingError);
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
    // New Year 2027: 29, 30 Dec; 31 Dec–10 Jan off; 11, 12, 13, 14, 15 Jan.
    [
      '2026-12-28T09:00:00Z',
      '2026-12-28',
      '2027-01-15',
      '2027-01-14T21:00:00.000Z',
      '2027-01-15T21:00:00.000Z',
    ],
    // Working Saturday 20 Feb 2027 counts, 21–23 Feb off: 19, 20, 24, 25, 26 Feb; 1, 2 Mar.
    [
      '2027-02-18T09:00:00Z',
      '2027-02-18',
      '2027-03-02',
      '2027-03-01T21:00:00.000Z',
      '2027-03-02T21:00:00.000Z',
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

  it('refuses a submission whose 7 business days run into 2028', () => {
    // 28, 29, 30 Dec 2027 are business days, 31 Dec is off, then 2028 has no data.
    expect(() => reviewSla('2027-12-27T09:00:00Z')).toThrow(CalendarDataMissingError);
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
