import type { NotificationConfig } from '../../config.ts';
import type { WebhookPayload } from './payload.ts';
import { signatureHeader, signWebhookBody } from './signing.ts';
import { slackBody } from './slack.ts';

/** How one attempt went: `retry` may succeed later, `rejected` never will (the receiver refused the request). */
export type AttemptResult =
  { status: 'delivered'; detail: string } | { status: 'retry' | 'rejected'; detail: string };

const timeoutMs = 10_000;

/**
 * Whether a failed HTTP status is worth retrying: server errors, timeouts and rate limits pass; any other
 * client error (a wrong URL, a refused signature) fails the same way every time.
 */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The exact body sent: the JSON event, or Slack's `{text}`. */
export function webhookBody(
  payload: WebhookPayload,
  webhook: NonNullable<NotificationConfig['webhook']>,
  publicUrl: string | undefined,
): string {
  return JSON.stringify(webhook.format === 'slack' ? slackBody(payload, publicUrl) : payload);
}

/** Posts one event to the webhook, signed when a secret is set. Never throws. */
export async function postWebhook(
  payload: WebhookPayload,
  webhook: NonNullable<NotificationConfig['webhook']>,
  publicUrl: string | undefined,
): Promise<AttemptResult> {
  const body = webhookBody(payload, webhook, publicUrl);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Parley-Webhook/1',
    'x-parley-event': payload.type,
    'x-parley-delivery': payload.id,
  };
  if (webhook.secret) headers[signatureHeader] = signWebhookBody(webhook.secret, body);
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers,
      body,
      // A redirect would carry the signed body to an address nobody configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    const detail = `HTTP ${response.status}`;
    if (response.ok) return { status: 'delivered', detail };
    return { status: retryableStatus(response.status) ? 'retry' : 'rejected', detail };
  } catch (error) {
    // Unreachable, refused, timed out: the receiver may be back later. The URL is left out of the message,
    // since some (Slack's) carry their secret in the path.
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { status: 'retry', detail: `request failed (${cause})` };
  }
}
