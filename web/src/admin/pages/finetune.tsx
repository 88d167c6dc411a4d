import type { FinetuneJobView, ModelScore } from '../../../../src/contracts/finetune.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatDateTime, formatInteger, formatUsd } from '../components/format.ts';
import { Badge, Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { learnApi } from '../learn-api.ts';
import { href, Link } from '../router.tsx';
import { useAction, useLoad } from '../use-api.ts';

function scoreText(s: ModelScore): string {
  const citations =
    s.citationMatch === null ? 'no cited references' : `citations ${s.citationMatch.toFixed(3)}`;
  return `${s.score.toFixed(3)} (token F1 ${s.tokenF1.toFixed(3)}, ${citations}, ${s.abstained} declined)`;
}

function JobCard({ job, onPromoted }: { job: FinetuneJobView; onPromoted: () => void }) {
  const promote = useAction((force: boolean) => learnApi.finetune.promote(job.id, force));
  const evaluation = job.evaluation;
  const beatsBase = evaluation
    ? evaluation.tuned.n > 0 && evaluation.tuned.score >= evaluation.base.score
    : false;
  const canPromote = job.status === 'succeeded' && Boolean(job.resultingModel) && !job.active;

  return (
    <article className="card" data-testid="finetune-job" data-status={job.status}>
      <div className="solution-meta">
        <StatusBadge status={job.status} />
        {job.active && <Badge tone="good">active chat model</Badge>}
        <span className="mono">{job.providerJobId ?? job.id}</span>
        <span className="muted">started {formatDateTime(job.createdAt)}</span>
        {job.finishedAt && <span className="muted">finished {formatDateTime(job.finishedAt)}</span>}
      </div>
      <dl className="pairs">
        <dt>Base model</dt>
        <dd className="mono">{job.baseModel}</dd>
        <dt>Fine-tuned model</dt>
        <dd className="mono">{job.resultingModel ?? '—'}</dd>
        <dt>Examples</dt>
        <dd>
          {formatInteger(job.trainingExamples)} training, {formatInteger(job.validationExamples)} validation
        </dd>
        <dt>Tokens</dt>
        <dd>
          about {formatInteger(job.estimatedTokens)} estimated
          {job.estimatedCostUsd !== null ? ` (${formatUsd(job.estimatedCostUsd)})` : ''}
          {job.trainedTokens !== null ? `; ${formatInteger(job.trainedTokens)} trained` : ''}
        </dd>
        {job.error && (
          <>
            <dt>Error</dt>
            <dd className="status-error">{job.error}</dd>
          </>
        )}
        <dt>Test split</dt>
        <dd data-testid="finetune-evaluation">
          {evaluation ? (
            <>
              {evaluation.tuned.n} pairs: fine-tuned {scoreText(evaluation.tuned)}; base{' '}
              {scoreText(evaluation.base)}
            </>
          ) : job.status === 'succeeded' ? (
            'Evaluation pending'
          ) : (
            'Evaluated when training succeeds'
          )}
        </dd>
      </dl>
      {job.events.length > 0 && (
        <details>
          <summary>{job.events.length} events</summary>
          <ul className="link-list">
            {[...job.events].reverse().map((e) => (
              <li key={e.id} className={e.level === 'error' ? 'status-error' : undefined}>
                <span className="muted">{formatDateTime(e.createdAt)}</span> {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ErrorNote error={promote.error} />
      {canPromote && (
        <div className="form-actions">
          {beatsBase ? (
            <ConfirmButton
              label="Promote"
              question={`Make ${job.resultingModel} the chat model?`}
              tone="neutral"
              busy={promote.busy}
              testId="finetune-promote"
              onConfirm={async () => {
                if (await promote.run(false)) onPromoted();
              }}
            />
          ) : (
            <ConfirmButton
              label="Promote anyway"
              question={
                evaluation
                  ? 'It scored below its base model on the test split. Promote it anyway?'
                  : 'It has not been evaluated. Promote it anyway?'
              }
              busy={promote.busy}
              testId="finetune-force"
              onConfirm={async () => {
                if (await promote.run(true)) onPromoted();
              }}
            />
          )}
        </div>
      )}
    </article>
  );
}

/** Fine-tuning jobs: progress, events, evaluation against the base model, and promotion. */
export function FinetunePage() {
  const loaded = useLoad(() => learnApi.finetune.overview(), []);
  const rollback = useAction(() => learnApi.finetune.rollback());
  const data = loaded.data;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Fine-tuning</h1>
          <p className="muted">
            Jobs started with <span className="mono">parley finetune start</span> from the approved{' '}
            <Link to={href('qa')}>Q&amp;A pairs</Link>. A worker follows each job; when training succeeds the
            held-out test split is asked of the new model and of its base model. Promoting a model makes it
            the agent&apos;s chat model from the next turn (other servers and workers follow within seconds);
            rolling back returns to the model it replaced.
          </p>
          {data && (
            <p className="muted" data-testid="finetune-summary">
              Chat model:{' '}
              <span className="mono">{data.activeModel ?? 'as configured (PARLEY_CHAT_MODEL)'}</span> ·
              approved pairs: train {data.dataset.train}, validation {data.dataset.validation}, test{' '}
              {data.dataset.test}
            </p>
          )}
        </div>
        <div className="form-actions">
          {data?.activeModel && (
            <ConfirmButton
              label="Roll back"
              question={`Stop answering with ${data.activeModel} and go back to the model it replaced?`}
              busy={rollback.busy}
              tone="neutral"
              testId="finetune-rollback"
              onConfirm={async () => {
                if (await rollback.run()) loaded.reload();
              }}
            />
          )}
          <button type="button" className="button" onClick={loaded.reload} disabled={loaded.loading}>
            Refresh
          </button>
        </div>
      </header>
      <ErrorNote error={rollback.error} />
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !data ? (
        <Loading what="Loading fine-tuning jobs" />
      ) : data && data.jobs.length === 0 ? (
        <Empty title="No fine-tuning jobs yet.">
          Approve at least 10 training pairs, then run parley finetune export to check the dataset and parley
          finetune start to train.
        </Empty>
      ) : (
        <div className="stack">
          {data?.jobs.map((j) => (
            <JobCard key={j.id} job={j} onPromoted={loaded.reload} />
          ))}
        </div>
      )}
    </>
  );
}
