import nodemailer from 'nodemailer';
import type { NotificationConfig } from '../../config.ts';
import type { CompanyProfile } from '../../contracts/settings.ts';
import type { NotificationContext } from './payload.ts';
import { consoleLink } from './slack.ts';
import type { AttemptResult } from './webhook.ts';

/** One email, composed and ready to send. */
export interface Email {
  to: string[];
  subject: string;
  text: string;
  replyTo?: string | undefined;
}

// A subject is one header line: a title with a line break in it must not start a new header.
const oneLine = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const speaker = (m: NotificationContext['recent'][number]) =>
  m.role === 'user' ? 'Customer' : m.role === 'staff' ? (m.author ?? 'Staff') : 'Parley';

/** The email staff get when a conversation is handed to them: who, why, the last messages, and a link. */
export function staffEscalationEmail(
  context: NotificationContext,
  staff: string[],
  publicUrl: string | undefined,
): Email {
  const { conversation } = context.payload;
  const customer = conversation.customer;
  const who = customer
    ? [customer.name, customer.email && `<${customer.email}>`].filter(Boolean).join(' ') ||
      `customer ${customer.id}`
    : 'an anonymous visitor';
  const link = consoleLink(publicUrl, conversation.id);
  const text = [
    'A conversation was handed to your team.',
    '',
    `Customer: ${who}`,
    `Reason: ${conversation.escalationReason ?? 'not given'}`,
    '',
    'Last messages:',
    ...context.recent.map((m) => `${speaker(m)}: ${m.text}`),
    '',
    link ? `Open it in Parley: ${link}` : `Conversation ${conversation.id} is waiting in the Parley inbox.`,
  ].join('\n');
  return {
    to: staff,
    subject: oneLine(`Needs a person: ${conversation.title ?? who}`),
    text,
  };
}

/** The email a customer who has left the chat gets when staff reply: the reply itself, from the company. */
export function customerReplyEmail(
  context: NotificationContext,
  to: string,
  company: CompanyProfile,
): Email | undefined {
  const { conversation, message } = context.payload;
  if (!message) return undefined;
  const greeting = conversation.customer?.name ? `Hello ${conversation.customer.name},` : 'Hello,';
  const author = message.author ? `${message.author} from ${company.name}` : company.name;
  const text = [
    greeting,
    '',
    `${author} replied to your conversation${conversation.title ? ` "${oneLine(conversation.title, 80)}"` : ''}:`,
    '',
    message.text,
    '',
    company.supportEmail
      ? 'Reply to this email, or continue in the chat where you left off.'
      : 'Continue in the chat where you left off to reply.',
  ].join('\n');
  return {
    to: [to],
    subject: oneLine(`${company.name} replied: ${conversation.title ?? 'your conversation'}`),
    text,
    replyTo: company.supportEmail,
  };
}

/** Sends one email through the configured SMTP server. Never throws. */
export async function sendEmail(
  email: Email,
  smtp: NonNullable<NotificationConfig['email']>,
): Promise<AttemptResult> {
  const transport = nodemailer.createTransport(smtp.smtpUrl);
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    });
    return { status: 'delivered', detail: `accepted by ${info.accepted.length} recipient(s)` };
  } catch (error) {
    // A 5xx reply (unknown mailbox, refused sender) fails the same way again; connection trouble and 4xx
    // replies (greylisting, a full queue) are temporary.
    const code = (error as { responseCode?: number }).responseCode;
    const detail = code ? `SMTP ${code}` : `SMTP failed (${(error as { code?: string }).code ?? 'error'})`;
    return { status: code && code >= 500 ? 'rejected' : 'retry', detail };
  } finally {
    transport.close();
  }
}
