import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useEffect, useMemo, useState } from 'react';
import type { ConversationItem, ParleyUIMessage } from '../../../src/contracts/chat.ts';
import { readIdentity } from '../shared/identity.ts';
import { ChatApi } from './api.ts';
import { useLiveReplies } from './use-live-replies.ts';

/** The API as this browser's identity (a signed customer from the widget frame's fragment, or a visitor). */
export function useChatApi(): ChatApi {
  const identity = useMemo(() => readIdentity(), []);
  return useMemo(() => new ChatApi(identity), [identity]);
}

/**
 * The conversation on screen: its messages as they stream, and what the page can do with it (send, open an
 * earlier one, start afresh, ask for a person). `notice` is a failure to show that is not the model's.
 */
export function useConversation(api: ChatApi, channel: 'web' | 'widget') {
  const [chatId, setChatId] = useState<string>(() => crypto.randomUUID());
  const [notice, setNotice] = useState<string>();
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ParleyUIMessage>({
        api: '/api/chat',
        fetch: api.fetch,
        body: { channel },
      }),
    [api, channel],
  );
  const { messages, sendMessage, setMessages, status, error } = useChat<ParleyUIMessage>({
    id: chatId,
    transport,
  });
  const busy = status === 'submitted' || status === 'streaming';
  const started = messages.length > 0;
  useLiveReplies(api, messages, setMessages, busy);

  /** Sends `text` unless it is blank or an answer is still coming; says whether it was sent. */
  const send = (text: string): boolean => {
    const trimmed = text.trim();
    if (!trimmed || busy) return false;
    setNotice(undefined);
    void sendMessage({ text: trimmed });
    return true;
  };

  const open = async (id: string) => {
    setChatId(id);
    setMessages(await api.transcript(id));
  };

  const startNew = () => {
    setChatId(crypto.randomUUID());
    setMessages([]);
    setNotice(undefined);
  };

  /** Hands the conversation to a person; before the first message, asks for one instead. */
  const handoff = async (): Promise<'asked' | 'handed-off' | 'failed'> => {
    if (!started) return send('I would like to talk to a person.') ? 'asked' : 'failed';
    try {
      const { message } = await api.handoff(chatId);
      setMessages([
        ...messages,
        { id: crypto.randomUUID(), role: 'assistant', parts: [{ type: 'text', text: message }] },
      ]);
      return 'handed-off';
    } catch (e) {
      setNotice((e as Error).message);
      return 'failed';
    }
  };

  return { messages, status, error, notice, busy, started, send, open, startNew, handoff };
}

/** This visitor's earlier conversations, refreshed whenever an answer has finished. */
export function useHistory(api: ChatApi, status: string): ConversationItem[] {
  const [history, setHistory] = useState<ConversationItem[]>([]);
  useEffect(() => {
    if (status === 'ready') api.conversations().then(setHistory, () => setHistory([]));
  }, [api, status]);
  return history;
}
