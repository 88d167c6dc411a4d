import { useState } from 'react';
import type { EvalRunSummary } from '../../../../src/contracts/eval.ts';
import { type PassRatePoint, PassRateLine } from '../charts/pass-rate-line.tsx';
import { formatDateTime, shortId } from '../components/format.ts';
import { Badge, Empty, ErrorNote, Loading } from '../components/status.tsx';
import { evalApi } from '../eval-api.ts';
import { href, Link, navigate } from '../router.tsx';
import { useLoad } from '../use-api.ts';
import { RunDiffPage, RunPage } from './test-run.tsx';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** Answer tests: the runs list, one run (`tests/<id>`), or two runs compared (`tests/<a>/diff/<b>`). */
export function TestsPage({ path }: { path: string[] }) {
  const [runId, action, otherId] = path;
  if (runId && action === 'diff' && otherId) return <RunDiffPage before={runId} after={otherId} />;
  if (runId) return <RunPage runId={runId} />;
  return <RunsPage />;
}

/** One suite's runs as chart points, oldest first. */
function chartPoints(runs: EvalRunSummary[], suite: string | undefined): PassRatePoint[] {
  return runs
    .filter((r) => r.suiteName === suite)
    .reverse()
    .map((r) => ({
      id: r.id,
      passRate: r.passRate,
      label: `${formatDateTime(r.createdAt)} · ${r.passed}/${r.n} · ${r.model} · ${r.trigger}`,
      highlighted: r.trigger === 'document-change',
    }));
}

/** The two picked runs, older first, so "now fails" means it passed before and fails after. */
function olderFirst(runs: EvalRunSummary[], picked: string[]): [EvalRunSummary, EvalRunSummary] | undefined {
  const [a, b] = runs
    .filter((r) => picked.includes(r.id))
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt));
  return a && b ? [a, b] : undefined;
}

function TestsHeader({ loading, onRefresh }: { loading: boolean; onRefresh: () => void }) {
  return (
    <header className="page-header">
      <div>
        <h1>Tests</h1>
        <p className="muted">
          Runs of answer test suites (<span className="mono">parley eval suite</span>): each case is asked as
          a new conversation and its answer checked. Registered suites re-run by themselves when a document
          they rely on changes; those runs are marked <Badge tone="warn">document change</Badge>.
        </p>
      </div>
      <button type="button" className="button" onClick={onRefresh} disabled={loading}>
        Refresh
      </button>
    </header>
  );
}

function RunsPage() {
  const [suite, setSuite] = useState<string>('');
  const loaded = useLoad(() => evalApi.runs(suite || undefined), [suite]);
  const [picked, setPicked] = useState<string[]>([]);
  const data = loaded.data;
  // The chart reads left to right, oldest first, and only means something for one suite at a time.
  const chartSuite = suite || data?.suites[0];
  const points = chartPoints(data?.runs ?? [], chartSuite);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const compare = () => {
    const pair = olderFirst(data?.runs ?? [], picked);
    if (pair) navigate(href('tests', pair[0].id, 'diff', pair[1].id));
  };

  return (
    <>
      <TestsHeader loading={loaded.loading} onRefresh={loaded.reload} />
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !data ? (
        <Loading what="Loading test runs" />
      ) : !data || data.runs.length === 0 ? (
        <Empty title="No test runs yet.">
          Run a suite with parley eval suite examples/tests/demo.jsonl (add --register to re-run it when
          documents change).
        </Empty>
      ) : (
        <div className="stack">
          <SuiteChart
            suites={data.suites}
            suite={suite}
            onSuite={setSuite}
            chartSuite={chartSuite}
            points={points}
          />
          <RunsTable runs={data.runs} picked={picked} onToggle={toggle} />
          <div className="form-actions">
            <button
              type="button"
              className="button"
              disabled={picked.length !== 2}
              onClick={compare}
              data-testid="tests-compare"
            >
              Compare the two selected runs
            </button>
          </div>
        </div>
      )}
    </>
  );
}

function SuiteChart({
  suites,
  suite,
  onSuite,
  chartSuite,
  points,
}: {
  suites: string[];
  suite: string;
  onSuite: (suite: string) => void;
  chartSuite: string | undefined;
  points: PassRatePoint[];
}) {
  return (
    <section className="card">
      <div className="toolbar">
        <label className="field field-inline">
          <span>Suite</span>
          <select
            className="input input-narrow"
            value={suite}
            onChange={(e) => onSuite(e.target.value)}
            data-testid="tests-suite"
          >
            <option value="">All suites</option>
            {suites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <h2>Pass rate of {chartSuite}</h2>
      <PassRateLine
        points={points}
        title={`Pass rate of ${chartSuite} over its last ${points.length} runs`}
        onSelect={(id) => navigate(href('tests', id))}
      />
    </section>
  );
}

function RunsTable({
  runs,
  picked,
  onToggle,
}: {
  runs: EvalRunSummary[];
  picked: string[];
  onToggle: (id: string) => void;
}) {
  return (
    <table className="table" data-testid="tests-runs">
      <thead>
        <tr>
          <th aria-label="Compare" />
          <th>Run</th>
          <th>Suite</th>
          <th>Model</th>
          <th>Started by</th>
          <th>Passed</th>
          <th>Changed answers</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-testid="tests-run">
            <td>
              <input
                type="checkbox"
                aria-label={`Compare run ${shortId(r.id)}`}
                checked={picked.includes(r.id)}
                onChange={() => onToggle(r.id)}
              />
            </td>
            <td>
              <Link to={href('tests', r.id)}>{formatDateTime(r.createdAt)}</Link>
            </td>
            <td>{r.suiteName}</td>
            <td className="mono">{r.model}</td>
            <td>
              {r.trigger === 'document-change' ? <Badge tone="warn">document change</Badge> : r.trigger}
            </td>
            <td>
              {r.passed}/{r.n} ({percent(r.passRate)})
            </td>
            <td>{r.changedAnswers || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
