import type {
  ConversationItem,
  ConversationList,
  HandoffResult,
  Info,
  OwnTranscript,
  ParleyUIMessage,
} from '../../../src/contracts/chat.ts';
import type { CustomerSession, LinkVisitorResult } from '../../../src/contracts/customer-session.ts';
import {
  type ChatIdentity,
  forgetVisitor,
  identityHeaders,
  isCustomer,
  rememberVisitor,
} from '../shared/identity.ts';
import { uiMessageOf } from './live-messages.ts';

export class ChatApi {
  /**
   * Settles once the page knows who it is: the session is read first (which issues an anonymous visitor its
   * id), so no request races to create a second visitor; a customer then takes over this browser's visitor.
   */
  readonly session: Promise<CustomerSession | undefined>;

  constructor(private readonly identity: ChatIdentity) {
    this.session = this.start();
  }

  get headers(): Record<string, string> {
    return identityHeaders(this.identity);
  }

  /** `fetch` with the identity's headers, remembering a visitor id the server issues; for `useChat` too. */
  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    await this.session;
    // The identity is read now, not when the caller built its headers: the session may have just settled it.
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    const response = await fetch(input, { ...init, headers });
    rememberVisitor(this.identity, response);
    return response;
  };

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...this.headers, ...(init.headers ?? {}) },
    });
    rememberVisitor(this.identity, response);
    const body = (await response.json().catch(() => ({}))) as T & { message?: string };
    if (!response.ok) throw new Error(body.message ?? `Request failed (${response.status})`);
    return body;
  }

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    await this.session;
    return this.call<T>(path, init);
  }

  private async start(): Promise<CustomerSession | undefined> {
    try {
      const session = await this.call<CustomerSession>('/api/session');
      const { visitor, visitorToken } = this.identity;
      if (session.kind === 'customer' && isCustomer(this.identity) && visitor && visitorToken) {
        // The explicit sign-in step: this browser proves it was issued the visitor id, so its anonymous
        // conversations become the customer's. The visitor is then done with.
        await this.call<LinkVisitorResult>('/api/session/link', {
          method: 'POST',
          body: JSON.stringify({ visitorId: visitor, visitorToken }),
        }).then(
          () => forgetVisitor(this.identity),
          () => {},
        );
      }
      return session;
    } catch {
      return undefined;
    }
  }

  info(): Promise<Info> {
    return this.call('/api/info');
  }

  async conversations(): Promise<ConversationItem[]> {
    return (await this.request<ConversationList>('/api/conversations')).conversations;
  }

  /** A stored conversation as UI messages, citations as source parts. */
  async transcript(id: string): Promise<ParleyUIMessage[]> {
    const { messages } = await this.request<OwnTranscript>(`/api/conversations/${id}`);
    return messages.map((m) => uiMessageOf(m, id));
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
