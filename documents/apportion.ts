import { Money, sumMoney } from '../domain/money';

const KOPECK = new Money('0.01');

/**
 * Splits `total` (kopecks exact) into shares proportional to `weights`, in whole kopecks that
 * add up to `total` exactly: each share is first rounded down, then the kopecks left over go
 * one each to the shares with the largest remainders (the earlier share on a tie).
 *
 * Weights at or below zero take nothing; when no weight is positive the first share takes the
 * whole total. Used to spread a reduction over the rows it reduces, to split a line into the
 * services it billed, and to split a VAT amount over rows, each time without losing a kopeck.
 */
export function apportion(total: Money | string, weights: readonly (Money | string)[]): Money[] {
  const amount = new Money(total);
  if (weights.length === 0) return [];
  const positive = weights.map((w) => Money.max(new Money(w), 0));
  const sum = sumMoney(positive);
  if (sum.isZero()) return weights.map((_, i) => (i === 0 ? amount : new Money(0)));

  const sign = amount.isNegative() ? -1 : 1;
  const whole = amount.abs();
  const exact = positive.map((w) => whole.times(w).dividedBy(sum));
  const floors = exact.map((share) => share.dividedBy(KOPECK).floor().times(KOPECK));
  let left = whole.minus(sumMoney(floors)).dividedBy(KOPECK).round().toNumber();
  const order = exact
    .map((share, i) => ({ i, remainder: share.minus(floors[i]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(KOPECK);
    left -= 1;
  }
  return floors.map((share) => share.times(sign));
}

/**
 * Rounds exact amounts to kopecks so that they add up to `total`: the share of the difference
 * between `total` and the exact sum goes where the rounding lost the most. When the exact
 * amounts already add up to `total` within rounding, every amount moves by less than a kopeck.
 */
export function roundToTotal(total: Money | string, exact: readonly (Money | string)[]): Money[] {
  const target = new Money(total);
  const values = exact.map((v) => new Money(v));
  const floors = values.map((v) => v.dividedBy(KOPECK).floor().times(KOPECK));
  let left = target.minus(sumMoney(floors)).dividedBy(KOPECK).round().toNumber();
  if (left < 0 || left > values.length) return apportionDifference(target, floors);
  const order = values
    .map((v, i) => ({ i, remainder: v.minus(floors[i]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(KOPECK);
    left -= 1;
  }
  return floors;
}

/** The exact amounts disagree with the total by more than rounding: the largest absorbs it. */
function apportionDifference(target: Money, floors: Money[]): Money[] {
  if (floors.length === 0) return [];
  let largest = 0;
  floors.forEach((v, i) => {
    if (v.abs().gt(floors[largest]!.abs())) largest = i;
  });
  const out = [...floors];
  out[largest] = out[largest]!.plus(target.minus(sumMoney(floors)));
  return out;
}
