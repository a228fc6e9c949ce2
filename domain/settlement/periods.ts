/**
 * Which month a close settles. The schedule fires at 00:00 Moscow time on the 1st; the
 * month it settles is the one before, in Moscow time (UTC+3 all year).
 */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

export function previousMonthInMoscow(instant: string): string {
  const moscow = new Date(Date.parse(instant) + MOSCOW_OFFSET_MS);
  const year = moscow.getUTCFullYear();
  const month = moscow.getUTCMonth(); // 0-based: the previous month, 1-based
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
}

/** The month containing an instant, in Moscow time. */
export function monthInMoscow(instant: string): string {
  const moscow = new Date(Date.parse(instant) + MOSCOW_OFFSET_MS);
  return `${moscow.getUTCFullYear()}-${String(moscow.getUTCMonth() + 1).padStart(2, '0')}`;
}
