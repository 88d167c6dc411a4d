import { useState } from 'react';
import type {
  QaEdits,
  QaGenerateReport,
  QaPairStatus,
  QaPairView,
  QaSourceType,
  QaSplit,
} from '../../../../src/contracts/qa.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatDateTime } from '../components/format.ts';
import { Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { learnApi } from '../learn-api.ts';
import { href, Link } from '../router.tsx';
import { useAction, useLoad } from '../use-api.ts';

const statusTabs: { status: QaPairStatus; label: string }[] = [
  { status: 'draft', label: 'To review' },
  { status: 'approved', label: 'Approved' },
  { status: 'rejected', label: 'Rejected' },
];

const sourceLabels: Record<QaSourceType, string> = {
  conversation: 'Conversations',
  solution: 'Solutions',
  document: 'Documents',
};

interface Draft {
  question: string;
  answer: string;
}

function editsOf(draft: Draft, pair: QaPairView): QaEdits {
  const edits: QaEdits = {};
  if (draft.question.trim() !== pair.question) edits.question = draft.question.trim();
  if (draft.answer.trim() !== pair.answer) edits.answer = draft.answer.trim();
  return edits;
}

function PairCard({ pair, onChanged }: { pair: QaPairView; onChanged: (next: QaPairView) => void }) {
  const [draft, setDraft] = useState<Draft>();
  const save = useAction((edits: QaEdits) => learnApi.qa.edit(pair.id, edits));
  const approve = useAction((edits?: QaEdits) => learnApi.qa.approve(pair.id, edits));
  const reject = useAction(() => learnApi.qa.reject(pair.id));
  const busy = save.busy || approve.busy || reject.busy;
  const invalid = draft !== undefined && (draft.question.trim().length < 3 || !draft.answer.trim());
  const finish = (next: QaPairView | undefined) => {
    if (!next) return;
    setDraft(undefined);
    onChanged(next);
  };

  return (
    <article className="card solution" data-testid="qa-row" data-status={pair.status}>
      <div className="solution-meta">
        <StatusBadge status={pair.status} />
        {pair.split && <span className="chip">{pair.split}</span>}
        <span className="chip">{pair.sourceType}</span>
        {pair.sourceType === 'conversation' && pair.sourceId ? (
          <Link to={href('conversations', pair.sourceId)}>{pair.sourceLabel ?? 'Source conversation'}</Link>
        ) : (
          <span className="muted">{pair.sourceLabel}</span>
        )}
        {pair.generator && <span className="muted">by {pair.generator}</span>}
        <span className="muted">{formatDateTime(pair.createdAt)}</span>
        {pair.reviewedBy && <span className="muted">reviewed by {pair.reviewedBy}</span>}
      </div>

      {draft ? (
        <div className="solution-form">
          <label className="field">
            <span>Question</span>
            <textarea
              className="input"
              rows={2}
              value={draft.question}
              onChange={(event) => setDraft({ ...draft, question: event.target.value })}
              data-testid="qa-question"
            />
          </label>
          <label className="field">
            <span>Answer</span>
            <textarea
              className="input"
              rows={6}
              value={draft.answer}
              onChange={(event) => setDraft({ ...draft, answer: event.target.value })}
              data-testid="qa-answer"
            />
          </label>
          <p className="muted">
            Emails, phone, order and tracking numbers typed here are replaced by placeholders.
          </p>
        </div>
      ) : (
        <dl className="solution-text">
          <dt>Question</dt>
          <dd>{pair.question}</dd>
          <dt>Answer</dt>
          <dd className="prewrap">{pair.answer}</dd>
          {pair.citations.length > 0 && (
            <>
              <dt>Cites</dt>
              <dd>{pair.citations.map((c) => `${c.title ?? c.source} › ${c.heading}`).join('; ')}</dd>
            </>
          )}
          {pair.transcriptTurns > 0 && (
            <>
              <dt>Context</dt>
              <dd className="muted">
                {pair.transcriptTurns} earlier turns and tool calls are exported with it
              </dd>
            </>
          )}
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
              onClick={async () => finish(await save.run(editsOf(draft, pair)))}
              data-testid="qa-save"
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
            onClick={() => setDraft({ question: pair.question, answer: pair.answer })}
            data-testid="qa-edit"
          >
            Edit
          </button>
        )}
        {pair.status !== 'approved' && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || invalid}
            onClick={async () => finish(await approve.run(draft ? editsOf(draft, pair) : undefined))}
            data-testid="qa-approve"
          >
            {approve.busy ? 'Approving…' : draft ? 'Save and approve' : 'Approve'}
          </button>
        )}
        {pair.status !== 'rejected' && (
          <button
            type="button"
            className="button button-danger-outline"
            disabled={busy}
            onClick={async () => finish(await reject.run())}
            data-testid="qa-reject"
          >
            {reject.busy ? 'Rejecting…' : 'Reject'}
          </button>
        )}
      </div>
    </article>
  );
}

