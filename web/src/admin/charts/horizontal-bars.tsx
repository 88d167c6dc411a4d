export interface HorizontalBar {
  label: string;
  /** Null when there is no figure yet; drawn as an empty track. */
  value: number | null;
  display: string;
  tone: string;
}

const width = 480;
const rowH = 34;
const labelW = 130;
const valueW = 80;

/** Labelled horizontal bars against a shared maximum (rates out of 1, latencies in ms). */
export function HorizontalBars({
  bars,
  max,
  title,
  testId,
}: {
  bars: HorizontalBar[];
  max: number;
  title: string;
  testId?: string;
}) {
  const trackW = width - labelW - valueW;
  const height = bars.length * rowH + 4;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-testid={testId}
    >
      <title>{title}</title>
      {bars.map((bar, i) => {
        const y = i * rowH + 6;
        const fraction = bar.value === null || max <= 0 ? 0 : Math.min(1, Math.max(0, bar.value / max));
        return (
          <g key={bar.label}>
            <text className="chart-label" x={0} y={y + 15}>
              {bar.label}
            </text>
            <rect className="chart-track" x={labelW} y={y} width={trackW} height={20} rx={4} />
            {fraction > 0 && (
              <rect
                className={bar.tone}
                x={labelW}
                y={y}
                width={Math.max(2, trackW * fraction)}
                height={20}
                rx={4}
              />
            )}
            <text className="chart-value" x={width} y={y + 15} textAnchor="end">
              {bar.display}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
