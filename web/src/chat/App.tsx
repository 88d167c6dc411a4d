import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ParleyUIMessage } from '../../../src/server/chat-types.ts';
import { readIdentity } from '../shared/identity.ts';
import { maxMessageLength } from '../../../src/contracts/limits.ts';
import { ChatApi, type ConversationItem, type Info } from './api.ts';
import { Message } from './Message.tsx';

const embedded = new URLSearchParams(location.search).has('embed');

export function App() {
  const identity = useMemo(() => readIdentity(), []);
  const api = useMemo(() => new ChatApi(identity), [identity]);
  const [info, setInfo] = useState<Info>();
  const [history, setHistory] = useState<ConversationItem[]>([]);
  const [showHistory, setShowHistory] = useState(false);
  const [chatId, setChatId] = useState<string>(() => crypto.randomUUID());
  const [input, setInput] = useState('');
  const [notice, setNotice] = useState<string>();
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ParleyUIMessage>({
        api: '/api/chat',
        headers: () => api.headers,
        body: { channel: embedded ? 'widget' : 'web' },
      }),
    [api],
  );
  const { messages, sendMessage, setMessages, status, error } = useChat<ParleyUIMessage>({
    id: chatId,
    transport,
  });
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.info().then(setInfo, () => setInfo(undefined));
  }, [api]);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages]);
  const refreshHistory = () => api.conversations().then(setHistory, () => setHistory([]));
  useEffect(() => {
    if (status === 'ready') void refreshHistory();
  }, [status]);

  const busy = status === 'submitted' || status === 'streaming';
  const started = messages.length > 0;

  const submit = (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || busy) return;
    setNotice(undefined);
    void sendMessage({ text: trimmed });
    setInput('');
  };

  const open = async (id: string) => {
    setChatId(id);
    setShowHistory(false);
    setMessages(await api.transcript(id));
  };

  const newChat = () => {
    setChatId(crypto.randomUUID());
    setMessages([]);
    setNotice(undefined);
  };

  const handoff = async () => {
    if (!started) return submit('I would like to talk to a person.');
    try {
      const { message } = await api.handoff(chatId);
      setMessages([
        ...messages,
        { id: crypto.randomUUID(), role: 'assistant', parts: [{ type: 'text', text: message }] },
      ]);
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  return (
    <div className={`chat ${embedded ? 'embedded' : ''}`}>
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
          <button type="button" onClick={() => setShowHistory((v) => !v)} data-testid="history-toggle">
            History
          </button>
          <button type="button" onClick={newChat} data-testid="new-chat">
            New chat
          </button>
        </nav>
      </header>
      {showHistory && (
        <aside className="history" data-testid="history">
          {history.length === 0 && <p className="muted">No earlier conversations yet.</p>}
          {history.map((c) => (
            <button type="button" key={c.id} onClick={() => void open(c.id)} data-testid="history-item">
              <span>{c.title ?? 'Conversation'}</span>
              <small>
                {new Date(c.updatedAt).toLocaleString()} · {c.status}
              </small>
            </button>
          ))}
        </aside>
      )}
      <main className="messages" data-testid="messages">
        {!started && <p className="greeting">{info?.greeting ?? 'Hi! How can we help?'}</p>}
        {messages.map((m) => (
          <Message key={m.id} message={m} api={api} />
        ))}
        {status === 'submitted' && <p className="typing">…</p>}
        {error && <p className="error">The assistant could not answer. Please try again.</p>}
        {notice && <p className="error">{notice}</p>}
        <div ref={bottom} />
      </main>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit(input);
        }}
      >
        <textarea
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              submit(input);
            }
          }}
          placeholder="Ask a question…"
          rows={2}
          maxLength={maxMessageLength}
          data-testid="chat-input"
        />
        <div className="composer-actions">
          <button type="button" className="secondary" onClick={() => void handoff()} data-testid="handoff">
            Talk to a human
          </button>
          <button type="submit" disabled={busy || !input.trim()} data-testid="chat-send">
            Send
          </button>
        </div>
      </form>
    </div>
  );
}
