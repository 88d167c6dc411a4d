import type { MessageView, ParleyUIMessage } from '../../../src/contracts/chat.ts';

/**
 * A stored message as the chat shows it: the customer's own as `user`; the agent's answers, staff replies and
 * hand-off notices as `assistant` messages whose metadata says which (`kind`) and who wrote them (`author`).
 */
export function uiMessageOf(m: MessageView, conversationId: string): ParleyUIMessage {
  const kind = m.role === 'staff' ? 'staff' : m.role === 'system' ? 'notice' : undefined;
  return {
    id: m.id,
    role: m.role === 'user' ? 'user' : 'assistant',
    metadata: {
      conversationId,
      model: '',
      offline: false,
      // Only the agent's answers take a rating.
      ...(kind ? { kind, ...(m.author ? { author: m.author } : {}) } : { messageId: m.id }),
    },
    parts: [
      { type: 'text' as const, text: m.content },
      ...m.citations.map((c) => ({
        type: 'source-url' as const,
        sourceId: c.chunkId,
        url: c.url,
        title: c.title,
      })),
    ],
  };
}
