import { type FormEvent, useEffect, useState } from 'react';
import type { ParleyUIMessage } from '../../../src/contracts/chat.ts';
import type { ContactState } from '../../../src/contracts/conversation-contact.ts';
import type { ChatApi } from './api.ts';
import './leave-email.css';

/** The conversation the messages belong to, as the server named it in the answers' metadata. */
const conversationOf = (messages: ParleyUIMessage[]) =>
  messages.findLast((m) => m.metadata?.conversationId)?.metadata?.conversationId;

/**
 * "Leave your email": shown when the conversation was handed to a person who may not come soon (outside
 * business hours) and there is no email to reply to. The server decides; this asks again after every answer.
 */
export function LeaveEmail(props: { api: ChatApi; messages: ParleyUIMessage[]; busy: boolean }) {
  const conversationId = conversationOf(props.messages);
  const [state, setState] = useState<ContactState & { conversationId: string }>();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const { api, busy } = props;
  const count = props.messages.length;

  useEffect(() => {
    if (!conversationId || busy) return;
    let current = true;
    api
      .fetch(`/api/conversations/${conversationId}/contact`)
      .then((r) => (r.ok ? (r.json() as Promise<ContactState>) : undefined))
      .then((s) => current && s && setState({ ...s, conversationId }))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [api, conversationId, busy, count]);

  if (!state || state.conversationId !== conversationId) return null;
  if (!state.askForEmail) {
    return saved && state.email ? (
      <p className="leave-email-done" data-testid="leave-email-done">
        Thanks: we'll reply to {state.email}.
      </p>
    ) : null;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      const response = await api.fetch(`/api/conversations/${state.conversationId}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      const body = (await response.json().catch(() => ({}))) as ContactState & { message?: string };
      if (!response.ok) throw new Error(body.message ?? 'Could not save your email.');
      setState({ ...body, conversationId: state.conversationId });
      setSaved(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="leave-email" onSubmit={submit} data-testid="leave-email">
      <label htmlFor="leave-email-input">Leave your email and we'll reply there:</label>
      <div className="leave-email-row">
        <input
          id="leave-email-input"
          type="email"
          required
          maxLength={254}
          autoComplete="email"
          placeholder="you@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="leave-email-input"
        />
        <button type="submit" disabled={saving || !email.trim()} data-testid="leave-email-send">
          {saving ? 'Saving…' : 'Send'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="leave-email-error">
          {error}
        </p>
      )}
    </form>
  );
}
