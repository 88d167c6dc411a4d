import { useState } from 'react';
import type { ResolveResult, TranscriptConversation } from '../../../../src/contracts/conversations.ts';
import { formatDateTime } from '../components/format.ts';
import { ErrorNote } from '../components/status.tsx';
import { inboxApi } from '../inbox-api.ts';
import { type Action, useAction, useLoad } from '../use-api.ts';
import '../styles/inbox.css';

type Run = Action<[() => Promise<unknown>], void>;

/** Who has the conversation, and the buttons to take it over or hand it back. */
function HoldBar({ conversation, me, act }: { conversation: TranscriptConversation; me?: string; act: Run }) {
  const { id, assignee: holder } = conversation;
  const resolved = conversation.status === 'resolved';
  const mine = holder !== null && holder.name === me;
  return (
    <div className="handoff-bar">
      <strong data-testid="handoff-holder">
        {resolved
          ? 'Resolved'
          : holder
            ? `${mine ? 'You have' : `${holder.name} has`} this conversation: the agent is quiet.`
            : 'The agent has this conversation.'}
      </strong>
      {!resolved && !mine && (
        <button
          type="button"
          className="button button-small"
          disabled={act.busy}
          onClick={() => void act.run(() => inboxApi.assign(id))}
          data-testid="take-over"
        >
          Take over
        </button>
      )}
      {!resolved && holder && (
        <button
          type="button"
          className="button button-small"
          disabled={act.busy}
          onClick={() => void act.run(() => inboxApi.release(id))}
          data-testid="hand-back"
        >
          Hand back to the agent
        </button>
      )}
    </div>
  );
}

/** The reply box: what staff send here reaches the customer at once, with their name. */
function ReplyBox({ conversation, act }: { conversation: TranscriptConversation; act: Run }) {
  const [reply, setReply] = useState('');
  const send = async () => {
    if (!reply.trim()) return;
    await act.run(() => inboxApi.reply(conversation.id, reply));
    setReply('');
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea
        className="input"
        value={reply}
        onChange={(e) => setReply(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send();
        }}
        placeholder={
          conversation.assignee
            ? 'Reply to the customer…'
            : 'Reply to the customer (this takes the conversation over)…'
        }
        data-testid="staff-reply"
      />
      <div className="handoff-bar">
        <button
          type="submit"
          className="button button-primary"
          disabled={act.busy || !reply.trim()}
          data-testid="staff-send"
        >
          Send reply
        </button>
        <span className="muted">The customer sees it at once, with your name.</span>
      </div>
    </form>
  );
}

/** The team's internal notes: never shown to the customer. */
function Notes({ conversationId, version, act }: { conversationId: string; version: number; act: Run }) {
  const notes = useLoad(() => inboxApi.notes(conversationId), [conversationId, version]);
  const [note, setNote] = useState('');
  return (
    <div>
      <h2 className="section-title">Internal notes</h2>
      <ul className="notes" data-testid="notes">
        {notes.data?.notes.map((n) => (
          <li className="note" key={n.id} data-testid="note">
            <strong>{n.author}</strong> <span className="muted">{formatDateTime(n.createdAt)}</span>
            <div className="prewrap">{n.text}</div>
          </li>
        ))}
      </ul>
      {notes.data?.notes.length === 0 && <p className="muted">No notes. Customers never see them.</p>}
      <form
        className="handoff-bar"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!note.trim()) return;
          await act.run(() => inboxApi.addNote(conversationId, note));
          setNote('');
          notes.reload();
        }}
      >
        <input
          className="input"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Add a note for the team"
          data-testid="note-input"
        />
        <button type="submit" className="button button-small" disabled={act.busy || !note.trim()}>
          Add note
        </button>
      </form>
    </div>
  );
}

/** Resolving, with what fixed it: the note becomes the suggested solution's resolution. */
function ResolveForm(props: { conversationId: string; act: Run; onResolved: (r: ResolveResult) => void }) {
  const [note, setNote] = useState('');
  return (
    <form
      className="handoff-bar"
      onSubmit={async (e) => {
        e.preventDefault();
        await props.act.run(async () => {
          props.onResolved(await inboxApi.resolve(props.conversationId, note.trim() || undefined));
          setNote('');
        });
      }}
    >
      <input
        className="input"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="What fixed it? (optional: becomes the suggested solution)"
        data-testid="resolve-note"
      />
      <button type="submit" className="button button-primary" disabled={props.act.busy} data-testid="resolve">
        Mark resolved
      </button>
    </form>
  );
}

/**
 * Taking part in a conversation: take it over (the agent goes quiet), reply to the customer, hand it back, or
 * resolve it with a note; and the team's internal notes beside it.
 */
export function HandoffPanel(props: {
  conversation: TranscriptConversation;
  me: string | undefined;
  onChanged: () => void;
  onResolved: (result: ResolveResult) => void;
  /** Changes when a note was added anywhere, so the list is read again. */
  notesVersion: number;
}) {
  const { conversation, onChanged } = props;
  const resolved = conversation.status === 'resolved';
  const act = useAction(async (action: () => Promise<unknown>) => {
    await action();
    onChanged();
  });
  return (
    <section className="card handoff" data-testid="handoff-panel">
      <HoldBar conversation={conversation} me={props.me} act={act} />
      <ErrorNote error={act.error} />
      {!resolved && <ReplyBox conversation={conversation} act={act} />}
      <Notes conversationId={conversation.id} version={props.notesVersion} act={act} />
      {!resolved && <ResolveForm conversationId={conversation.id} act={act} onResolved={props.onResolved} />}
    </section>
  );
}
