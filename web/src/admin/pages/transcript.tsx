import { useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime, formatInteger, formatMs } from '../components/format.ts';
import { JsonView } from '../components/json-view.tsx';
import { Rating } from '../components/rating.tsx';
import { ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { ResolveResult, TranscriptMessage } from '../../../../src/contracts/conversations.ts';
import { useAction, useLoad } from '../use-api.ts';

function Figures({ message }: { message: TranscriptMessage }) {
  const figures = [
    message.model && `model ${message.model}`,
    message.inputTokens !== null && `${formatInteger(message.inputTokens)} in`,
    message.outputTokens !== null && `${formatInteger(message.outputTokens)} out`,
    message.latencyMs !== null && formatMs(message.latencyMs),
  ].filter(Boolean);
  if (figures.length === 0) return null;
  return (
    <div className="figures" data-testid="message-figures">
      {figures.join(' · ')}
    </div>
  );
}

function Message({ message }: { message: TranscriptMessage }) {
  return (
    <li className={`message message-${message.role}`} data-testid="message" data-role={message.role}>
      <div className="message-head">
        <span className="message-role">{message.role === 'assistant' ? 'Agent' : message.role}</span>
        <span className="muted">{formatDateTime(message.createdAt)}</span>
      </div>
      <div className="message-body prewrap">{message.content}</div>

      {message.toolCalls.length > 0 && (
        <div className="tool-calls">
          {message.toolCalls.map((call, i) => (
            <div className="tool-call" key={i} data-testid="tool-call">
              <span className="tool-name">{call.name ?? call.type ?? 'tool'}</span>
              <JsonView label="input" value={call.input} />
              <JsonView label="output" value={call.output} />
            </div>
          ))}
        </div>
      )}

      {message.citations.length > 0 && (
        <ol className="citations" data-testid="citations">
          {message.citations.map((c) => (
            <li key={c.chunkId}>
              <a href={c.url} target="_blank" rel="noreferrer">
                {c.title}
              </a>
              <span className="muted"> · {c.source}</span>
            </li>
          ))}
        </ol>
      )}

      <Figures message={message} />

      {message.feedback.map((f, i) => (
        <div className="feedback" key={i} data-testid="message-feedback">
          <Rating rating={f.rating} />
          {f.reason ? <span>“{f.reason}”</span> : <span className="muted">no reason given</span>}
          <span className="muted">{formatDateTime(f.createdAt)}</span>
        </div>
      ))}
    </li>
  );
}

function ResolvedNotice({ result }: { result: ResolveResult }) {
  return (
    <p className="status status-ok" data-testid="resolve-result">
      Marked resolved.{' '}
      {result.solutionId ? (
        <>
          Its fix is waiting for review as solution{' '}
          <Link to={href('solutions')} className="mono" data-testid="resolve-solution-id">
            {result.solutionId}
          </Link>
          .
        </>
      ) : (
        'No solution was suggested from it.'
      )}
    </p>
  );
}

/** One conversation as the customer and the agent had it, with what the agent did behind each answer. */
export function TranscriptPage({ conversationId }: { conversationId: string }) {
  const loaded = useLoad(() => adminApi.conversations.transcript(conversationId), [conversationId]);
  const resolve = useAction(() => adminApi.conversations.resolve(conversationId));
  const [resolved, setResolved] = useState<ResolveResult>();

  const back = (
    <Link to={href('conversations')} className="back">
      ← Conversations
    </Link>
  );
  if (loaded.loading && !loaded.data) return <Loading what="Loading the transcript" />;
  if (!loaded.data) {
    return (
      <>
        {back}
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  const { conversation, messages } = loaded.data;

  return (
    <>
      {back}
      <header className="page-header">
        <div>
          <h1>{conversation.title ?? 'Untitled conversation'}</h1>
          <p className="muted">
            <StatusBadge status={conversation.status} /> {conversation.channel} · started{' '}
            {formatDateTime(conversation.createdAt)} ·{' '}
            {conversation.customerId ? (
              <Link to={href('customers', conversation.customerId)}>customer</Link>
            ) : (
              'anonymous visitor'
            )}{' '}
            · rating <Rating rating={conversation.rating} />
          </p>
        </div>
        <div className="header-action">
          <button
            type="button"
            className="button button-primary"
            disabled={resolve.busy || conversation.status === 'resolved'}
            onClick={async () => {
              const result = await resolve.run();
              if (result) {
                setResolved(result);
                loaded.reload();
              }
            }}
            data-testid="resolve"
          >
            {conversation.status === 'resolved' ? 'Resolved' : resolve.busy ? 'Resolving…' : 'Mark resolved'}
          </button>
        </div>
      </header>
      {resolved && <ResolvedNotice result={resolved} />}
      <ErrorNote error={resolve.error} />
      {conversation.escalationReason && (
        <p className="callout callout-bad">
          <strong>Escalated:</strong> {conversation.escalationReason}
        </p>
      )}
      {conversation.summary && (
        <p className="callout">
          <strong>Summary:</strong> {conversation.summary}
        </p>
      )}
      <ol className="transcript" data-testid="transcript">
        {messages.map((m) => (
          <Message key={m.id} message={m} />
        ))}
      </ol>
      {messages.length === 0 && <p className="muted">This conversation has no messages.</p>}
    </>
  );
}
