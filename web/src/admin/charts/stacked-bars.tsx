import { countAxis } from './scale.ts';

export interface BarSeries {
  name: string;
  /** A CSS class giving the fill colour, e.g. `fill-good`. */
  tone: string;
}

export interface BarColumn {
  label: string;
  /** One value per series, stacked bottom to top in series order. */
  values: number[];
}

const width = 960;
const height = 260;
const pad = { top: 12, right: 8, bottom: 28, left: 40 };

/** Stacked vertical bars with a count axis; renders an empty grid when every value is zero. */
export function StackedBars({
  columns,
  series,
  title,
  testId,
  formatLabel = (l) => l,
}: {
  columns: BarColumn[];
  series: BarSeries[];
  title: string;
  testId?: string;
  formatLabel?: (label: string) => string;
}) {
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = columns.map((c) => c.values.reduce((s, v) => s + v, 0));
  const axis = countAxis(Math.max(0, ...totals));
  const max = axis.max;
  const slot = plotW / Math.max(columns.length, 1);
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(columns.length / 8));

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-testid={testId}
    >
      <title>{title}</title>
      {axis.ticks.map((t) => (
        <g key={t}>
          <line className="chart-grid" x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
          <text className="chart-axis" x={pad.left - 6} y={y(t) + 4} textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {columns.map((column, i) => {
        const x = pad.left + i * slot + (slot - barW) / 2;
        let base = 0;
        return (
          <g key={column.label}>
            <title>{`${formatLabel(column.label)}: ${series.map((s, k) => `${s.name} ${column.values[k] ?? 0}`).join(', ')}`}</title>
            {/* A transparent full-height target so the tooltip works on empty days too. */}
            <rect x={pad.left + i * slot} y={pad.top} width={slot} height={plotH} fill="transparent" />
            {series.map((s, k) => {
              const value = column.values[k] ?? 0;
              if (value <= 0) return null;
              const top = y(base + value);
              const rect = (
                <rect key={s.name} className={s.tone} x={x} y={top} width={barW} height={y(base) - top} />
              );
              base += value;
              return rect;
            })}
            {i % labelEvery === 0 && (
              <text className="chart-axis" x={x + barW / 2} y={height - 8} textAnchor="middle">
                {formatLabel(column.label)}
              </text>
            )}
          </g>
        );
      })}
      <line className="chart-baseline" x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} />
    </svg>
  );
}
