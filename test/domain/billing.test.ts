import {
  billableFrom,
  catchUpMonths,
  closeOrderProblem,
  interimInvoiceDue,
  invoiceDueDate,
  invoiceNumber,
  issuesMonthlyInvoice,
  monthlyRanges,
  partialMonthRange,
  reconciliationDifference,
  recordedRanges,
} from '../../domain/settlement/billing';

describe('billableFrom: the first usage date a partner is billed for', () => {
  it.each([
    // program first month, VAR start → first billable day
    ['2024-01', '2026-03-17', '2026-03-01'], // the start month, from its first day
    ['2026-05', '2026-03-17', '2026-05-01'], // never before the program's first month
    ['2026-03', '2026-03-01', '2026-03-01'],
  ])('program from %s, VAR from %s → %s', (first, start, expected) => {
    expect(billableFrom(first, start)).toBe(expected);
  });
});

describe('monthlyRanges: what a month-end invoice bills', () => {
  const base = {
    month: '2026-08',
    billableFrom: '2026-01-01',
    until: null,
    ownBilledUpTo: '0',
    previousWatermark: '100',
    watermark: '250',
  };

  it('bills the month up to the watermark and earlier months since the previous close', () => {
    expect(monthlyRanges(base)).toEqual([
      { kind: 'own', usageFrom: '2026-08-01', usageTo: '2026-09-01', seqFrom: '0', seqTo: '250' },
      {
        kind: 'adjustment',
        usageFrom: '2026-01-01',
        usageTo: '2026-08-01',
        seqFrom: '100',
        seqTo: '250',
      },
    ]);
  });

  it('starts the own month above what interim and final invoices billed', () => {
    const [own] = monthlyRanges({ ...base, ownBilledUpTo: '180' });
    expect(own).toMatchObject({ kind: 'own', seqFrom: '180', seqTo: '250' });
  });

  it('bills nothing of the own month when an interim invoice already reached the watermark', () => {
    expect(monthlyRanges({ ...base, ownBilledUpTo: '250' }).map((r) => r.kind)).toEqual([
      'adjustment',
    ]);
  });

  it('stops at a departed partner’s exit date, in the month and in late lines', () => {
    expect(monthlyRanges({ ...base, until: '2026-08-20' })[0]).toMatchObject({
      usageFrom: '2026-08-01',
      usageTo: '2026-08-20',
    });
    // exit in June: the own month is empty; late lines only until the exit date
    expect(monthlyRanges({ ...base, until: '2026-06-10' })).toEqual([
      {
        kind: 'adjustment',
        usageFrom: '2026-01-01',
        usageTo: '2026-06-10',
        seqFrom: '100',
        seqTo: '250',
      },
    ]);
  });

  it('has no late range for the first close (nothing before the billable start)', () => {
    expect(
      monthlyRanges({ ...base, billableFrom: '2026-08-01', previousWatermark: '0' }).map(
        (r) => r.kind,
      ),
    ).toEqual(['own']);
  });
});

describe('partialMonthRange: interim and final invoices', () => {
  it('bills the month above the previous interim invoice, up to the exit date', () => {
    expect(
      partialMonthRange({
        month: '2026-09',
        billableFrom: '2026-01-01',
        until: '2026-09-15',
        billedUpTo: '40',
        watermark: '90',
      }),
    ).toEqual({
      kind: 'own',
      usageFrom: '2026-09-01',
      usageTo: '2026-09-15',
      seqFrom: '40',
      seqTo: '90',
    });
  });

  it('is empty when nothing new arrived', () => {
    expect(
      partialMonthRange({
        month: '2026-09',
        billableFrom: '2026-01-01',
        until: null,
        billedUpTo: '90',
        watermark: '90',
      }),
    ).toBeNull();
  });
});

