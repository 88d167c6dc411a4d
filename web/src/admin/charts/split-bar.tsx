const width = 480;
const height = 44;

/**
 * One bar split between two counts (thumbs up and down); a grey track when both are zero.
 */
export function SplitBar({
  left,
  right,
  title,
  testId,
}: {
  left: { label: string; value: number; tone: string };
  right: { label: string; value: number; tone: string };
  title: string;
  testId?: string;
}) {
  const total = left.value + right.value;
  const leftW = total > 0 ? (left.value / total) * width : 0;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-testid={testId}
    >
      <title>{title}</title>
      <rect className="chart-track" x={0} y={4} width={width} height={24} rx={6} />
      {left.value > 0 && <rect className={left.tone} x={0} y={4} width={leftW} height={24} rx={6} />}
      {right.value > 0 && (
        <rect className={right.tone} x={leftW} y={4} width={width - leftW} height={24} rx={6} />
      )}
      <text className="chart-axis" x={0} y={height - 2}>
        {left.label} {left.value}
      </text>
      <text className="chart-axis" x={width} y={height - 2} textAnchor="end">
        {right.label} {right.value}
      </text>
    </svg>
  );
}
