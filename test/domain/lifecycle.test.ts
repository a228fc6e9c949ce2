import { DomainError } from '../../domain/errors';
import {
  MIN_NOTICE_DAYS,
  exitDateFor,
  exitMonthOf,
  partnerTransition,
  type PartnerEvent,
  type PartnerStatus,
} from '../../domain/lifecycle';

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('exitDateFor', () => {
  it('uses a 30-day minimum notice', () => {
    expect(MIN_NOTICE_DAYS).toBe(30);
  });

  it.each<[string, string, string | null | undefined, string, string, string]>([
    // name, noticeAt, requested, noticeDate, exitDate, exitAt
    [
      'no date: notice date + 30',
      '2026-11-21T10:00:00Z',
      undefined,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'null date: notice date + 30',
      '2026-11-21T10:00:00Z',
      null,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'late Moscow evening counts as the next Moscow day',
      '2026-11-21T22:30:00Z',
      undefined,
      '2026-11-22',
      '2026-12-22',
      '2026-12-21T21:00:00.000Z',
    ],
    [
      'last minute of the Moscow day stays on it',
      '2026-11-21T20:59:59Z',
      undefined,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'an offset instant is read as the same moment',
      '2026-11-22T01:30:00+03:00',
      undefined,
      '2026-11-22',
      '2026-12-22',
      '2026-12-21T21:00:00.000Z',
    ],
    [
      'exactly 30 days accepted',
      '2026-11-21T10:00:00Z',
      '2026-12-21',
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'far future accepted',
      '2026-11-21T10:00:00Z',
      '2030-06-01',
      '2026-11-21',
      '2030-06-01',
      '2030-05-31T21:00:00.000Z',
    ],
    [
      'across the year end',
      '2026-12-15T09:00:00Z',
      undefined,
      '2026-12-15',
      '2027-01-14',
      '2027-01-13T21:00:00.000Z',
    ],
    [
      'New Year’s Eve in Moscow',
      '2026-12-31T21:00:00Z',
      undefined,
      '2027-01-01',
      '2027-01-31',
      '2027-01-30T21:00:00.000Z',
    ],
    [
      'onto a leap day',
      '2028-01-30T12:00:00Z',
      undefined,
      '2028-01-30',
      '2028-02-29',
      '2028-02-28T21:00:00.000Z',
    ],
    [
      'over a leap day',
      '2028-02-15T12:00:00Z',
      undefined,
      '2028-02-15',
      '2028-03-16',
      '2028-03-15T21:00:00.000Z',
    ],
    [
      'no leap day in 2027',
      '2027-01-30T12:00:00Z',
      undefined,
      '2027-01-30',
      '2027-03-01',
      '2027-02-28T21:00:00.000Z',
    ],
    [
      'requested leap day itself',
      '2028-01-20T12:00:00Z',
      '2028-02-29',
      '2028-01-20',
      '2028-02-29',
      '2028-02-28T21:00:00.000Z',
    ],
  ])('%s', (_name, noticeAt, requestedExitDate, noticeDate, exitDate, exitAt) => {
    expect(exitDateFor({ noticeAt, requestedExitDate })).toEqual({ noticeDate, exitDate, exitAt });
  });

  it.each<[string, string, string, string]>([
    // name, noticeAt, requested, earliest
    ['29 days ahead', '2026-11-21T10:00:00Z', '2026-12-20', '2026-12-21'],
    ['the notice date itself', '2026-11-21T10:00:00Z', '2026-11-21', '2026-12-21'],
    ['a date in the past', '2026-11-21T10:00:00Z', '2026-10-01', '2026-12-21'],
    ['30 days by UTC but 29 by Moscow date', '2026-11-21T22:30:00Z', '2026-12-21', '2026-12-22'],
    ['29 days across the year end', '2026-12-15T09:00:00Z', '2027-01-13', '2027-01-14'],
  ])(
    'refuses %s with the earliest allowed date',
    (_name, noticeAt, requestedExitDate, earliest) => {
      const error = caught(() => exitDateFor({ noticeAt, requestedExitDate }));
      expect(error.code).toBe('validation_failed');
      expect(error.fields).toMatchObject([
        {
          field: 'exitDate',
          message: `must be on or after ${earliest} (30 days after the notice)`,
        },
      ]);
      expect(error.message).toContain(earliest);
    },
  );

  it.each<[string, string]>([
    ['impossible 29 February', '2027-02-29'],
    ['impossible 31 April', '2027-04-31'],
    ['month 13', '2027-13-01'],
    ['unpadded day', '2027-01-5'],
    ['an instant instead of a date', '2027-01-05T00:00:00Z'],
    ['empty', ''],
  ])('refuses a requested date that is %s', (_name, requestedExitDate) => {
    const error = caught(() =>
      exitDateFor({ noticeAt: '2026-11-21T10:00:00Z', requestedExitDate }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0]?.field).toBe('exitDate');
  });

  it.each<[string, string]>([
    ['no offset', '2026-11-21T10:00:00'],
    ['a bare date', '2026-11-21'],
    ['garbage', 'yesterday'],
  ])('refuses a notice time with %s', (_name, noticeAt) => {
    const error = caught(() => exitDateFor({ noticeAt }));
    expect(error.code).toBe('validation_failed');
    expect(error.fields[0]?.field).toBe('noticeAt');
  });
});

describe('partnerTransition', () => {
  it.each<[PartnerStatus, PartnerEvent, PartnerStatus]>([
    ['active', 'notice', 'leaving'],
    ['leaving', 'withdraw_notice', 'active'],
    ['leaving', 'exit', 'left'],
    ['active', 'revoke', 'revoked'],
    ['leaving', 'revoke', 'revoked'],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(partnerTransition(from, event)).toBe(to);
  });

  it.each<[PartnerStatus, PartnerEvent]>([
    ['active', 'withdraw_notice'],
    ['active', 'exit'],
    ['leaving', 'notice'],
    ['left', 'notice'],
    ['left', 'withdraw_notice'],
    ['left', 'exit'],
    ['left', 'revoke'],
    ['revoked', 'notice'],
    ['revoked', 'withdraw_notice'],
    ['revoked', 'exit'],
    ['revoked', 'revoke'],
  ])('refuses %s --%s-->', (from, event) => {
    const error = caught(() => partnerTransition(from, event));
    expect(error.code).toBe('invalid_state');
    expect(error.message).toContain(from);
  });
});

describe('exitMonthOf', () => {
  it.each([
    ['2026-12-21', '2026-12'],
    ['2027-01-01', '2026-12'],
    ['2026-03-01', '2026-02'],
    ['2026-03-02', '2026-03'],
  ])('exit on %s leaves a partial %s', (exitDate, month) => {
    expect(exitMonthOf(exitDate)).toBe(month);
  });
});
