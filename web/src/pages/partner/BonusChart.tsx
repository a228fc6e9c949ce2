import type { BonusMonth } from '../../api';
import { useLanguage, useMoney, useT } from '../../i18n';
import { ScrollArea } from '../../ui';
import { usePercent } from './forms';
import { twelveMonths, yScale } from './bonus-scale';

const WIDTH = 720;
const HEIGHT = 280;
const LEFT = 76; // room for the y axis labels
const RIGHT = 8;
const TOP = 24;
const BOTTOM = 52; // month labels and the relative bonus under them
const PLOT_H = HEIGHT - TOP - BOTTOM;
const PLOT_W = WIDTH - LEFT - RIGHT;

/**
 * The partner bonus of the last twelve months as bars (rubles), oldest on the left; a month
 * without an issued invoice is a bar of 0. The y axis is labelled in rubles, the x axis with
 * the month, and the relative bonus is written under each month. Heights only place the bars:
 * the figures shown are the API's own strings.
 */
export function BonusChart({ months, now = new Date() }: { months: BonusMonth[]; now?: Date }) {
  const t = useT();
  const money = useMoney();
  const percent = usePercent();
  const language = useLanguage();
  const series = twelveMonths(months, now);
  const { top, ticks } = yScale(Math.max(...series.map((m) => Number(m.discount))));
  const compact = new Intl.NumberFormat(language, {
    notation: 'compact',
    maximumFractionDigits: 1,
  });
  const monthName = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
  const y = (value: number) => TOP + PLOT_H - (value / top) * PLOT_H;
  const slot = PLOT_W / series.length;
  const empty = months.length === 0;
  return (
    <ScrollArea label={t('bonusChart')} className="chart-scroll">
      {empty && <p className="muted">{t('noBonusYet')}</p>}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart"
        role="img"
        aria-label={`${t('bonusChart')}: ${series
          .map((m) => `${m.month} ${money(m.discount)}`)
          .join('; ')}`}
      >
        <text x={4} y={12} className="label muted">
          {t('bonusAxis')}
        </text>
        {ticks.map((tick) => (
          <g key={tick} data-testid="bonus-tick">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} className="grid-line" />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end" className="label">
              {`${compact.format(tick)} ₽`}
            </text>
          </g>
        ))}
        <line x1={LEFT} x2={LEFT} y1={TOP} y2={TOP + PLOT_H} className="axis" />
        {series.map((m, i) => {
          const value = Number(m.discount);
          const barTop = y(value);
          const x = LEFT + i * slot;
          const [year = '', mm = '1'] = m.month.split('-');
          const label = monthName.format(new Date(Date.UTC(Number(year), Number(mm) - 1, 1)));
          const relative = m.relative === null ? '—' : percent(m.relative);
          return (
            <g key={m.month} data-testid="bonus-month" data-month={m.month}>
              <title>{`${m.month}: ${money(m.discount)} (${t('relative')} ${relative})`}</title>
              <rect
                x={x + slot * 0.18}
                y={barTop}
                width={slot * 0.64}
                height={TOP + PLOT_H - barTop}
                className="bar"
              />
              <text x={x + slot / 2} y={TOP + PLOT_H + 16} textAnchor="middle" className="label">
                {`${label.replace('.', '')} ${year.slice(2)}`}
              </text>
              <text
                x={x + slot / 2}
                y={TOP + PLOT_H + 32}
                textAnchor="middle"
                className="label muted"
              >
                {relative.replace(/\u00a0%$/, '%')}
              </text>
            </g>
          );
        })}
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + PLOT_H} y2={TOP + PLOT_H} className="axis" />
        <text x={LEFT} y={HEIGHT - 4} className="label muted">
          {t('bonusRelativeNote')}
        </text>
      </svg>
    </ScrollArea>
  );
}
