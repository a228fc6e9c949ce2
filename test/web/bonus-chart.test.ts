import { twelveMonths, yScale } from '../../web/src/pages/partner/bonus-scale';

/** The partner's bonus chart: which months it shows and the amounts on its y axis. */
describe('the bonus chart', () => {
  // 30 Nov 2026, 23:30 in Moscow: still November there (20:30 UTC).
  const now = new Date('2026-11-30T20:30:00Z');

  it('always shows the twelve months up to the last closed one, a month without an invoice as 0', () => {
    const months = twelveMonths(
      [
        { month: '2026-10', discount: '41402.00', relative: '0.2760' },
        { month: '2026-05', discount: '19350.50', relative: '0.1290' },
        { month: '2025-03', discount: '999.00', relative: '0.1000' }, // older than the window
      ],
      now,
    );
    expect(months.map((m) => m.month)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(months.find((m) => m.month === '2026-05')?.discount).toBe('19350.50');
    expect(months.find((m) => m.month === '2026-04')).toEqual({
      month: '2026-04',
      discount: '0',
      relative: null,
    });
  });

  it('shows twelve zero months for a partner with no invoice yet, and the Moscow month decides', () => {
    // 31 Dec 2026, 21:30 UTC is already 1 Jan 2027 in Moscow: December is closed.
    const months = twelveMonths([], new Date('2026-12-31T21:30:00Z'));
    expect(months).toHaveLength(12);
    expect(months[0]?.month).toBe('2026-01');
    expect(months[11]?.month).toBe('2026-12');
    expect(months.every((m) => m.discount === '0')).toBe(true);
  });

  it('ends with the current month when it already has an interim invoice', () => {
    const months = twelveMonths([{ month: '2026-11', discount: '500.00', relative: null }], now);
    expect(months[11]).toEqual({ month: '2026-11', discount: '500.00', relative: null });
    expect(months[0]?.month).toBe('2025-12');
  });

  it.each([
    // largest bar → top of the axis and its ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ)
    [41402, 60000, [0, 20000, 40000, 60000]], // 41 402 / 4 = 10 350.5 → step 20 000
    [8000, 8000, [0, 2000, 4000, 6000, 8000]], // 8 000 / 4 = 2 000 → step 2 000
    [1234.56, 1500, [0, 500, 1000, 1500]], // 308.64 → step 500
    [0, 1000, [0, 250, 500, 750, 1000]], // nothing yet: a 1 000 ₽ axis, not a flat line
  ])('puts the y axis top of a %p ₽ bar at %p with round ticks', (largest, top, ticks) => {
    const scale = yScale(largest);
    expect(scale.top).toBe(top);
    expect(scale.ticks).toEqual(ticks);
    expect(scale.top).toBeGreaterThanOrEqual(largest);
  });
});
