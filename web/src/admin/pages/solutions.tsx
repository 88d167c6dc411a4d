import { useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime } from '../components/format.ts';
import { Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { SolutionEdits, SolutionStatus, SolutionView } from '../../../../src/contracts/solutions.ts';
import { useAction, useLoad } from '../use-api.ts';

const filters: { status: SolutionStatus; label: string }[] = [
  { status: 'suggested', label: 'To review' },
  { status: 'approved', label: 'Approved' },
  { status: 'rejected', label: 'Rejected' },
];

function editsOf(draft: Draft, solution: SolutionView): SolutionEdits {
  const edits: SolutionEdits = {};
  if (draft.problem.trim() !== solution.problem) edits.problem = draft.problem.trim();
  if (draft.resolution.trim() !== solution.resolution) edits.resolution = draft.resolution.trim();
  const product = draft.product.trim() || null;
  if (product !== solution.product) edits.product = product;
  return edits;
}

interface Draft {
  problem: string;
  resolution: string;
  product: string;
}

const draftOf = (s: SolutionView): Draft => ({
  problem: s.problem,
  resolution: s.resolution,
  product: s.product ?? '',
});

function SolutionCard({
  solution,
  onChanged,
}: {
  solution: SolutionView;
  onChanged: (next: SolutionView) => void;
}) {
  const [draft, setDraft] = useState<Draft>();
  const save = useAction((edits: SolutionEdits) => adminApi.solutions.edit(solution.id, edits));
  const approve = useAction((edits?: SolutionEdits) => adminApi.solutions.approve(solution.id, edits));
  const reject = useAction(() => adminApi.solutions.reject(solution.id));
  const busy = save.busy || approve.busy || reject.busy;
  const invalid = draft !== undefined && (!draft.problem.trim() || !draft.resolution.trim());

  const finish = (next: SolutionView | undefined) => {
    if (!next) return;
    setDraft(undefined);
    onChanged(next);
  };

  return (
    <article className="card solution" data-testid="solution-row" data-status={solution.status}>
      <div className="solution-meta">
        <StatusBadge status={solution.status} />
        <span className="muted">
          used {solution.timesUsed}× · resolved {solution.timesResolved}×
        </span>
        {solution.product && <span className="chip">{solution.product}</span>}
        <span className="muted">{formatDateTime(solution.createdAt)}</span>
        {solution.reviewedBy && <span className="muted">reviewed by {solution.reviewedBy}</span>}
        {solution.conversationId && (
          <Link to={href('conversations', solution.conversationId)}>From this conversation</Link>
        )}
      </div>

      {draft ? (
        <div className="solution-form">
          <label className="field">
            <span>Problem</span>
            <textarea
              className="input"
              rows={2}
              value={draft.problem}
              onChange={(event) => setDraft({ ...draft, problem: event.target.value })}
              data-testid="solution-problem"
            />
          </label>
          <label className="field">
            <span>Resolution</span>
            <textarea
              className="input"
              rows={5}
              value={draft.resolution}
              onChange={(event) => setDraft({ ...draft, resolution: event.target.value })}
              data-testid="solution-resolution"
            />
          </label>
          <label className="field field-narrow">
            <span>Product (SKU, optional)</span>
            <input
              className="input"
              value={draft.product}
              onChange={(event) => setDraft({ ...draft, product: event.target.value })}
              data-testid="solution-product"
            />
          </label>
        </div>
      ) : (
        <dl className="solution-text">
          <dt>Problem</dt>
          <dd>{solution.problem}</dd>
          <dt>Resolution</dt>
          <dd className="prewrap">{solution.resolution}</dd>
        </dl>
      )}

      <ErrorNote error={save.error ?? approve.error ?? reject.error} />
      <div className="form-actions">
        {draft ? (
          <>
            <button
              type="button"
              className="button"
              disabled={busy || invalid}
              onClick={async () => finish(await save.run(editsOf(draft, solution)))}
              data-testid="solution-save"
            >
              {save.busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => setDraft(draftOf(solution))}
            data-testid="solution-edit"
          >
            Edit
          </button>
        )}
        {solution.status !== 'approved' && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || invalid}
            onClick={async () => finish(await approve.run(draft ? editsOf(draft, solution) : undefined))}
            data-testid="solution-approve"
          >
            {approve.busy ? 'Approving…' : draft ? 'Save and approve' : 'Approve'}
          </button>
        )}
        {solution.status !== 'rejected' && (
          <button
            type="button"
            className="button button-danger-outline"
            disabled={busy}
            onClick={async () => finish(await reject.run())}
            data-testid="solution-reject"
          >
            {reject.busy ? 'Rejecting…' : 'Reject'}
          </button>
        )}
      </div>
    </article>
  );
}

/** The review queue of solutions learned from resolved conversations. */
export function SolutionsPage() {
  const [status, setStatus] = useState<SolutionStatus>('suggested');
  const [notice, setNotice] = useState<string>();
  const loaded = useLoad(() => adminApi.solutions.list(status), [status]);
  const solutions = loaded.data?.solutions ?? [];

  const changed = (next: SolutionView) => {
    if (!loaded.data) return;
    // A solution that left the shown status leaves the list; say where it went.
    const rows =
      next.status === status
        ? solutions.map((s) => (s.id === next.id ? next : s))
        : solutions.filter((s) => s.id !== next.id);
    loaded.setData({ solutions: rows });
    setNotice(next.status === status ? 'Saved.' : `Moved to ${next.status}.`);
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Solutions</h1>
          <p className="muted">
            Fixes learned from resolved conversations. Approved ones are suggested by the agent to customers
            with the same problem.
          </p>
        </div>
      </header>
      <div className="tabs" role="tablist">
        {filters.map((f) => (
          <button
            key={f.status}
            type="button"
            role="tab"
            aria-selected={status === f.status}
            className={status === f.status ? 'tab active' : 'tab'}
            onClick={() => {
              setNotice(undefined);
              setStatus(f.status);
            }}
            data-testid={`solutions-filter-${f.status}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      {notice && (
        <p className="status status-ok" data-testid="solutions-notice">
          {notice}
        </p>
      )}
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? (
        <Loading what="Loading solutions" />
      ) : loaded.data && solutions.length === 0 ? (
        <Empty title={status === 'suggested' ? 'Nothing to review.' : `No ${status} solutions.`}>
          {status === 'suggested' &&
            'When a conversation is marked resolved, its fix appears here as a suggestion for review.'}
        </Empty>
      ) : (
        <div className="stack">
          {solutions.map((s) => (
            <SolutionCard key={s.id} solution={s} onChanged={changed} />
          ))}
        </div>
      )}
    </>
  );
}
