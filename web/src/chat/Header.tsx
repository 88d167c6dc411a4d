import type { Info } from '../../../src/contracts/chat.ts';
import type { CustomerSession } from '../../../src/contracts/customer-session.ts';

export function Header(props: {
  info?: Info;
  session?: CustomerSession;
  onToggleHistory: () => void;
  onNewChat: () => void;
}) {
  const { info, session } = props;
  return (
    <header className="chat-header">
      <div>
        <strong>{info?.company ?? 'Support'}</strong>
        {info?.offline && (
          <span className="badge" data-testid="offline-badge" title={`Model: ${info.model}`}>
            Offline answer model
          </span>
        )}
        {session?.kind === 'customer' && (
          <span className="signed-in" data-testid="signed-in">
            Signed in as {session.name ?? session.externalId}
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
