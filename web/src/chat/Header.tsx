import type { Info } from '../../../src/contracts/chat.ts';

export function Header(props: { info?: Info; onToggleHistory: () => void; onNewChat: () => void }) {
  const { info } = props;
  return (
    <header className="chat-header">
      <div>
        <strong>{info?.company ?? 'Support'}</strong>
        {info?.offline && (
          <span className="badge" data-testid="offline-badge" title={`Model: ${info.model}`}>
            Offline answer model
          </span>
        )}
      </div>
      <nav>
        <button type="button" onClick={props.onToggleHistory} data-testid="history-toggle">
          History
        </button>
        <button type="button" onClick={props.onNewChat} data-testid="new-chat">
          New chat
        </button>
      </nav>
    </header>
  );
}
