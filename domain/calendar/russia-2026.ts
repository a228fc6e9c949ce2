import type { ProductionCalendarYear } from './production-calendar';

/**
 * Russian production calendar for 2026 (five-day week).
 *
 * Sources: Labour Code of the Russian Federation, art. 112 (the public holidays, and the rule
 * that a holiday falling on a weekend moves the day off to the next working day, which gives
 * Mon 9 Mar and Mon 11 May), and Decree of the Government of the Russian Federation No. 1466
 * of 24 September 2025 "О переносе выходных дней в 2026 году" (the transfers):
 *   Sat 3 Jan -> Fri 9 Jan, Sun 4 Jan -> Thu 31 Dec.
 * There are no working Saturdays or Sundays. Result: 247 working days, 118 days off.
 * Shortened pre-holiday days are deliberately not modelled: only whether a day is working
 * matters to us.
 */
export const RUSSIA_2026: ProductionCalendarYear = {
  year: 2026,
  source: 'Decree of the Government of the Russian Federation No. 1466 of 24 September 2025',
  daysOff: [
    { date: '2026-01-01', note: 'New Year holidays' },
    { date: '2026-01-02', note: 'New Year holidays' },
    { date: '2026-01-03', note: 'New Year holidays (Saturday; its day off moved to 9 January)' },
    { date: '2026-01-04', note: 'New Year holidays (Sunday; its day off moved to 31 December)' },
    { date: '2026-01-05', note: 'New Year holidays' },
    { date: '2026-01-06', note: 'New Year holidays' },
    { date: '2026-01-07', note: 'Orthodox Christmas' },
    { date: '2026-01-08', note: 'New Year holidays' },
    { date: '2026-01-09', note: 'Day off transferred from Saturday 3 January' },
    { date: '2026-02-23', note: 'Defender of the Fatherland Day' },
    { date: '2026-03-08', note: "International Women's Day (Sunday)" },
    { date: '2026-03-09', note: "Day off for International Women's Day falling on a Sunday" },
    { date: '2026-05-01', note: 'Spring and Labour Day' },
    { date: '2026-05-09', note: 'Victory Day (Saturday)' },
    { date: '2026-05-11', note: 'Day off for Victory Day falling on a Saturday' },
    { date: '2026-06-12', note: 'Russia Day' },
    { date: '2026-11-04', note: 'National Unity Day' },
    { date: '2026-12-31', note: 'Day off transferred from Sunday 4 January' },
  ],
  workingWeekendDays: [],
};
