import type { WebhookPayload } from './payload.ts';

/** A console link to the conversation, when Parley knows its public address. */
export function consoleLink(publicUrl: string | undefined, conversationId: string): string | undefined {
  return publicUrl ? `${publicUrl}/admin/conversations/${conversationId}` : undefined;
}

const headline: Record<WebhookPayload['type'], string> = {
  'conversation.escalated': 'A conversation needs a person',
  'conversation.message': 'The customer wrote in a conversation your team holds',
  'conversation.resolved': 'A conversation was resolved',
  'conversation.staff_reply': 'Your team replied',
};

// Slack's mrkdwn treats these three as markup; everything else may pass as it is.
const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const quote = (text: string, max = 500) =>
  escapeSlack(text.length > max ? `${text.slice(0, max)}…` : text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** A Slack incoming-webhook body: one `text` with who, why and a link to the conversation in the console. */
export function slackBody(payload: WebhookPayload, publicUrl: string | undefined): { text: string } {
  const { conversation, message } = payload;
  const who = conversation.customer
    ? escapeSlack(
        [conversation.customer.name, conversation.customer.email].filter(Boolean).join(' · ') ||
          (conversation.customer.id ?? 'a customer'),
      )
    : 'an anonymous visitor';
  const link = consoleLink(publicUrl, conversation.id);
  const lines = [
    `*${headline[payload.type]}*: ${who}`,
    conversation.title ? `_${escapeSlack(conversation.title)}_` : undefined,
    payload.type === 'conversation.escalated' && conversation.escalationReason
      ? `Reason: ${escapeSlack(conversation.escalationReason)}`
      : undefined,
    message ? quote(message.text) : undefined,
    link ? `<${link}|Open in Parley>` : `Conversation ${conversation.id}`,
  ];
  return { text: lines.filter(Boolean).join('\n') };
}
