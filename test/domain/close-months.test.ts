import { closableMonths, closeMonthProblem, reportMonthProblem } from '../../domain/close-months';
import { holdsPartnerStatus, type PartnerStatus } from '../../domain/lifecycle';

describe('closableMonths', () => {
  it.each<[string, string, string, { from: string; to: string }]>([
    // name, now, program's first month, range
    ['mid-month', '2026-03-15T12:00:00Z', '2019-01', { from: '2019-01', to: '2026-02' }],
    [
      'the 1st at 00:00 Moscow (21:00 UTC the day before): the month just ended is full',
      '2026-02-28T21:00:00Z',
      '2019-01',
      { from: '2019-01', to: '2026-02' },
    ],
    [
      'a minute before midnight in Moscow: the month is still running',
      '2026-02-28T20:59:00Z',
      '2019-01',
      { from: '2019-01', to: '2026-01' },
    ],
    [
      'January: the last full month is December',
      '2026-01-10T00:00:00Z',
      '2024-01',
      {
        from: '2024-01',
        to: '2025-12',
      },
    ],
    [
      'the program started this month',
      '2026-03-15T12:00:00Z',
      '2026-03',
      {
        from: '2026-03',
        to: '2026-02',
      },
    ],
  ])('%s', (_name, now, first, range) => {
    expect(closableMonths(now, first)).toEqual(range);
  });

  it('refuses a first month that is not YYYY-MM', () => {
    expect(() => closableMonths('2026-03-15T12:00:00Z', '2026-3')).toThrow(RangeError);
  });
});

describe('closeMonthProblem', () => {
  const range = { from: '2019-01', to: '2026-02' };
  const outside =
    "must be a month from 2019-01 (the program's first month) to 2026-02 (the last full month in Moscow time)";

  it.each<[string, string, string | null]>([
    ['the first month', '2019-01', null],
    ['the last full month', '2026-02', null],
    ['a month between', '2023-07', null],
    ['the month before the first', '2018-12', outside],
    ['year zero', '0000-01', outside],
    ['the running month', '2026-03', outside],
    ['far in the future', '9999-12', outside],
  ])('%s (%s)', (_name, month, problem) => {
    expect(closeMonthProblem(month, range)).toBe(problem);
  });

  it('says so when the program has no full month yet', () => {
    expect(closeMonthProblem('2026-02', { from: '2026-03', to: '2026-02' })).toBe(
      'no month can be closed yet: the program starts in 2026-03 and its first month has not ended',
    );
  });
});

describe('reportMonthProblem', () => {
  it.each<[string, string | null]>([
    ['2018-12', "must be 2019-01 (the program's first month) or later"],
    ['0000-01', "must be 2019-01 (the program's first month) or later"],
    ['2019-01', null],
    ['9999-12', null],
  ])('%s', (month, problem) => {
    expect(reportMonthProblem(month, '2019-01')).toBe(problem);
  });
});

describe('holdsPartnerStatus (who cannot apply again)', () => {
  it.each<[PartnerStatus, boolean]>([
    ['active', true],
    ['leaving', true],
    ['left', false],
    ['revoked', false],
  ])('%s → %s', (status, holds) => {
    expect(holdsPartnerStatus(status)).toBe(holds);
  });
});
