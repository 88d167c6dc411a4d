import { maxMessageLength } from '../../../src/contracts/limits.ts';

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onHandoff: () => void;
  busy: boolean;
}) {
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSend();
      }}
    >
      <textarea
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            props.onSend();
          }
        }}
        placeholder="Ask a question…"
        rows={2}
        maxLength={maxMessageLength}
        data-testid="chat-input"
      />
      <div className="composer-actions">
        <button type="button" className="secondary" onClick={props.onHandoff} data-testid="handoff">
          Talk to a human
        </button>
        <button type="submit" disabled={props.busy || !props.value.trim()} data-testid="chat-send">
          Send
        </button>
      </div>
    </form>
  );
}
