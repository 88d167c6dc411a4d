import { useState } from 'react';
import { adminApi } from '../api.ts';
import { HorizontalBars } from '../charts/horizontal-bars.tsx';
import { lastDays, niceMax } from '../charts/scale.ts';
import { Legend } from '../charts/legend.tsx';
import { SplitBar } from '../charts/split-bar.tsx';
import { StackedBars } from '../charts/stacked-bars.tsx';
import { formatDayMonth, formatInteger, formatMs, formatRate, formatUsd } from '../components/format.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { Analytics } from '../../../../src/contracts/analytics.ts';
import { useLoad } from '../use-api.ts';
import { HandoffSection } from './analytics-handoff.tsx';
import { QuestionsTable } from './analytics-questions.tsx';

const ranges = [7, 30, 90] as const;

const plural = (n: number, noun: string) => `${formatInteger(n)} ${noun}${n === 1 ? '' : 's'}`;

function Kpi({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {note && <div className="kpi-note">{note}</div>}
    </div>
  );
}

function ConversationsChart({ data }: { data: Analytics }) {
  const byDay = new Map(data.conversationsPerDay.map((d) => [d.day, d]));
  const columns = lastDays(data.days).map((day) => {
    const d = byDay.get(day);
    const resolved = d?.resolved ?? 0;
    const escalated = d?.escalated ?? 0;
    return {
      label: day,
      values: [resolved, escalated, Math.max(0, (d?.conversations ?? 0) - resolved - escalated)],
    };
  });
  const series = [
    { name: 'resolved', tone: 'fill-good' },
    { name: 'escalated', tone: 'fill-bad' },
    { name: 'open', tone: 'fill-info' },
  ];
  return (
    <section className="card">
      <div className="card-header">
        <h2>Conversations per day</h2>
        <Legend items={series} />
      </div>
      <StackedBars
        columns={columns}
        series={series}
        title="Conversations per day: resolved, escalated and open"
        testId="chart-conversations"
        formatLabel={formatDayMonth}
      />
    </section>
  );
}

function Dashboard({ data }: { data: Analytics }) {
  const { totals, satisfaction, latency, usage } = data;
  const noData = totals.conversations === 0 && totals.turns === 0;
  const latencyMax = niceMax(Math.max(latency.p50 ?? 0, latency.p95 ?? 0, latency.firstTokenP50 ?? 0), 100);

  return (
    <>
      {noData && (
        <p className="callout" data-testid="analytics-empty">
          No conversations in the last {data.days} days yet. The figures fill in as customers chat with the
          agent.
        </p>
      )}
      <div className="kpis">
        <Kpi
          label="Conversations"
          value={formatInteger(totals.conversations)}
          note={plural(totals.turns, 'answer')}
        />
        <Kpi
          label="Resolved"
          value={formatRate(totals.resolutionRate)}
          note={plural(totals.resolved, 'conversation')}
        />
        <Kpi
          label="Escalated"
          value={formatRate(totals.escalationRate)}
          note={plural(totals.escalated, 'conversation')}
        />
        <Kpi
          label="Satisfaction"
          value={formatRate(satisfaction.rate)}
          note={`${satisfaction.up} up · ${satisfaction.down} down`}
        />
        <Kpi
          label="Could not answer"
          value={formatInteger(totals.abstained)}
          note="answers without knowledge"
        />
        <Kpi
          label="Cost"
          value={formatUsd(usage.costUsd)}
          note={`${formatInteger(usage.inputTokens + usage.outputTokens)} tokens`}
        />
      </div>

      <ConversationsChart data={data} />

      <div className="grid-2">
        <section className="card">
          <h2>Resolution and escalation</h2>
          <HorizontalBars
            title="Resolution and escalation rates"
            testId="chart-rates"
            max={1}
            bars={[
              {
                label: 'Resolved',
                value: totals.resolutionRate,
                display: formatRate(totals.resolutionRate),
                tone: 'fill-good',
              },
              {
                label: 'Escalated',
                value: totals.escalationRate,
                display: formatRate(totals.escalationRate),
                tone: 'fill-bad',
              },
            ]}
          />
        </section>
        <section className="card">
          <div className="card-header">
            <h2>Satisfaction</h2>
            <span className="big-figure">{formatRate(satisfaction.rate)}</span>
          </div>
          <SplitBar
            title={`Ratings: ${satisfaction.up} thumbs up, ${satisfaction.down} thumbs down`}
            testId="chart-satisfaction"
            left={{ label: '▲ up', value: satisfaction.up, tone: 'fill-good' }}
            right={{ label: '▼ down', value: satisfaction.down, tone: 'fill-bad' }}
          />
          {satisfaction.up + satisfaction.down === 0 && <p className="muted">No ratings yet.</p>}
        </section>
      </div>

      <HandoffSection handoff={data.handoff} />

      <div className="grid-2">
        <section className="card">
          <h2>Latency</h2>
          <HorizontalBars
            title="Answer latency: median, 95th percentile and median time to first token"
            testId="chart-latency"
            max={latencyMax}
            bars={[
              {
                label: 'First token p50',
                value: latency.firstTokenP50,
                display: formatMs(latency.firstTokenP50),
                tone: 'fill-info',
              },
              {
                label: 'Answer p50',
                value: latency.p50,
                display: formatMs(latency.p50),
                tone: 'fill-accent',
              },
              { label: 'Answer p95', value: latency.p95, display: formatMs(latency.p95), tone: 'fill-warn' },
            ]}
          />
        </section>
        <section className="card">
          <h2>Tokens and cost</h2>
          <dl className="pairs pairs-wide" data-testid="usage">
            <div>
              <dt>Input tokens</dt>
              <dd>{formatInteger(usage.inputTokens)}</dd>
            </div>
            <div>
              <dt>Output tokens</dt>
              <dd>{formatInteger(usage.outputTokens)}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{formatUsd(usage.costUsd)}</dd>
            </div>
            <div>
              <dt>Per answer</dt>
              <dd>{totals.turns > 0 ? formatUsd(usage.costUsd / totals.turns) : '—'}</dd>
            </div>
          </dl>
        </section>
      </div>

      <div className="grid-2">
        <section className="card">
          <h2>Top questions</h2>
          <QuestionsTable rows={data.topQuestions} testId="top-questions" empty="No questions asked yet." />
        </section>
        <section className="card">
          <h2>Unanswered questions</h2>
          <p className="muted">
            The knowledge gaps: questions the agent found nothing for. Add documents that answer them.
          </p>
          <QuestionsTable
            rows={data.unanswered}
            testId="unanswered-questions"
            empty="No unanswered questions."
            withLastAsked
          />
        </section>
      </div>
    </>
  );
}

export function AnalyticsPage() {
  const [days, setDays] = useState<number>(30);
  const loaded = useLoad(() => adminApi.analytics(days), [days]);
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Analytics</h1>
          <p className="muted">How the agent is doing over the last {days} days (UTC).</p>
        </div>
        <div className="segmented" role="group" aria-label="Period">
          {ranges.map((n) => (
            <button
              key={n}
              type="button"
              className={n === days ? 'segment active' : 'segment'}
              aria-pressed={n === days}
              onClick={() => setDays(n)}
              data-testid={`days-${n}`}
            >
              {n} days
            </button>
          ))}
        </div>
      </header>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data && <Loading what="Loading the figures" />}
      {loaded.data && <Dashboard data={loaded.data} />}
    </>
  );
}
