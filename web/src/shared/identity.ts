import { visitorIdPattern } from '../../../src/contracts/limits.ts';

/**
 * Who the chat speaks for. Inside the widget's frame, the host page (through the widget) may pass a signed
 * customer id or a customer JWT in the URL fragment, which never reaches server logs. The standalone page
 * ignores the fragment: a link carrying someone else's identity must not sign this browser in as them.
 * Otherwise this browser is an anonymous visitor, with the visitor id (and the token proving it was issued
 * here) that the server handed out.
 */
export interface ChatIdentity {
  customer?: string;
  signature?: string;
  token?: string;
  /** Unknown until the server issues one with the first response. */
  visitor?: string;
  visitorToken?: string;
}

const visitorKey = 'parley.visitor';
const visitorTokenKey = 'parley.visitorToken';

// Storage can be blocked in third-party frames: the visitor then lasts for this page only.
function load(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Kept in memory only.
  }
}

/** Whether this page runs as the widget's frame: framed by another page, and opened by the widget. */
export function isWidgetFrame(): boolean {
  let framed: boolean;
  try {
    framed = window.self !== window.top;
  } catch {
    // Reading window.top of another origin can throw in old browsers: that is a frame too.
    framed = true;
  }
  return framed && new URLSearchParams(location.search).has('embed');
}

/**
 * The identity of this page: inside the widget's frame, the customer the host page signed and the visitor it
 * keeps for this browser (browsers may block a third-party frame's own storage, so the host page, first-party,
 * keeps it); otherwise the visitor stored here. The standalone page never reads the fragment.
 */
export function readIdentity(hash: string = location.hash, framed: boolean = isWidgetFrame()): ChatIdentity {
  const identity: ChatIdentity = {};
  const params = new URLSearchParams(framed ? hash.replace(/^#/, '') : '');
  const passed = params.get('visitor');
  const visitor = passed ?? load(visitorKey);
  if (visitor && visitorIdPattern.test(visitor)) {
    identity.visitor = visitor;
    identity.visitorToken = (passed ? params.get('visitorToken') : load(visitorTokenKey)) ?? undefined;
  }
  const customer = params.get('customer');
  const signature = params.get('signature');
  const token = params.get('token');
  if (customer && signature) Object.assign(identity, { customer, signature });
  else if (token) identity.token = token;
  return identity;
}

/**
 * Tells the widget's host page which visitor this browser is (or that it has none any more), for it to keep.
 * Only the configured widget origins can frame this page (CSP frame-ancestors), so the parent is one of them.
 */
function tellHostPage(identity: ChatIdentity): void {
  if (!isWidgetFrame()) return;
  const parentOrigin = location.ancestorOrigins?.item(0) ?? '*';
  const message = {
    type: 'parley:visitor',
    visitor: identity.visitor ?? null,
    visitorToken: identity.visitorToken ?? null,
  };
  window.parent.postMessage(message, parentOrigin);
}

/** Whether the identity names a signed-in customer (rather than an anonymous visitor). */
export function isCustomer(identity: ChatIdentity): boolean {
  return Boolean((identity.customer && identity.signature) || identity.token);
}

/** Request headers carrying the identity: the customer's signature or token, else the visitor id if known. */
export function identityHeaders(identity: ChatIdentity): Record<string, string> {
  if (identity.customer && identity.signature) {
    return { 'x-parley-customer': identity.customer, 'x-parley-signature': identity.signature };
  }
  if (identity.token) return { authorization: `Bearer ${identity.token}` };
  return identity.visitor ? { 'x-parley-visitor': identity.visitor } : {};
}

/** Keeps the visitor id (and its token) the server issued in a response, if this browser had none yet. */
export function rememberVisitor(identity: ChatIdentity, response: Response): void {
  const visitor = response.headers.get('x-parley-visitor');
  if (identity.visitor || !visitor || !visitorIdPattern.test(visitor)) return;
  identity.visitor = visitor;
  store(visitorKey, visitor);
  const token = response.headers.get('x-parley-visitor-token');
  if (token) {
    identity.visitorToken = token;
    store(visitorTokenKey, token);
  }
  tellHostPage(identity);
}

/** Forgets the stored visitor once a customer has taken over its conversations. */
export function forgetVisitor(identity: ChatIdentity): void {
  delete identity.visitor;
  delete identity.visitorToken;
  try {
    localStorage.removeItem(visitorKey);
    localStorage.removeItem(visitorTokenKey);
  } catch {
    // Nothing was stored.
  }
  tellHostPage(identity);
}
