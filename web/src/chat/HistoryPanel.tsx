import type { ConversationItem } from '../../../src/contracts/chat.ts';

export function HistoryPanel(props: { history: ConversationItem[]; onOpen: (id: string) => void }) {
  return (
    <aside className="history" data-testid="history">
      {props.history.length === 0 && <p className="muted">No earlier conversations yet.</p>}
      {props.history.map((c) => (
        <button type="button" key={c.id} onClick={() => props.onOpen(c.id)} data-testid="history-item">
          <span>{c.title ?? 'Conversation'}</span>
          <small>
            {new Date(c.updatedAt).toLocaleString()} · {c.status}
          </small>
        </button>
      ))}
    </aside>
  );
}
