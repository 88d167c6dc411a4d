import { useEffect, useRef } from 'react';
import type { ParleyUIMessage } from '../../../src/contracts/chat.ts';
import type { ChatApi } from './api.ts';
import { Message } from './Message.tsx';

/** The conversation so far; it keeps its newest message in view. */
export function Transcript(props: {
  api: ChatApi;
  messages: ParleyUIMessage[];
  greeting?: string;
  waiting: boolean;
  failed: boolean;
  notice?: string;
}) {
  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [props.messages]);
  return (
    <main className="messages" data-testid="messages">
      {props.messages.length === 0 && <p className="greeting">{props.greeting ?? 'Hi! How can we help?'}</p>}
      {props.messages.map((m) => (
        <Message key={m.id} message={m} api={props.api} />
      ))}
      {props.waiting && <p className="typing">…</p>}
      {props.failed && <p className="error">The assistant could not answer. Please try again.</p>}
      {props.notice && <p className="error">{props.notice}</p>}
      <div ref={bottom} />
    </main>
  );
}