describe('recordedRanges: one recorded range per month with lines', () => {
  it('cuts a late range per month and sums exactly what it found', () => {
    const candidate = {
      kind: 'adjustment' as const,
      usageFrom: '2026-01-01',
      usageTo: '2026-08-01',
      seqFrom: '100',
      seqTo: '250',
    };
    const ranges = recordedRanges(
      [candidate],
      [
        { date: '2026-06-03', amount: '10.000001', grants: '1', lines: 2 },
        { date: '2026-06-30', amount: '0.5', grants: '0', lines: 1 },
        { date: '2026-07-01', amount: '7', grants: '2', lines: 3 },
        { date: '2026-08-01', amount: '99', grants: '0', lines: 1 }, // outside: the own month
      ],
    );
    expect(ranges).toEqual([
      // June: 10.000001 + 0.5 = 10.500001; grants 1 + 0 = 1; lines 2 + 1 = 3
      {
        ...candidate,
        usageFrom: '2026-06-01',
        usageTo: '2026-07-01',
        lines: 3,
        amount: '10.500001',
        grants: '1',
      },
      // July: one day
      {
        ...candidate,
        usageFrom: '2026-07-01',
        usageTo: '2026-08-01',
        lines: 3,
        amount: '7',
        grants: '2',
      },
    ]);
  });

  it('records nothing for a candidate without lines', () => {
    expect(
      recordedRanges(
        [{ kind: 'own', usageFrom: '2026-08-01', usageTo: '2026-09-01', seqFrom: '0', seqTo: '5' }],
        [],
      ),
    ).toEqual([]);
  });
});

describe('closeOrderProblem: months close in order', () => {
  it.each([
    // month, newest close, earliest open month with consumption → refusal (month named) or null
    ['2026-08', null, null, null],
    ['2026-08', { month: '2026-07', status: 'completed' as const }, null, null],
    ['2026-08', null, '2026-07', 'earlier_month_open:2026-07'],
    [
      '2026-08',
      { month: '2026-06', status: 'completed' as const },
      '2026-07',
      'earlier_month_open:2026-07',
    ],
    [
      '2026-08',
      { month: '2026-07', status: 'running' as const },
      null,
      null, // an earlier close still running never blocks: their lines are numbered apart
    ],
    [
      '2026-07',
      { month: '2026-08', status: 'completed' as const },
      null,
      'later_month_closed:2026-08',
    ],
    ['2026-08', null, '2026-08', null], // its own consumption never blocks it
  ])('%s after %j with %s open → %s', (month, newest, open, expected) => {
    const problem = closeOrderProblem({ month, newest, earliestOpenMonthWithConsumption: open });
    expect(problem ? `${problem.reason}:${problem.month}` : null).toBe(expected);
    if (problem) expect(problem.message).toContain(problem.month);
  });

  it('catches up the open months in order, then the target', () => {
    expect(catchUpMonths('2026-09', ['2026-07', '2026-05'])).toEqual([
      '2026-05',
      '2026-07',
      '2026-09',
    ]);
    expect(catchUpMonths('2026-09', [])).toEqual(['2026-09']);
  });
});

describe('interimInvoiceDue: the billing threshold', () => {
  const base = {
    paymentModel: 'postpaid' as const,
    threshold: '1000.00',
    departed: false,
    monthClosed: false,
    unbilled: '1000.00',
  };
  it.each([
    [{}, true], // 1000.00 ≥ 1000.00
    [{ unbilled: '999.99' }, false], // below the threshold
    [{ paymentModel: 'advance' as const }, false],
    [{ threshold: null }, false],
    [{ departed: true }, false],
    [{ monthClosed: true }, false],
  ])('%j → %s', (change, expected) => {
    expect(interimInvoiceDue({ ...base, ...change })).toBe(expected);
  });
});

describe('invoice numbers and due dates', () => {
  const partner = 'a1b2c3d4-0000-4000-8000-000000000000';
  it.each([
    ['monthly', 0, 'VAR-202608-A1B2C3D4'],
    ['interim', 2, 'VAR-202608-A1B2C3D4-I2'],
    ['final', 0, 'VAR-202608-A1B2C3D4-F'],
  ] as const)('%s #%d → %s', (kind, sequence, expected) => {
    expect(invoiceNumber(kind, '2026-08', partner, sequence)).toBe(expected);
  });

  it.each([
    // kind, payment model, issued on, term → due
    ['monthly', 'postpaid', '2026-09-01', 10, '2026-09-10'], // the 10th day of the next month
    ['monthly', 'postpaid', '2026-09-01', 1, '2026-09-02'], // the 1st is the issue day: 1 + 1
    ['monthly', 'postpaid', '2026-11-30', 10, '2026-12-10'], // closed late: 30 Nov + 10
    ['monthly', 'postpaid', '2026-09-10', 10, '2026-09-20'], // issued on the 10th: 10 + 10
    ['monthly', 'advance', '2026-09-01', 10, null], // drawn from the prepaid balance
    ['interim', 'postpaid', '2026-08-20', 10, '2026-08-30'], // issue date + 10
    ['final', 'postpaid', '2026-08-25', 10, '2026-09-04'], // 25 + 10 = 35 → 4 September
    ['final', 'advance', '2026-08-25', 10, null],
  ] as const)('%s %s issued %s, term %d → %s', (kind, model, issuedOn, term, expected) => {
    expect(
      invoiceDueDate({
        kind,
        month: '2026-08',
        issuedOn,
        paymentModel: model,
        paymentTermDays: term,
      }),
    ).toBe(expected);
  });
});

