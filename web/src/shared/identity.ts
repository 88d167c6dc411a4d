import { visitorIdPattern } from '../../../src/contracts/limits.ts';

/**
 * Who the chat speaks for. The host page (through the widget) may pass a signed customer id or a customer
 * JWT in the URL fragment, which never reaches server logs; otherwise this browser is an anonymous visitor
 * with a random id kept in localStorage.
 */
export interface ChatIdentity {
  customer?: string;
  signature?: string;
  token?: string;
  visitor: string;
}

const visitorKey = 'parley.visitor';

function randomVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `vis_${base64}`;
}

export function visitorId(): string {
  try {
    const known = localStorage.getItem(visitorKey);
    if (known && visitorIdPattern.test(known)) return known;
    const fresh = randomVisitorId();
    localStorage.setItem(visitorKey, fresh);
    return fresh;
  } catch {
    // Storage can be blocked in third-party frames: the visitor lasts for this page only.
    return randomVisitorId();
  }
}

export function readIdentity(hash: string = location.hash): ChatIdentity {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const identity: ChatIdentity = { visitor: visitorId() };
  const customer = params.get('customer');
  const signature = params.get('signature');
  const token = params.get('token');
  if (customer && signature) Object.assign(identity, { customer, signature });
  if (token) identity.token = token;
  return identity;
}

/** Request headers carrying the identity (the visitor id always, so a visitor who signs in can be linked). */
export function identityHeaders(identity: ChatIdentity): Record<string, string> {
  const headers: Record<string, string> = { 'x-parley-visitor': identity.visitor };
  if (identity.customer && identity.signature) {
    headers['x-parley-customer'] = identity.customer;
    headers['x-parley-signature'] = identity.signature;
  } else if (identity.token) {
    headers.authorization = `Bearer ${identity.token}`;
  }
  return headers;
}
