import { z } from '@hono/zod-openapi';
import { maxMessageLength } from './limits.ts';

// The staff inbox: conversations that need a person, taking one over, replying, notes, and handing it back.

/** Which conversations the inbox lists: everything that needs a person, mine, or nobody's yet. */
export const InboxView = z.enum(['all', 'mine', 'unassigned']);
export type InboxView = z.infer<typeof InboxView>;

export const InboxQuery = z.object({
  view: InboxView.default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

/** What sent a conversation to a person. */
export const EscalationSource = z
  .enum(['requested', 'rule', 'agent', 'abstained', 'thumbs_down', 'staff'])
  .openapi('EscalationSource');
export type EscalationSource = z.infer<typeof EscalationSource>;

/** A staff member as the inbox names them: display name, and token id (null for the admin token). */
export const StaffRef = z.object({ name: z.string(), tokenId: z.string().nullable() }).openapi('StaffRef');
export type StaffRef = z.infer<typeof StaffRef>;

export const InboxItem = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    status: z.string(),
    channel: z.string(),
    customerId: z.string().nullable(),
    customer: z.string().nullable().openapi({ description: "The customer's external id" }),
    customerName: z.string().nullable(),
    visitorId: z.string().nullable(),
    escalationReason: z.string().nullable(),
    escalationSource: EscalationSource.nullable(),
    escalatedAt: z.string().nullable(),
    waitingSince: z
      .string()
      .nullable()
      .openapi({ description: 'Since when the customer has been waiting for a person; null once answered' }),
    assignee: StaffRef.nullable(),
    assignedAt: z.string().nullable(),
    lastMessage: z
      .object({ role: z.string(), content: z.string(), author: z.string().nullable(), createdAt: z.string() })
      .nullable(),
    updatedAt: z.string(),
  })
  .openapi('InboxItem');
export type InboxItem = z.infer<typeof InboxItem>;

export const Inbox = z
  .object({
    conversations: z.array(InboxItem),
    counts: z.object({ all: z.number(), mine: z.number(), unassigned: z.number() }),
  })
  .openapi('Inbox');
export type Inbox = z.infer<typeof Inbox>;

export const AssignInput = z
  .object({
    to: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "A staff token's name or id; the caller when absent" }),
  })
  .openapi('AssignInput');
export type AssignInput = z.infer<typeof AssignInput>;

export const StaffReplyInput = z
  .object({ text: z.string().trim().min(1).max(maxMessageLength) })
  .openapi('StaffReplyInput');
export type StaffReplyInput = z.infer<typeof StaffReplyInput>;

export const NoteInput = z.object({ text: z.string().trim().min(1).max(4000) }).openapi('NoteInput');
export type NoteInput = z.infer<typeof NoteInput>;

export const NoteView = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    author: z.string(),
    text: z.string(),
    createdAt: z.string(),
  })
  .openapi('Note');
export type NoteView = z.infer<typeof NoteView>;

export const NoteList = z.object({ notes: z.array(NoteView) }).openapi('NoteList');
export type NoteList = z.infer<typeof NoteList>;

/** Resolving with a note: the note becomes the suggested solution's resolution. */
export const ResolveInput = z
  .object({ note: z.string().trim().min(1).max(4000).optional() })
  .openapi('ResolveInput');
export type ResolveInput = z.infer<typeof ResolveInput>;

/** Who holds a conversation after an assign or release. */
export const HoldState = z
  .object({
    id: z.string(),
    status: z.string(),
    assignee: StaffRef.nullable(),
    waitingSince: z.string().nullable(),
  })
  .openapi('HoldState');
export type HoldState = z.infer<typeof HoldState>;
