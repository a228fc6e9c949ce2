/**
 * Closed months (SPEC §2): the first open date after the newest close, and the refusal of
 * changes dated before it, as tables.
 */
import {
  assertOpenDate,
  assertOpenEnd,
  closedEndProblem,
  closedStartProblem,
  firstOpenDate,
  isClosedDate,
} from '../../domain/closed-period';
import { DomainError } from '../../domain/errors';

describe('firstOpenDate', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['2026-08', '2026-09-01'],
    ['2026-01', '2026-02-01'],
    ['2025-12', '2026-01-01'],
    ['2024-02', '2024-03-01'],
  ])('after the newest closed month %s, %s', (newest, expected) => {
    expect(firstOpenDate(newest)).toBe(expected);
  });

  it.each(['2026-13', '2026-8', '2026-08-01', ''])('refuses %j as a month', (newest) => {
    expect(() => firstOpenDate(newest)).toThrow(RangeError);
  });
});

describe('isClosedDate', () => {
  it.each<[string, string | null, boolean]>([
    ['2020-01-01', null, false],
    ['2026-08-31', '2026-09-01', true],
    ['2026-09-01', '2026-09-01', false],
    ['2026-09-02', '2026-09-01', false],
    ['2025-12-31', '2026-01-01', true],
  ])('%s with the first open date %s: %s', (date, firstOpen, closed) => {
    expect(isClosedDate(date, firstOpen)).toBe(closed);
  });
});

describe('closedStartProblem', () => {
  it.each<[string, string, string | null]>([
    ['no close ever', '2019-01-01', null],
    ['the first open date itself', '2026-09-01', '2026-09-01'],
    ['a later date', '2027-03-15', '2026-09-01'],
    ['not a calendar date (left to the format check)', '2026-02-30', '2026-09-01'],
  ])('accepts %s', (_name, date, firstOpen) => {
    expect(closedStartProblem('startDate', date, firstOpen)).toBeNull();
  });

  it.each<[string, string, string, string]>([
    [
      'a day in the newest closed month',
      '2026-08-31',
      '2026-09-01',
      '2026-08-31 falls in 2026-08, which is closed; the first open date is 2026-09-01',
    ],
    [
      'a day in an earlier closed month',
      '2026-07-10',
      '2026-09-01',
      '2026-07-10 falls in 2026-07, which is closed; the first open date is 2026-09-01',
    ],
    [
      'the first day of a closed month',
      '2025-12-01',
      '2026-01-01',
      '2025-12-01 falls in 2025-12, which is closed; the first open date is 2026-01-01',
    ],
  ])('refuses %s', (_name, date, firstOpen, message) => {
    expect(closedStartProblem('startDate', date, firstOpen)).toMatchObject({
      field: 'startDate',
      message,
    });
  });
});

describe('closedEndProblem', () => {
  it.each<[string, string, string | null]>([
    ['no close ever', '2019-01-01', null],
    [
      'the last day of the newest closed month (nothing closed changes)',
      '2026-08-31',
      '2026-09-01',
    ],
    ['the first open date', '2026-09-01', '2026-09-01'],
    ['a later date', '2026-12-31', '2026-09-01'],
  ])('accepts %s', (_name, endDate, firstOpen) => {
    expect(closedEndProblem('validTo', endDate, firstOpen)).toBeNull();
  });

  it.each<[string, string, string, string]>([
    [
      'a day inside the newest closed month',
      '2026-08-30',
      '2026-09-01',
      '2026-08-30 would end it inside 2026-08, which is closed; the first open date is ' +
        '2026-09-01, so the earliest end is 2026-08-31',
    ],
    [
      'the last day of an earlier closed month',
      '2026-07-31',
      '2026-09-01',
      '2026-07-31 would end it inside 2026-07, which is closed; the first open date is ' +
        '2026-09-01, so the earliest end is 2026-08-31',
    ],
    [
      'a day before a closed new year',
      '2025-12-30',
      '2026-01-01',
      '2025-12-30 would end it inside 2025-12, which is closed; the first open date is ' +
        '2026-01-01, so the earliest end is 2025-12-31',
    ],
  ])('refuses %s', (_name, endDate, firstOpen, message) => {
    expect(closedEndProblem('validTo', endDate, firstOpen)).toMatchObject({
      field: 'validTo',
      message,
    });
  });
});

describe('assertOpenDate and assertOpenEnd', () => {
  function refusal(check: () => void): DomainError {
    try {
      check();
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it('refuses with a validation error (422) naming the field and the first open date', () => {
    const error = refusal(() => assertOpenDate('2026-07-10', '2026-09-01', 'startDate'));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(
      'startDate 2026-07-10 falls in 2026-07, which is closed; the first open date is 2026-09-01',
    );
    expect(error.fields.map((f) => f.field)).toEqual(['startDate']);
  });

  it('refuses an end inside a closed month the same way', () => {
    const error = refusal(() => assertOpenEnd('2026-08-01', '2026-09-01', 'endDate'));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^endDate 2026-08-01 would end it inside 2026-08/);
    expect(error.fields.map((f) => f.field)).toEqual(['endDate']);
    expect(error.fields[0]?.message).toContain('the first open date is 2026-09-01');
  });

  it.each<[string, string | null]>([
    ['2026-09-01', '2026-09-01'],
    ['2020-05-05', null],
  ])('lets %s through with the first open date %s', (date, firstOpen) => {
    expect(() => assertOpenDate(date, firstOpen, 'startDate')).not.toThrow();
    expect(() => assertOpenEnd(date, firstOpen, 'endDate')).not.toThrow();
  });
});
