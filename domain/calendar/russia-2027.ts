import type { ProductionCalendarYear } from './production-calendar';

/**
 * Russian production calendar for 2027 (five-day week).
 *
 * Sources: Labour Code of the Russian Federation, art. 112 (the public holidays, and the rule
 * that a holiday falling on a weekend moves the day off to the next working day, which gives
 * Mon 3 May, Mon 10 May and Mon 14 Jun), and Decree of the Government of the Russian
 * Federation No. 1187 of 17 September 2026 "О переносе выходных дней в 2027 году" (the
 * transfers):
 *   Sat 2 Jan -> Fri 5 Nov, Sun 3 Jan -> Fri 31 Dec,
 *   Sat 20 Feb -> Mon 22 Feb (so Sat 20 Feb is a working day).
 * Result: 247 working days, 118 days off. Shortened pre-holiday days are deliberately not
 * modelled: only whether a day is working matters to us.
 */
export const RUSSIA_2027: ProductionCalendarYear = {
  year: 2027,
  source: 'Decree of the Government of the Russian Federation No. 1187 of 17 September 2026',
  daysOff: [
    { date: '2027-01-01', note: 'New Year holidays' },
    { date: '2027-01-02', note: 'New Year holidays (Saturday; its day off moved to 5 November)' },
    { date: '2027-01-03', note: 'New Year holidays (Sunday; its day off moved to 31 December)' },
    { date: '2027-01-04', note: 'New Year holidays' },
    { date: '2027-01-05', note: 'New Year holidays' },
    { date: '2027-01-06', note: 'New Year holidays' },
    { date: '2027-01-07', note: 'Orthodox Christmas' },
    { date: '2027-01-08', note: 'New Year holidays' },
    { date: '2027-02-22', note: 'Day off transferred from Saturday 20 February' },
    { date: '2027-02-23', note: 'Defender of the Fatherland Day' },
    { date: '2027-03-08', note: "International Women's Day" },
    { date: '2027-05-01', note: 'Spring and Labour Day (Saturday)' },
    { date: '2027-05-03', note: 'Day off for Spring and Labour Day falling on a Saturday' },
    { date: '2027-05-09', note: 'Victory Day (Sunday)' },
    { date: '2027-05-10', note: 'Day off for Victory Day falling on a Sunday' },
    { date: '2027-06-12', note: 'Russia Day (Saturday)' },
    { date: '2027-06-14', note: 'Day off for Russia Day falling on a Saturday' },
    { date: '2027-11-04', note: 'National Unity Day' },
    { date: '2027-11-05', note: 'Day off transferred from Saturday 2 January' },
    { date: '2027-12-31', note: 'Day off transferred from Sunday 3 January' },
  ],
  workingWeekendDays: [
    { date: '2027-02-20', note: 'Working Saturday: its day off moved to Monday 22 February' },
  ],
};
