import type {
  ConversationItem,
  ConversationList,
  HandoffResult,
  Info,
  OwnTranscript,
  ParleyUIMessage,
} from '../../../src/contracts/chat.ts';
import { type ChatIdentity, identityHeaders } from '../shared/identity.ts';

export class ChatApi {
  constructor(private readonly identity: ChatIdentity) {}

  get headers(): Record<string, string> {
    return identityHeaders(this.identity);
  }

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...this.headers, ...(init.headers ?? {}) },
    });
    const body = (await response.json().catch(() => ({}))) as T & { message?: string };
    if (!response.ok) throw new Error(body.message ?? `Request failed (${response.status})`);
    return body;
  }

  info(): Promise<Info> {
    return this.request('/api/info');
  }

  async conversations(): Promise<ConversationItem[]> {
    return (await this.request<ConversationList>('/api/conversations')).conversations;
  }

  /** A stored conversation as UI messages, citations as source parts. */
  async transcript(id: string): Promise<ParleyUIMessage[]> {
    const { messages } = await this.request<OwnTranscript>(`/api/conversations/${id}`);
    return messages.map((m) => ({
      id: m.id,
      role: m.role === 'user' ? 'user' : 'assistant',
      metadata: { conversationId: id, model: '', offline: false, messageId: m.id },
      parts: [
        { type: 'text' as const, text: m.content },
        ...m.citations.map((c) => ({
          type: 'source-url' as const,
          sourceId: c.chunkId,
          url: c.url,
          title: c.title,
        })),
      ],
    }));
  }

  feedback(messageId: string, rating: 'up' | 'down', reason?: string): Promise<unknown> {
    return this.request('/api/feedback', {
      method: 'POST',
      body: JSON.stringify({ messageId, rating, reason }),
    });
  }

  handoff(conversationId: string): Promise<HandoffResult> {
    return this.request(`/api/conversations/${conversationId}/handoff`, { method: 'POST', body: '{}' });
  }
}
