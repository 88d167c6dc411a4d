import { formatDateTime } from '../components/format.ts';

/** Questions with how often they were asked (and, for the gaps, when last). */
export function QuestionsTable({
  rows,
  testId,
  empty,
  withLastAsked,
}: {
  rows: { question: string; count: number; lastAsked?: string }[];
  testId: string;
  empty: string;
  withLastAsked?: boolean;
}) {
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>Question</th>
          <th className="num">Times</th>
          {withLastAsked && <th>Last asked</th>}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={withLastAsked ? 3 : 2} className="muted table-empty">
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((row, i) => (
            <tr key={`${row.question}-${i}`}>
              <td>{row.question}</td>
              <td className="num">{row.count}</td>
              {withLastAsked && <td className="nowrap">{formatDateTime(row.lastAsked)}</td>}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
