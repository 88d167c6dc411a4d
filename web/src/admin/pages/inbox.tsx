import { useEffect, useState } from 'react';
import type { InboxItem, InboxView } from '../../../../src/contracts/inbox.ts';
import { Badge, type BadgeTone, Empty, ErrorNote, Loading } from '../components/status.tsx';
import { inboxApi } from '../inbox-api.ts';
import { href, Link, navigate } from '../router.tsx';
import { useAction, useLoad } from '../use-api.ts';
import { useInboxEvents } from '../use-inbox-events.ts';
import '../styles/inbox.css';

const views: { id: InboxView; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'mine', label: 'Assigned to me' },
  { id: 'unassigned', label: 'Unassigned' },
];

/** Why a person is needed, as staff read it at a glance. */
const sources: Record<string, { label: string; tone: BadgeTone }> = {
  requested: { label: 'Asked for a person', tone: 'info' },
  rule: { label: 'Hand-off rule', tone: 'bad' },
  agent: { label: 'Agent handed over', tone: 'warn' },
  abstained: { label: 'Agent could not answer', tone: 'warn' },
  thumbs_down: { label: 'Thumbs-down', tone: 'bad' },
  staff: { label: 'Taken over', tone: 'neutral' },
};

/** "4 min", "2 h 5 min", "3 d": how long someone has been waiting. */
export function formatWait(since: string | null, now: number): string {
  if (!since) return '—';
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/** The current time, refreshed every half minute so waiting times move without asking the server. */
function useClock(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function Customer({ item }: { item: InboxItem }) {
  if (item.customerId) return <>{item.customerName ?? item.customer ?? 'Customer'}</>;
  return <span className="muted">Visitor</span>;
}

function Row({ item, now, onTake }: { item: InboxItem; now: number; onTake: (id: string) => void }) {
  const source = item.escalationSource ? sources[item.escalationSource] : undefined;
  const last = item.lastMessage;
  return (
    <tr data-testid="inbox-row" data-conversation={item.id}>
      <td className="nowrap">
        <span className={item.waitingSince ? 'waiting' : 'muted'} data-testid="inbox-wait">
          {item.waitingSince ? formatWait(item.waitingSince, now) : 'answered'}
        </span>
      </td>
      <td>
        <Customer item={item} />
      </td>
      <td className="cell-title-wide">
        <Link to={href('conversations', item.id)} data-testid="inbox-open">
          {item.title ?? 'Untitled conversation'}
        </Link>
        {last && (
          <div className="cell-note inbox-last" data-testid="inbox-last-message">
            <strong>
              {last.role === 'user' ? 'Customer' : last.role === 'staff' ? (last.author ?? 'Staff') : 'Agent'}
              :
            </strong>{' '}
            {last.content}
          </div>
        )}
      </td>
      <td>
        {source && <Badge tone={source.tone}>{source.label}</Badge>}
        {item.escalationReason && <div className="cell-note">{item.escalationReason}</div>}
      </td>
      <td className="nowrap">
        {item.assignee ? (
          <span data-testid="inbox-assignee">{item.assignee.name}</span>
        ) : (
          <button
            type="button"
            className="button button-small"
            onClick={() => onTake(item.id)}
            data-testid="inbox-take"
          >
            Take over
          </button>
        )}
      </td>
    </tr>
  );
}

function InboxTable(props: { rows: InboxItem[]; now: number; onTake: (id: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="inbox-table">
        <thead>
          <tr>
            <th>Waiting</th>
            <th>Customer</th>
            <th>Conversation</th>
            <th>Why</th>
            <th>Assignee</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((item) => (
            <Row key={item.id} item={item} now={props.now} onTake={props.onTake} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The inbox: conversations that need a person, newest waiting first. It follows the staff event stream, so a
 * new escalation or a customer's message shows without reloading (and without polling).
 */
export function InboxPage() {
  const [view, setView] = useState<InboxView>('all');
  const loaded = useLoad(() => inboxApi.list(view), [view]);
  const take = useAction((id: string) => inboxApi.assign(id));
  const now = useClock();
  useInboxEvents(() => loaded.reload());

  const rows = loaded.data?.conversations ?? [];
  const counts = loaded.data?.counts;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Inbox</h1>
          <p className="muted">
            Conversations waiting for a person, newest first. Take one over to reply; the agent stays quiet
            until you hand it back.
          </p>
        </div>
      </header>
      <section className="card">
        <div className="card-header">
          <div className="tabs" role="tablist">
            {views.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                aria-selected={view === v.id}
                className={view === v.id ? 'tab active' : 'tab'}
                onClick={() => setView(v.id)}
                data-testid={`inbox-view-${v.id}`}
              >
                {v.label}
                {counts && <span className="tab-count">{counts[v.id]}</span>}
              </button>
            ))}
          </div>
        </div>
        <ErrorNote error={loaded.error ?? take.error} onRetry={loaded.error ? loaded.reload : undefined} />
        {loaded.loading && !loaded.data ? (
          <Loading what="Loading the inbox" />
        ) : rows.length === 0 ? (
          <Empty title="Nobody is waiting for a person.">
            Conversations appear here when a customer asks for a person, a hand-off rule fires, the agent
            cannot answer twice, or an answer gets a thumbs-down.
          </Empty>
        ) : (
          <InboxTable
            rows={rows}
            now={now}
            onTake={async (id) => {
              if (await take.run(id)) navigate(href('conversations', id));
            }}
          />
        )}
      </section>
    </>
  );
}
