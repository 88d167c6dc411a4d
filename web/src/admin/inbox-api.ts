import type { MessageView } from '../../../src/contracts/chat.ts';
import type { ResolveResult } from '../../../src/contracts/conversations.ts';
import type { HoldState, Inbox, InboxView, NoteList, NoteView } from '../../../src/contracts/inbox.ts';
import { request } from './api.ts';

const id = encodeURIComponent;
const conversation = (conversationId: string, rest: string) =>
  `/api/admin/conversations/${id(conversationId)}/${rest}`;

/** The admin API of the human hand-off: the inbox, taking over, replying, notes and handing back. */
export const inboxApi = {
  list: (view: InboxView) => request<Inbox>('GET', `/api/admin/inbox?view=${id(view)}`),
  assign: (conversationId: string, to?: string) =>
    request<HoldState>('POST', conversation(conversationId, 'assign'), to ? { to } : {}),
  release: (conversationId: string) =>
    request<HoldState>('POST', conversation(conversationId, 'release'), {}),
  reply: (conversationId: string, text: string) =>
    request<MessageView>('POST', conversation(conversationId, 'messages'), { text }),
  notes: (conversationId: string) => request<NoteList>('GET', conversation(conversationId, 'notes')),
  addNote: (conversationId: string, text: string) =>
    request<NoteView>('POST', conversation(conversationId, 'notes'), { text }),
  resolve: (conversationId: string, note?: string) =>
    request<ResolveResult>('POST', conversation(conversationId, 'resolve'), note ? { note } : {}),
};

/** An event of the staff stream: what changed, by id; the page reads the rows again. */
export interface InboxEvent {
  kind: 'message' | 'conversation' | 'note';
  conversationId: string;
  messageId?: string;
  noteId?: string;
}
