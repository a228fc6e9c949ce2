import type { ProductionCalendarYear } from './production-calendar';

/**
 * Russian production calendar for 2025 (five-day week).
 *
 * Sources: Labour Code of the Russian Federation, art. 112 (the public holidays), and
 * Decree of the Government of the Russian Federation No. 1335 of 4 October 2024
 * "О переносе выходных дней в 2025 году" (the transfers):
 *   Sat 4 Jan -> Fri 2 May, Sun 5 Jan -> Wed 31 Dec, Sun 23 Feb -> Thu 8 May,
 *   Sat 8 Mar -> Fri 13 Jun, Sat 1 Nov -> Mon 3 Nov (so Sat 1 Nov is a working day).
 * Result: 247 working days, 118 days off. Shortened pre-holiday days are deliberately not
 * modelled: only whether a day is working matters to us.
 */
export const RUSSIA_2025: ProductionCalendarYear = {
  year: 2025,
  source: 'Decree of the Government of the Russian Federation No. 1335 of 4 October 2024',
  daysOff: [
    { date: '2025-01-01', note: 'New Year holidays' },
    { date: '2025-01-02', note: 'New Year holidays' },
    { date: '2025-01-03', note: 'New Year holidays' },
    { date: '2025-01-04', note: 'New Year holidays (Saturday; its day off moved to 2 May)' },
    { date: '2025-01-05', note: 'New Year holidays (Sunday; its day off moved to 31 December)' },
    { date: '2025-01-06', note: 'New Year holidays' },
    { date: '2025-01-07', note: 'Orthodox Christmas' },
    { date: '2025-01-08', note: 'New Year holidays' },
    { date: '2025-02-23', note: 'Defender of the Fatherland Day (Sunday; moved to 8 May)' },
    { date: '2025-03-08', note: "International Women's Day (Saturday; moved to 13 June)" },
    { date: '2025-05-01', note: 'Spring and Labour Day' },
    { date: '2025-05-02', note: 'Day off transferred from Saturday 4 January' },
    { date: '2025-05-08', note: 'Day off transferred from Sunday 23 February' },
    { date: '2025-05-09', note: 'Victory Day' },
    { date: '2025-06-12', note: 'Russia Day' },
    { date: '2025-06-13', note: 'Day off transferred from Saturday 8 March' },
    { date: '2025-11-03', note: 'Day off transferred from Saturday 1 November' },
    { date: '2025-11-04', note: 'National Unity Day' },
    { date: '2025-12-31', note: 'Day off transferred from Sunday 5 January' },
  ],
  workingWeekendDays: [
    { date: '2025-11-01', note: 'Working Saturday: its day off moved to Monday 3 November' },
  ],
};
