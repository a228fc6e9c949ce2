import type { BonusMonth } from '../../api';
import { useMoney, useT } from '../../i18n';

/**
 * The partner bonus per month as bars (absolute, rubles) with the relative bonus written
 * under each bar; the newest 12 months, oldest on the left. Heights are proportions of
 * the largest month for drawing only: the figures shown are the API's own strings.
 */
export function BonusChart({ months }: { months: BonusMonth[] }) {
  const t = useT();
  const money = useMoney();
  if (months.length === 0) return <p className="muted">{t('noData')}</p>;
  const ordered = [...months].reverse();
  const max = Math.max(...ordered.map((m) => Number(m.discount)), 1);
  const width = 56;
  const height = 160;
  return (
    <svg
      viewBox={`0 0 ${ordered.length * width} ${height + 48}`}
      className="chart"
      role="img"
      aria-label={t('bonusChart')}
    >
      {ordered.map((m, i) => {
        const h = Math.round((Number(m.discount) / max) * height);
        const percent = m.relative === null ? '—' : `${(Number(m.relative) * 100).toFixed(2)}%`;
        return (
          <g key={m.month} transform={`translate(${i * width}, 0)`}>
            <title>{`${m.month}: ${money(m.discount)} (${t('relative')} ${percent})`}</title>
            <rect x={8} y={height - h} width={width - 16} height={h} className="bar" />
            <text x={width / 2} y={height + 16} textAnchor="middle" className="label">
              {m.month.slice(2)}
            </text>
            <text x={width / 2} y={height + 32} textAnchor="middle" className="label muted">
              {percent}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