describe('issuesMonthlyInvoice', () => {
  it.each([
    [
      { departed: false, finalInvoiceIssued: false, afterExitMonth: false, hasConsumption: false },
      true,
    ],
    [
      { departed: true, finalInvoiceIssued: true, afterExitMonth: false, hasConsumption: false },
      false,
    ],
    [
      { departed: true, finalInvoiceIssued: true, afterExitMonth: false, hasConsumption: true },
      true,
    ],
    [
      { departed: true, finalInvoiceIssued: false, afterExitMonth: true, hasConsumption: false },
      false,
    ],
  ])('%j → %s', (input, expected) => {
    expect(issuesMonthlyInvoice(input)).toBe(expected);
  });
});

describe('reconciliationDifference', () => {
  it('is zero when the month is billed or pending, line for line and to the kopeck', () => {
    // 123.456789 = 100.000001 + 20.456788 + 3.000000 (pending)
    expect(
      reconciliationDifference({
        consumption: { lines: 6, amount: '123.456789' },
        billed: [
          { lines: 3, amount: '100.000001' },
          { lines: 2, amount: '20.456788' },
        ],
        pending: { lines: 1, amount: '3' },
      }),
    ).toEqual({ difference: '0', lineDifference: 0, flagged: false });
  });

  it('flags a lost line', () => {
    // 123.456789 − 100.000001 − 20.456788 = 3 unaccounted for, one line
    expect(
      reconciliationDifference({
        consumption: { lines: 6, amount: '123.456789' },
        billed: [
          { lines: 3, amount: '100.000001' },
          { lines: 2, amount: '20.456788' },
        ],
        pending: { lines: 0, amount: '0' },
      }),
    ).toEqual({ difference: '3', lineDifference: 1, flagged: true });
  });
});

describe('monthlyRanges for the running invoice of an open month', () => {
  it('counts late lines only of months already closed', () => {
    // November is running; October has no close yet: its lines are October's close's.
    const ranges = monthlyRanges({
      month: '2026-11',
      billableFrom: '2026-01-01',
      until: null,
      ownBilledUpTo: '0',
      previousWatermark: '100',
      watermark: '250',
      lateUntil: '2026-10-01', // the newest close is September
    });
    expect(ranges[1]).toMatchObject({ usageFrom: '2026-01-01', usageTo: '2026-10-01' });
    // Nothing closed at all: no late lines.
    expect(
      monthlyRanges({
        month: '2026-11',
        billableFrom: '2026-01-01',
        until: null,
        ownBilledUpTo: '0',
        previousWatermark: '0',
        watermark: '250',
        lateUntil: null,
      }).map((r) => r.kind),
    ).toEqual(['own']);
  });
});

describe('recordedRanges sums exactly', () => {
  it.each([
    // amounts → their exact sum
    [['0.000001', '0.999999'], '1'],
    [['1234.500000', '0.5'], '1235'],
    [['99999999999999.999999', '0.000001'], '100000000000000'],
    [['3', '0'], '3'],
  ])('%j → %s', (amounts, expected) => {
    const [range] = recordedRanges(
      [{ kind: 'own', usageFrom: '2026-08-01', usageTo: '2026-09-01', seqFrom: '0', seqTo: '9' }],
      amounts.map((amount, i) => ({ date: `2026-08-0${i + 1}`, amount, grants: '0', lines: 1 })),
    );
    expect(range?.amount).toBe(expected);
  });
});
