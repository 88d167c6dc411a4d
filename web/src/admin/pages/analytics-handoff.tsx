import { HorizontalBars } from '../charts/horizontal-bars.tsx';
import { niceMax } from '../charts/scale.ts';
import { SplitBar } from '../charts/split-bar.tsx';
import { formatInteger } from '../components/format.ts';
import type { HandoffAnalytics } from '../../../../src/contracts/analytics.ts';

/** "45 s", "6 min", "2 h 5 min", "1 d 3 h". */
export function formatWait(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

const sourceLabels: Record<string, string> = {
  requested: 'Customer asked',
  rule: 'Hand-off rule',
  agent: 'Agent escalated',
  abstained: 'Could not answer twice',
  thumbs_down: 'Thumbs down',
  staff: 'Staff took over',
  unknown: 'Not recorded',
};

function FirstReplyCard({ handoff }: { handoff: HandoffAnalytics }) {
  const { firstHumanReply: reply, resolvedBy } = handoff;
  return (
    <section className="card">
      <div className="card-header">
        <h2>Time to first human reply</h2>
        <span className="big-figure" data-testid="first-reply-median">
          {formatWait(reply.median)}
        </span>
      </div>
      <HorizontalBars
        title="Time from hand-off to the first staff reply: median and 90th percentile"
        testId="chart-first-reply"
        max={niceMax(Math.max(reply.median ?? 0, reply.p90 ?? 0), 60)}
        bars={[
          { label: 'Median', value: reply.median, display: formatWait(reply.median), tone: 'fill-accent' },
          { label: '90th percentile', value: reply.p90, display: formatWait(reply.p90), tone: 'fill-warn' },
        ]}
      />
      <p className="muted">
        {formatInteger(handoff.handoffs)} hand-offs; {formatInteger(reply.replied)} answered by a person,{' '}
        {formatInteger(reply.unanswered)} still waiting.
      </p>
      <h3>Resolved by</h3>
      <SplitBar
        title={`Resolved conversations: ${resolvedBy.bot} by the agent alone, ${resolvedBy.person} with a person`}
        testId="chart-resolved-by"
        left={{ label: 'agent', value: resolvedBy.bot, tone: 'fill-good' }}
        right={{ label: 'person', value: resolvedBy.person, tone: 'fill-info' }}
      />
    </section>
  );
}

function ReasonsCard({ handoff }: { handoff: HandoffAnalytics }) {
  return (
    <section className="card">
      <h2>Hand-offs by reason</h2>
      {handoff.bySource.length === 0 ? (
        <p className="muted">No conversations were handed to a person.</p>
      ) : (
        <HorizontalBars
          title="What sent conversations to a person"
          testId="chart-handoff-sources"
          max={Math.max(1, ...handoff.bySource.map((s) => s.count))}
          bars={handoff.bySource.map((s) => ({
            label: sourceLabels[s.source] ?? s.source,
            value: s.count,
            display: formatInteger(s.count),
            tone: 'fill-bad',
          }))}
        />
      )}
      {handoff.byReason.length > 0 && (
        <table className="table" data-testid="handoff-reasons">
          <thead>
            <tr>
              <th>Reason given</th>
              <th className="num">Hand-offs</th>
            </tr>
          </thead>
          <tbody>
            {handoff.byReason.map((r) => (
              <tr key={r.reason}>
                <td>{r.reason}</td>
                <td className="num">{formatInteger(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The hand-off figures: how fast people reply, why conversations reach them, who resolves them. */
export function HandoffSection({ handoff }: { handoff: HandoffAnalytics }) {
  return (
    <div className="grid-2" data-testid="handoff-analytics">
      <FirstReplyCard handoff={handoff} />
      <ReasonsCard handoff={handoff} />
    </div>
  );
}
