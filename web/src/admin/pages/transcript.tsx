import { useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime, formatInteger, formatMs } from '../components/format.ts';
import { JsonView } from '../components/json-view.tsx';
import { Rating } from '../components/rating.tsx';
import { ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type {
  ResolveResult,
  TranscriptConversation,
  TranscriptMessage,
} from '../../../../src/contracts/conversations.ts';
import { useLoad } from '../use-api.ts';
import { useInboxEvents } from '../use-inbox-events.ts';
import { HandoffPanel } from './transcript-handoff.tsx';

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

const roleLabels: Record<string, string> = { assistant: 'Agent', user: 'Customer' };

function Message({ message }: { message: TranscriptMessage }) {
  if (message.role === 'system') {
    return (
      <li className="message message-system" data-testid="message" data-role="system">
        {message.content} · {formatDateTime(message.createdAt)}
      </li>
    );
  }
  const label = message.role === 'staff' ? `${message.author ?? 'Staff'} (staff)` : roleLabels[message.role];
  return (
    <li className={`message message-${message.role}`} data-testid="message" data-role={message.role}>
      <div className="message-head">
        <span className="message-role">{label ?? message.role}</span>
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

/** The conversation's title, status, channel, customer and rating. */
function TranscriptHeader({ conversation }: { conversation: TranscriptConversation }) {
  return (
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
          {conversation.contactEmail && (
            <>
              · left the email{' '}
              <a href={`mailto:${conversation.contactEmail}`} data-testid="contact-email">
                {conversation.contactEmail}
              </a>{' '}
            </>
          )}
          · rating <Rating rating={conversation.rating} />
        </p>
      </div>
    </header>
  );
}

/**
 * One conversation as the customer, the agent and staff had it, with what the agent did behind each answer,
 * and the controls to take it over, reply and hand it back. It follows the staff event stream, so the
 * customer's messages appear as they are sent.
 */
export function TranscriptPage({ conversationId }: { conversationId: string }) {
  const loaded = useLoad(() => adminApi.conversations.transcript(conversationId), [conversationId]);
  const session = useLoad(() => adminApi.session.current(), []);
  const [resolved, setResolved] = useState<ResolveResult>();
  const [notesVersion, setNotesVersion] = useState(0);
  useInboxEvents(
    (event) => {
      if (event?.kind === 'note') setNotesVersion((v) => v + 1);
      else loaded.reload();
    },
    { conversationId },
  );

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
      <TranscriptHeader conversation={conversation} />
      {resolved && <ResolvedNotice result={resolved} />}
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
      <HandoffPanel
        conversation={conversation}
        me={session.data?.name}
        onChanged={loaded.reload}
        onResolved={setResolved}
        notesVersion={notesVersion}
      />
    </>
  );
}
