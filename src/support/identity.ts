import crypto from 'node:crypto';

/**
 * Who is talking, as established by the session (a signed customer id, the CLI's --customer), never by the
 * model. Customer data is reachable only with a `customer` identity, and only that customer's.
 */
export type Identity =
  | { kind: 'customer'; customerId: string; externalId: string; name: string | null }
  | { kind: 'visitor'; visitorId: string };

export function newVisitorId(): string {
  return `vis_${crypto.randomBytes(12).toString('base64url')}`;
}
