/**
 * Presale requests as tables: the status moves, the first-answer SLA on the production
 * calendar, and the request's own checks.
 */
import {
  presaleRequestProblems,
  presaleSla,
  presaleTransition,
  type PresaleRequestInput,
  type PresaleStatus,
  type PresaleTarget,
  type PresaleTransitionInput,
} from '../../domain/presales';

describe('presaleTransition', () => {
  const move = (
    from: PresaleStatus,
    to: PresaleTarget,
    parts: Partial<PresaleTransitionInput> = {},
  ) =>
    presaleTransition({
      from,
      to,
      currentAssignee: from === 'new' ? null : 'ivan',
      assignee: to === 'assigned' ? 'olga' : undefined,
      reason: to === 'declined' ? 'out of scope' : undefined,
      ...parts,
    });

  it.each<[PresaleStatus, PresaleTarget, PresaleStatus | 'conflict']>([
    ['new', 'assigned', 'assigned'],
    ['new', 'in_progress', 'conflict'],
    ['new', 'done', 'conflict'],
    ['new', 'declined', 'declined'],
    ['assigned', 'assigned', 'assigned'],
    ['assigned', 'in_progress', 'in_progress'],
    ['assigned', 'done', 'conflict'],
    ['assigned', 'declined', 'declined'],
    ['in_progress', 'assigned', 'assigned'],
    ['in_progress', 'in_progress', 'conflict'],
    ['in_progress', 'done', 'done'],
    ['in_progress', 'declined', 'declined'],
    ['done', 'assigned', 'conflict'],
    ['done', 'in_progress', 'conflict'],
    ['done', 'done', 'conflict'],
    ['done', 'declined', 'conflict'],
    ['declined', 'assigned', 'conflict'],
    ['declined', 'in_progress', 'conflict'],
    ['declined', 'done', 'conflict'],
    ['declined', 'declined', 'conflict'],
  ])('%s → %s: %s', (from, to, expected) => {
    const result = move(from, to);
    if (expected === 'conflict') {
      expect(result).toMatchObject({ ok: false, kind: 'conflict' });
    } else {
      expect(result).toMatchObject({ ok: true, to: expected });
    }
  });

  it('names the moves allowed when one is refused', () => {
    expect(move('new', 'done')).toMatchObject({
      ok: false,
      kind: 'conflict',
      message: 'A request that is new cannot become done; it can become assigned or declined',
    });
    expect(move('done', 'assigned')).toEqual({
      ok: false,
      kind: 'conflict',
      message: 'The request is already done; it cannot become assigned',
      reason: { reason: 'presale_move_not_allowed', params: { from: 'done', to: 'assigned' } },
    });
  });

  it.each<[string, PresaleStatus, PresaleTarget, Partial<PresaleTransitionInput>, string]>([
    ['an assignment without an assignee', 'new', 'assigned', { assignee: '  ' }, 'assignee'],
    ['a decline without a reason', 'assigned', 'declined', { reason: null }, 'reason'],
  ])('refuses %s with the field', (_, from, to, parts, field) => {
    const result = move(from, to, parts);
    expect(result).toMatchObject({ ok: false, kind: 'invalid' });
    expect(result.ok === false && result.kind === 'invalid' && result.problems[0]?.field).toBe(
      field,
    );
  });

  it('refuses to assign a request to the one who already has it', () => {
    expect(move('assigned', 'assigned', { assignee: 'ivan' })).toMatchObject({
      ok: false,
      kind: 'conflict',
      message: 'The request is already assigned to ivan',
    });
  });

  it('keeps the assignee when work starts and records the decline reason', () => {
    expect(move('assigned', 'in_progress')).toEqual({
      ok: true,
      to: 'in_progress',
      assignee: 'ivan',
      reason: null,
    });
    expect(move('in_progress', 'declined', { reason: '  no capacity ' })).toEqual({
      ok: true,
      to: 'declined',
      assignee: 'ivan',
      reason: 'no capacity',
    });
  });
});

describe('presaleSla', () => {
  it.each<[string, string, number, string, string]>([
    // Moscow is UTC+3: 10:00Z Tuesday is Tuesday in Moscow; due by Wednesday's end.
    ['a Tuesday request', '2026-03-03T10:00:00Z', 1, '2026-03-04', '2026-03-04T21:00:00.000Z'],
    [
      'a Friday evening request',
      '2026-03-06T17:00:00Z',
      1,
      '2026-03-10',
      '2026-03-10T21:00:00.000Z',
    ],
    // 21:30Z Friday is already Saturday in Moscow; Monday 9 March 2026 is a holiday.
    [
      'late Friday UTC (Saturday in Moscow)',
      '2026-03-06T21:30:00Z',
      1,
      '2026-03-10',
      '2026-03-10T21:00:00.000Z',
    ],
    ['two business days', '2026-03-03T10:00:00Z', 2, '2026-03-05', '2026-03-05T21:00:00.000Z'],
    [
      'across the New Year holidays',
      '2025-12-31T09:00:00Z',
      1,
      '2026-01-12',
      '2026-01-12T21:00:00.000Z',
    ],
  ])('%s', (_, createdAt, days, lastAnswerDay, deadline) => {
    expect(presaleSla(createdAt, days)).toEqual({ lastAnswerDay, deadline });
  });
});

describe('presaleRequestProblems', () => {
  const today = '2026-03-03';
  const request: PresaleRequestInput = {
    customerAccountId: 'cust-1',
    projectId: null,
    topic: 'Migration to managed Kubernetes',
    description: 'Three clusters',
    desiredDate: '2026-03-10',
  };

  it.each<[string, Partial<PresaleRequestInput>, string[]]>([
    ['a request for a customer', {}, []],
    ['a request for a project', { customerAccountId: null, projectId: 'p-1' }, []],
    ['today as desired date', { desiredDate: today }, []],
    ['neither customer nor project', { customerAccountId: null }, ['customerAccountId']],
    ['both customer and project', { projectId: 'p-1' }, ['projectId']],
    ['an empty topic', { topic: '   ' }, ['topic']],
    ['a past desired date', { desiredDate: '2026-03-02' }, ['desiredDate']],
    ['not a date', { desiredDate: '2026-02-30' }, ['desiredDate']],
    [
      'everything wrong',
      { customerAccountId: null, topic: '', desiredDate: '2020-01-01' },
      ['customerAccountId', 'topic', 'desiredDate'],
    ],
  ])('%s', (_, parts, fields) => {
    expect(presaleRequestProblems({ ...request, ...parts }, today).map((p) => p.field)).toEqual(
      fields,
    );
  });
});
