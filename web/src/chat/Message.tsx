import { useState } from 'react';
import type { ParleyUIMessage } from '../../../src/contracts/chat.ts';
import type { ChatApi } from './api.ts';
import { Markdown } from './markdown.tsx';

const toolLabels: Record<string, string> = {
  search_knowledge: 'Searching the help center',
  lookup_product: 'Looking up the product',
  suggest_solutions: 'Checking known solutions',
  escalate_to_human: 'Handing over to a person',
  get_customer_profile: 'Reading your account',
  list_orders: 'Reading your orders',
  get_order_status: 'Checking the order',
  list_owned_products: 'Checking your products',
  remember_preference: 'Noting your preference',
  get_preferences: 'Reading your preferences',
};

/**
 * Answers cite passages as [S1], [S4], ...; the sources listed under the answer are the cited passages in that
 * order, so the markers become their list numbers.
 */
function numberMarkers(text: string): string {
  const refs = [...new Set([...text.matchAll(/\[S(\d+)\]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  return text.replace(/\[S(\d+)\]/g, (_, n: string) => `[${refs.indexOf(Number(n)) + 1}]`);
}

export function Message({ message, api }: { message: ParleyUIMessage; api: ChatApi }) {
  const [rated, setRated] = useState<'up' | 'down'>();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const text = message.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const sources = message.parts.flatMap((p) => (p.type === 'source-url' ? [p] : []));
  const tools = message.parts.flatMap((p) =>
    p.type.startsWith('tool-') || p.type === 'dynamic-tool'
      ? [
          {
            name: 'toolName' in p ? String(p.toolName) : p.type.slice(5),
            state: 'state' in p ? String(p.state) : '',
          },
        ]
      : [],
  );
  // A held turn's notice is not an answer: there is nothing of the agent's to rate.
  const messageId = message.metadata?.outcome === 'held' ? undefined : message.metadata?.messageId;

  const rate = async (rating: 'up' | 'down', why?: string) => {
    if (!messageId) return;
    await api.feedback(messageId, rating, why);
    setRated(rating);
    setAsking(false);
  };

  if (message.role === 'user') {
    return (
      <div className="message user" data-testid="message-user">
        <p>{text}</p>
      </div>
    );
  }
  if (message.metadata?.kind === 'notice') {
    return (
      <p className="handoff-notice" role="status" data-testid="handoff-notice">
        {text}
      </p>
    );
  }
  if (message.metadata?.kind === 'staff') {
    return (
      <div className="message staff" data-testid="message-staff">
        <div className="author" data-testid="staff-author">
          {message.metadata.author ?? 'Support team'} <span className="muted">· Support team</span>
        </div>
        <div className="answer">
          <Markdown text={text} />
        </div>
      </div>
    );
  }
  return (
    <div className="message assistant" data-testid="message-assistant">
      {tools.length > 0 && (
        <ul className="tools" data-testid="tool-activity">
          {tools.map((t, i) => (
            <li key={i} className={t.state === 'output-available' ? 'done' : ''}>
              {toolLabels[t.name] ?? t.name}
            </li>
          ))}
        </ul>
      )}
      <div className="answer" data-testid="answer">
        <Markdown text={numberMarkers(text)} />
      </div>
      {sources.length > 0 && (
        <ol className="sources" data-testid="citations">
          {sources.map((s) => (
            <li key={s.sourceId}>
              <a href={s.url} target="_blank" rel="noreferrer noopener" data-testid="citation">
                {s.title ?? s.url}
              </a>
            </li>
          ))}
        </ol>
      )}
      {messageId && (
        <div className="feedback">
          {rated ? (
            <span className="muted" data-testid="feedback-thanks">
              Thanks for the feedback.
            </span>
          ) : (
            <>
              <button
                type="button"
                aria-label="Helpful"
                onClick={() => void rate('up')}
                data-testid="thumbs-up"
              >
                👍
              </button>
              <button
                type="button"
                aria-label="Not helpful"
                onClick={() => setAsking(true)}
                data-testid="thumbs-down"
              >
                👎
              </button>
            </>
          )}
          {asking && !rated && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void rate('down', reason);
              }}
            >
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="What was wrong? (optional)"
                maxLength={1000}
                data-testid="feedback-reason"
              />
              <button type="submit" data-testid="feedback-submit">
                Send
              </button>
            </form>
          )}
        </div>
      )}
    </div>
  );
}
