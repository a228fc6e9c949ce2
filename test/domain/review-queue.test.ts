/**
 * The review queue's rules as tables: how many business days a deadline leaves, when a
 * presale request is due, the queue's order, and the specialization review deadline.
 * Calendar facts used: 2026-11-30 is a Monday; 31 December 2026 and 1–10 January 2027 are not
 * business days, nor is 31 December 2027; the calendar has data up to 2027.
 */
import {
  compareQueueItems,
  presaleQueueDeadline,
  reviewCountdown,
} from '../../domain/review-queue';
import { specializationReviewDeadline } from '../../domain/specializations';

describe('reviewCountdown', () => {
  it.each([
    // Monday 10:00 Moscow, due 00:00 Friday: Mon 30, Tue 1, Wed 2, Thu 3 = 4 days, today included.
    ['2026-12-03T21:00:00.000Z', '2026-11-30T07:00:00Z', '2026-12-03', 4, false],
    // Due at the end of today: today alone = 1.
    ['2026-11-30T21:00:00.000Z', '2026-11-30T07:00:00Z', '2026-11-30', 1, false],
    // 23:59 Moscow still counts today: 1.
    ['2026-11-30T21:00:00.000Z', '2026-11-30T20:59:00Z', '2026-11-30', 1, false],
    // Saturday, due at the end of Monday: Sat 0 + Sun 0 + Mon 1 = 1.
    ['2026-12-07T21:00:00.000Z', '2026-12-05T07:00:00Z', '2026-12-07', 1, false],
    // At the deadline instant it is late: 0 days, overdue.
    ['2026-12-04T21:00:00.000Z', '2026-12-04T21:00:00Z', '2026-12-04', 0, true],
    // A week past the deadline: still 0, overdue.
    ['2026-12-04T21:00:00.000Z', '2026-12-11T07:00:00Z', '2026-12-04', 0, true],
    // Across the new year: Tue 29 + Wed 30 + (31 Dec and 1–10 Jan off) + Mon 11 Jan = 3.
    ['2027-01-11T21:00:00.000Z', '2026-12-29T07:00:00Z', '2027-01-11', 3, false],
    // Beyond the calendar's data: counted to 31 Dec 2027 only: Mon 27 + Tue 28 + Wed 29 +
    // Thu 30 (31 Dec off) = 4, a lower bound.
    ['2028-02-01T21:00:00.000Z', '2027-12-27T07:00:00Z', '2028-02-01', 4, false],
  ])(
    'deadline %s at %s: last day %s, %i business days left, overdue %s',
    (deadline, now, lastReviewDay, businessDaysLeft, overdue) => {
      expect(reviewCountdown(deadline, now)).toEqual({ lastReviewDay, businessDaysLeft, overdue });
    },
  );
});

describe('presaleQueueDeadline', () => {
  const sla = '2026-12-01T21:00:00.000Z';
  it.each([
    // Nobody answered yet: the first-answer deadline, whatever the desired date.
    [null, '2026-12-15', sla],
    // Answered: 00:00 Moscow after the desired date 15 December = 15 Dec 21:00 UTC.
    ['2026-12-01T08:00:00.000Z', '2026-12-15', '2026-12-15T21:00:00.000Z'],
    // Answered but no desired date: still the first-answer deadline.
    ['2026-12-01T08:00:00.000Z', null, sla],
  ])('first answered %s, desired %s: due %s', (firstAnsweredAt, desiredDate, due) => {
    expect(presaleQueueDeadline({ slaDeadline: sla, firstAnsweredAt, desiredDate })).toBe(due);
  });
});

describe('compareQueueItems', () => {
  it('orders by deadline, then earlier submission (not submitted last), then id', () => {
    const items = [
      { id: 'e', deadline: '2026-12-05T21:00:00.000Z', submittedAt: '2026-11-01T00:00:00.000Z' },
      { id: 'd', deadline: '2026-12-03T21:00:00.000Z', submittedAt: null },
      { id: 'c', deadline: '2026-12-03T21:00:00.000Z', submittedAt: '2026-11-30T10:00:00.000Z' },
      { id: 'b', deadline: '2026-12-03T21:00:00.000Z', submittedAt: '2026-11-30T09:00:00.000Z' },
      { id: 'a2', deadline: '2026-12-01T21:00:00.000Z', submittedAt: '2026-11-30T09:00:00.000Z' },
      { id: 'a1', deadline: '2026-12-01T21:00:00.000Z', submittedAt: '2026-11-30T09:00:00.000Z' },
    ];
    expect([...items].sort(compareQueueItems).map((item) => item.id)).toEqual([
      'a1',
      'a2',
      'b',
      'c',
      'd',
      'e',
    ]);
  });
});

describe('specializationReviewDeadline', () => {
  it.each([
    // Monday: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 = 5th business day; late from 00:00 Tue 8 Moscow.
    ['2026-11-30T07:00:00Z', 5, '2026-12-07T21:00:00.000Z'],
    // Friday 23:30 Moscow is still Friday: Mon 7 … Fri 11 = 5; late from 00:00 Sat 12.
    ['2026-12-04T20:30:00Z', 5, '2026-12-11T21:00:00.000Z'],
    // Friday 25 Dec: Mon 28, Tue 29, Wed 30, (31 Dec, 1–10 Jan off), Mon 11, Tue 12 Jan = 5.
    ['2026-12-25T09:00:00Z', 5, '2027-01-12T21:00:00.000Z'],
    // One business day configured: Tue 1; late from 00:00 Wed 2.
    ['2026-11-30T07:00:00Z', 1, '2026-12-01T21:00:00.000Z'],
  ])('submitted %s with %i business days: late from %s', (submittedAt, days, deadline) => {
    expect(specializationReviewDeadline(submittedAt, days)).toBe(deadline);
  });
});
