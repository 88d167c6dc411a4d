import { useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime } from '../components/format.ts';
import { Rating } from '../components/rating.tsx';
import { Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { ConversationRow } from '../../../../src/contracts/conversations.ts';
import { useAction, useLoad } from '../use-api.ts';

const statuses = ['open', 'escalated', 'resolved'] as const;
// The API's default page.
const pageSize = 100;

function Who({ row }: { row: ConversationRow }) {
  if (row.customerId) {
    return (
      <Link to={href('customers', row.customerId)}>{row.customerName ?? row.customer ?? 'Customer'}</Link>
    );
  }
  return <span className="muted">Visitor</span>;
}

function ConversationsTable({ rows }: { rows: ConversationRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="conversations-table">
        <thead>
          <tr>
            <th>Conversation</th>
            <th>Customer</th>
            <th>Status</th>
            <th>Rating</th>
            <th className="num">Messages</th>
            <th>Channel</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="conversation-row" data-status={row.status}>
              <td className="cell-title-wide">
                <Link to={href('conversations', row.id)}>{row.title ?? 'Untitled conversation'}</Link>
                {row.escalationReason && <div className="cell-note">Escalated: {row.escalationReason}</div>}
              </td>
              <td>
                <Who row={row} />
              </td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td>
                <Rating rating={row.rating} />
              </td>
              <td className="num">{row.messages}</td>
              <td>{row.channel}</td>
              <td className="nowrap">{formatDateTime(row.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Conversations to look at: escalated first, then thumbs-down, then the rest (the API's triage order). */
export function ConversationsPage() {
  const [status, setStatus] = useState('');
  const [lowRated, setLowRated] = useState(false);
  const loaded = useLoad(() => adminApi.conversations.list({ status, lowRated }), [status, lowRated]);
  // Further pages, appended below the first; a filter change starts over.
  const [more, setMore] = useState<{ rows: ConversationRow[]; done: boolean }>({ rows: [], done: false });
  const loadMore = useAction((offset: number) => adminApi.conversations.list({ status, lowRated, offset }));
  const first = loaded.data?.conversations ?? [];
  const rows = [...first, ...more.rows];
  const filtered = status !== '' || lowRated;
  const mayHaveMore = first.length === pageSize && !more.done;

  const showMore = async () => {
    const page = await loadMore.run(rows.length);
    if (page)
      setMore({ rows: [...more.rows, ...page.conversations], done: page.conversations.length < pageSize });
  };
  const startOver = () => setMore({ rows: [], done: false });

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Conversations</h1>
          <p className="muted">Escalated conversations first, then those rated thumbs-down, then the rest.</p>
        </div>
      </header>
      <section className="card">
        <div className="card-header">
          <div className="toolbar">
            <label className="field-inline">
              Status
              <select
                className="input"
                value={status}
                onChange={(event) => {
                  startOver();
                  setStatus(event.target.value);
                }}
                data-testid="conversations-status"
              >
                <option value="">All (triage order)</option>
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={lowRated}
                onChange={(event) => {
                  startOver();
                  setLowRated(event.target.checked);
                }}
                data-testid="conversations-low-rated"
              />
              Low rated only
            </label>
          </div>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              startOver();
              loaded.reload();
            }}
          >
            Refresh
          </button>
        </div>
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
        {loaded.loading && !loaded.data ? (
          <Loading what="Loading conversations" />
        ) : loaded.data && rows.length === 0 ? (
          <Empty title={filtered ? 'No conversation matches these filters.' : 'No conversations yet.'}>
            {!filtered && 'Conversations appear here once customers chat with the agent.'}
          </Empty>
        ) : (
          loaded.data && <ConversationsTable rows={rows} />
        )}
        <ErrorNote error={loadMore.error} />
        {loaded.data && mayHaveMore && (
          <div className="form-actions">
            <button
              type="button"
              className="button"
              disabled={loadMore.busy}
              onClick={showMore}
              data-testid="conversations-more"
            >
              {loadMore.busy ? 'Loading…' : 'Show more'}
            </button>
          </div>
        )}
      </section>
    </>
  );
}
