import Decimal from 'decimal.js';

/**
 * Money in RUB. Every amount is an exact decimal; JS numbers never carry money.
 * The one rounding rule (SPEC §2): compute exactly, round each invoice line to 0.01 RUB
 * half-up (away from zero on .5), and sum the rounded lines for the total.
 */
export const Money = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Money = InstanceType<typeof Money>;

const MONEY_PATTERN = /^-?\d{1,15}(\.\d{1,2})?$/;

/** Parses a wire amount ("1234.5"); at most two decimals (kopecks). */
export function parseMoney(text: string): Money {
  if (!MONEY_PATTERN.test(text)) {
    throw new RangeError(`"${text}" is not an amount in rubles with at most two decimals`);
  }
  return new Money(text);
}

export function isMoneyString(text: string): boolean {
  return MONEY_PATTERN.test(text);
}

/** Rounds to kopecks, half-up. */
export function roundKopecks(value: Decimal.Value): Money {
  return new Money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The wire form: always two decimals ("10.50"). */
export function formatMoney(value: Decimal.Value): string {
  return roundKopecks(value).toFixed(2);
}

/** Sums already-rounded lines (the invoice total rule). */
export function sumMoney(values: Iterable<Decimal.Value>): Money {
  let total = new Money(0);
  for (const value of values) total = total.plus(value);
  return total;
}
