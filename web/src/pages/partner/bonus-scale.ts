/**
 * The arithmetic of the bonus chart, kept apart from the drawing: which twelve months it
 * shows and where the y axis puts its ticks. Amounts here only place bars and gridlines;
 * every figure a person reads is the API's own decimal string.
 */

export interface ChartMonth {
  month: string;
  discount: string;
  relative: string | null;
}

/** "2026-03" moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (mm - 1) + delta;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** The month of an instant on Moscow's calendar ("2026-11"). */
export function moscowMonth(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

/**
 * Twelve consecutive months, oldest first, ending with the last closed month (the one before
 * `now` in Moscow) or a newer month the API already has an invoice for (an interim invoice);
 * a month without an issued invoice is shown as a bonus of 0.
 */
export function twelveMonths(items: ChartMonth[], now: Date): ChartMonth[] {
  const lastClosed = addMonths(moscowMonth(now), -1);
  const newest = items.reduce((acc, m) => (m.month > acc ? m.month : acc), lastClosed);
  const byMonth = new Map(items.map((m) => [m.month, m]));
  return Array.from({ length: 12 }, (_, i) => {
    const month = addMonths(newest, i - 11);
    return byMonth.get(month) ?? { month, discount: '0', relative: null };
  });
}

/**
 * The y axis: a top at or above the largest bar and four or five even steps of 1, 2, 2.5
 * or 5 times a power of ten, so the gridlines carry round amounts.
 */
export function yScale(largest: number): { top: number; ticks: number[] } {
  const target = largest > 0 ? largest : 1000;
  const rough = target / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(target / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  return { top, ticks };
}