function generatedNote(result: { jobId: string | null; report: QaGenerateReport | null }): string {
  if (!result.report)
    return 'Generation is running in the background; reload in a moment to see the new drafts.';
  const r = result.report;
  return `${r.created} new drafts (${r.bySource.conversation ?? 0} from conversations, ${r.bySource.solution ?? 0} from solutions, ${r.bySource.document ?? 0} from documents), ${r.duplicates} near-duplicates dropped.`;
}

/** Q&A pairs: generate them, review drafts, and see the approved ones by split. */
export function QaPage() {
  const [status, setStatus] = useState<QaPairStatus>('draft');
  const [source, setSource] = useState<QaSourceType | ''>('');
  const [split, setSplit] = useState<QaSplit | ''>('');
  const [q, setQ] = useState('');
  const [notice, setNotice] = useState<string>();
  const loaded = useLoad(
    () =>
      learnApi.qa.list({
        status,
        source: source || undefined,
        split: split || undefined,
        q: q.trim() || undefined,
      }),
    [status, source, split, q],
  );
  const generate = useAction(() => learnApi.qa.generate());
  const approveAll = useAction(() => learnApi.qa.approveAll());
  const pairs = loaded.data?.pairs ?? [];
  const counts = loaded.data?.counts;

  const changed = (next: QaPairView) => {
    if (!loaded.data) return;
    const rows =
      next.status === status
        ? pairs.map((p) => (p.id === next.id ? next : p))
        : pairs.filter((p) => p.id !== next.id);
    loaded.setData({ ...loaded.data, pairs: rows });
    setNotice(
      next.status === status
        ? 'Saved.'
        : `Moved to ${next.status}${next.split ? ` (${next.split} split)` : ''}.`,
    );
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Q&amp;A pairs</h1>
          <p className="muted">
            Questions and reference answers drawn from resolved conversations, approved solutions and the
            documentation, with personal data replaced. Approved pairs are split 80/10/10 into training,
            validation and test sets for fine-tuning and answer tests.
          </p>
          {counts && (
            <p className="muted" data-testid="qa-counts">
              {counts.draft} to review · {counts.approved} approved (train {counts.train}, validation{' '}
              {counts.validation}, test {counts.test}) · {counts.rejected} rejected
            </p>
          )}
        </div>
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={generate.busy}
            onClick={async () => {
              const result = await generate.run();
              if (result) {
                setNotice(generatedNote(result));
                loaded.reload();
              }
            }}
            data-testid="qa-generate"
          >
            {generate.busy ? 'Generating…' : 'Generate pairs'}
          </button>
          {status === 'draft' && pairs.length > 0 && (
            <ConfirmButton
              label="Approve all drafts"
              question={`Approve all ${counts?.draft ?? pairs.length} drafts?`}
              confirmLabel="Approve all"
              tone="neutral"
              busy={approveAll.busy}
              testId="qa-approve-all"
              onConfirm={async () => {
                const result = await approveAll.run();
                if (result) {
                  setNotice(`Approved ${result.approved} pairs.`);
                  loaded.reload();
                }
              }}
            />
          )}
        </div>
      </header>
      <div className="tabs" role="tablist">
        {statusTabs.map((f) => (
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
            data-testid={`qa-filter-${f.status}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <input
          className="input"
          type="search"
          placeholder="Search questions and answers"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          data-testid="qa-search"
        />
        <select
          className="input"
          value={source}
          onChange={(event) => setSource(event.target.value as QaSourceType | '')}
          aria-label="Source"
          data-testid="qa-source"
        >
          <option value="">All sources</option>
          {(Object.keys(sourceLabels) as QaSourceType[]).map((s) => (
            <option key={s} value={s}>
              {sourceLabels[s]}
            </option>
          ))}
        </select>
        {status === 'approved' && (
          <select
            className="input"
            value={split}
            onChange={(event) => setSplit(event.target.value as QaSplit | '')}
            aria-label="Split"
            data-testid="qa-split"
          >
            <option value="">All splits</option>
            <option value="train">Train</option>
            <option value="validation">Validation</option>
            <option value="test">Test</option>
          </select>
        )}
      </div>
      {notice && (
        <p className="status status-ok" data-testid="qa-notice">
          {notice}
        </p>
      )}
      <ErrorNote error={loaded.error ?? generate.error ?? approveAll.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? (
        <Loading what="Loading Q&A pairs" />
      ) : loaded.data && pairs.length === 0 ? (
        <Empty title={status === 'draft' ? 'Nothing to review.' : `No ${status} pairs.`}>
          {status === 'draft' &&
            'Generate pairs from resolved conversations, approved solutions and documents.'}
        </Empty>
      ) : (
        <div className="stack">
          {pairs.map((p) => (
            <PairCard key={p.id} pair={p} onChanged={changed} />
          ))}
        </div>
      )}
    </>
  );
}
