import crypto from 'node:crypto';

/** The header receivers check: `sha256=` and the hex HMAC-SHA256 of the raw body under the shared secret. */
export const signatureHeader = 'x-parley-signature';

/** Signs a webhook body exactly as sent. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Checks a received signature in constant time; what a receiver does with the raw body before parsing it.
 *
 * @example verifyWebhookSignature(webhookSecret, rawBody, req.headers['x-parley-signature'])
 */
export function verifyWebhookSignature(secret: string, body: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
