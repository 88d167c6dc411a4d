import type { EvalCaseChange, EvalCaseResultView } from '../../../../src/contracts/eval.ts';
import { formatDateTime, shortSource } from '../components/format.ts';
import { Badge, type BadgeTone, ErrorNote, Loading } from '../components/status.tsx';
import { evalApi } from '../eval-api.ts';
import { href, Link } from '../router.tsx';
import { useLoad } from '../use-api.ts';

function Verdict({ passed }: { passed: boolean }) {
  return <Badge tone={passed ? 'good' : 'bad'}>{passed ? 'passed' : 'failed'}</Badge>;
}

/** One case's answer with what it cited, the tools it called and, when it failed, why. */
function CaseAnswer({ result }: { result: EvalCaseResultView }) {
  return (
    <div>
      {result.reasons.length > 0 && (
        <ul className="link-list status-error">
          {result.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <p className="prewrap">{result.answer || <span className="muted">(no answer)</span>}</p>
      <p className="muted">
        {result.outcome}
        {result.escalated ? ', escalated' : ''}
        {result.tools.length > 0 && ` · tools: ${result.tools.join(', ')}`}
        {result.tokenF1 !== null && ` · token F1 ${result.tokenF1.toFixed(3)}`}
        {result.citations.length > 0 &&
          ` · cites: ${[...new Set(result.citations.map((c) => shortSource(c.source)))].join(', ')}`}
      </p>
    </div>
  );
}

/** One run: its figures and every case. */
export function RunPage({ runId }: { runId: string }) {
  const loaded = useLoad(() => evalApi.run(runId), [runId]);
  const run = loaded.data;
  if (!run) return loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : <Loading />;
  const failed = run.cases.filter((c) => !c.passed);
  return (
    <>
      <header className="page-header">
        <div>
          <p>
            <Link to={href('tests')}>← Tests</Link>
          </p>
          <h1>
            {run.suiteName}: {run.passed}/{run.n} passed
          </h1>
          <p className="muted" data-testid="test-run-summary">
            {formatDateTime(run.createdAt)} · <span className="mono">{run.model}</span> · started by{' '}
            {run.trigger}
            {run.changedAnswers > 0 &&
              ` · ${run.changedAnswers} answers changed since the previous run`} ·{' '}
            {Object.keys(run.knowledgeVersions).length} documents in the knowledge base
          </p>
        </div>
      </header>
      <div className="stack">
        {[...failed, ...run.cases.filter((c) => c.passed)].map((c) => (
          <article key={c.caseId} className="card" data-testid="test-case" data-passed={c.passed}>
            <div className="solution-meta">
              <Verdict passed={c.passed} />
              {c.answerChanged && <Badge tone="warn">answer changed</Badge>}
              <span className="mono">{c.caseId}</span>
            </div>
            <h3>{c.question}</h3>
            <CaseAnswer result={c} />
          </article>
        ))}
      </div>
    </>
  );
}

const changeLabels: Record<EvalCaseChange['change'], { label: string; tone: BadgeTone }> = {
  broke: { label: 'now fails', tone: 'bad' },
  fixed: { label: 'now passes', tone: 'good' },
  'answer-changed': { label: 'answer changed', tone: 'warn' },
  added: { label: 'new case', tone: 'info' },
  removed: { label: 'case removed', tone: 'neutral' },
};

/** What changed between two runs: flipped cases, changed answers side by side, and document versions. */
export function RunDiffPage({ before, after }: { before: string; after: string }) {
  const loaded = useLoad(() => evalApi.diff(before, after), [before, after]);
  const diff = loaded.data;
  if (!diff) return loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : <Loading />;
  const side = (title: string, result: EvalCaseResultView | null) => (
    <div>
      <h4>{title}</h4>
      {result ? <CaseAnswer result={result} /> : <p className="muted">Not in this run.</p>}
    </div>
  );
  return (
    <>
      <header className="page-header">
        <div>
          <p>
            <Link to={href('tests')}>← Tests</Link>
          </p>
          <h1>Compare runs</h1>
          <p className="muted">
            <Link to={href('tests', diff.before.id)}>{formatDateTime(diff.before.createdAt)}</Link> (
            {diff.before.passed}/{diff.before.n}, {diff.before.model}) →{' '}
            <Link to={href('tests', diff.after.id)}>{formatDateTime(diff.after.createdAt)}</Link> (
            {diff.after.passed}/{diff.after.n}, {diff.after.model}) · {diff.unchanged} cases unchanged
          </p>
          {diff.changedDocuments.length > 0 && (
            <p className="muted" data-testid="test-diff-documents">
              Documents changed in between:{' '}
              {diff.changedDocuments.map((d, i) => (
                <span key={d.documentId}>
                  {i > 0 && ', '}
                  <Link to={href('knowledge', d.documentId)}>
                    v{d.before ?? '–'} → v{d.after ?? 'retired'}
                  </Link>
                </span>
              ))}
            </p>
          )}
        </div>
      </header>
      <div className="stack">
        {diff.cases.length === 0 && <p className="muted">Every case has the same verdict and answer.</p>}
        {diff.cases.map((c) => (
          <article key={c.caseId} className="card" data-testid="test-diff-case" data-change={c.change}>
            <div className="solution-meta">
              <Badge tone={changeLabels[c.change].tone}>{changeLabels[c.change].label}</Badge>
              <span className="mono">{c.caseId}</span>
            </div>
            <h3>{c.question}</h3>
            <div className="grid-2">
              {side('Before', c.before)}
              {side('After', c.after)}
            </div>
          </article>
        ))}
      </div>
    </>
  );
}
