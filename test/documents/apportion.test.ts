import { apportion, roundToTotal } from '../../documents/apportion';
import { Money } from '../../domain/money';

const strings = (values: Money[]) => values.map((v) => v.toFixed(2));

describe('apportion: a reduction shared over rows in whole kopecks', () => {
  it.each([
    // total, weights → shares (each line: the exact shares, then the rounding)
    ['100.00', ['700', '300'], ['70.00', '30.00']], // 100 × 7/10, 100 × 3/10
    ['10.00', ['1', '1', '1'], ['3.34', '3.33', '3.33']], // 3.333… each; the spare kopeck to the first
    ['0.02', ['1', '1', '1'], ['0.01', '0.01', '0.00']], // 0.00666… each: two kopecks, earliest first
    ['110.00', ['700', '0'], ['110.00', '0.00']], // a row of weight 0 takes nothing
    ['5.00', ['0', '0'], ['5.00', '0.00']], // no positive weight: the first row takes it all
    ['-7.00', ['2', '1'], ['-4.67', '-2.33']], // an increase is shared the same way: 4.666…, 2.333…
    ['1.00', ['1', '2', '3'], ['0.17', '0.33', '0.50']], // 0.1666…, 0.3333…, 0.5
  ] as const)('%s over %j → %j', (total, weights, expected) => {
    const shares = apportion(total, weights);
    expect(strings(shares)).toEqual(expected);
    expect(shares.reduce((a, b) => a.plus(b), new Money(0)).eq(total)).toBe(true);
  });
});

describe('roundToTotal: exact amounts rounded to add up to the billed line', () => {
  it.each([
    // total, exact amounts → rounded (the exact sum rounds to the total)
    ['1000.00', ['700.004', '299.998'], ['700.00', '300.00']], // 700.00 + 299.99, the kopeck to the larger remainder
    ['0.03', ['0.005', '0.005', '0.015'], ['0.01', '0.01', '0.01']], // floors 0, 0, 0.01; two kopecks left
    ['138.33', ['85.5', '44.5', '8.333333'], ['85.50', '44.50', '8.33']], // VAT of rows: already sums
    ['10.00', ['3', '3'], ['7.00', '3.00']], // off by more than rounding: the first largest absorbs 4.00
  ] as const)('%s from %j → %j', (total, exact, expected) => {
    expect(strings(roundToTotal(total, exact))).toEqual(expected);
  });
});
