const width = 560;
const height = 150;
const left = 36;
const right = 8;
const top = 8;
const bottom = 22;

export interface PassRatePoint {
  id: string;
  passRate: number;
  label: string;
  /** Marks runs started by a document change. */
  highlighted: boolean;
}

/** Gridlines at 0, 50 and 100%. */
function RateAxis({ y }: { y: (rate: number) => number }) {
  return [0, 0.5, 1].map((t) => (
    <g key={t}>
      <line
        className={t === 0 ? 'chart-baseline' : 'chart-grid'}
        x1={left}
        x2={width - right}
        y1={y(t)}
        y2={y(t)}
      />
      <text className="chart-axis" x={left - 6} y={y(t) + 4} textAnchor="end">
        {Math.round(t * 100)}%
      </text>
    </g>
  ));
}

/**
 * Pass rate of successive runs, oldest on the left, on a fixed 0-100% axis so runs of different suites and
 * sizes read the same; each run is a point (hover for its label), document-change runs in amber.
 */
export function PassRateLine({
  points,
  title,
  onSelect,
}: {
  points: PassRatePoint[];
  title: string;
  onSelect?: (id: string) => void;
}) {
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i: number) => left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (rate: number) => top + (1 - rate) * plotH;
  const path = points
    .map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.passRate).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-testid="pass-rate-chart"
    >
      <title>{title}</title>
      <RateAxis y={y} />
      {points.length > 1 && <path d={path} fill="none" style={{ stroke: 'var(--accent)', strokeWidth: 2 }} />}
      {points.map((p, i) => (
        <circle
          key={p.id}
          className={p.highlighted ? 'fill-warn' : 'fill-accent'}
          cx={x(i)}
          cy={y(p.passRate)}
          r={4}
          style={onSelect ? { cursor: 'pointer' } : undefined}
          onClick={onSelect ? () => onSelect(p.id) : undefined}
        >
          <title>{p.label}</title>
        </circle>
      ))}
      {points.length > 0 && (
        <>
          <text className="chart-axis" x={left} y={height - 4}>
            {points[0]!.label.split(' · ')[0]}
          </text>
          <text className="chart-axis" x={width - right} y={height - 4} textAnchor="end">
            {points[points.length - 1]!.label.split(' · ')[0]}
          </text>
        </>
      )}
    </svg>
  );
}
