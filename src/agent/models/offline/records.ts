import { editDistance } from '../../../knowledge/spelling-edits.ts';
import { contentTerms } from '../../../knowledge/text.ts';
import { termsOf } from './passage-units.ts';

// The shapes the customer and catalogue tools return (see src/agent/tools). Fields are optional here because
// the values arrive as JSON through the model interface; a missing field is left out of the sentence.

export interface OrderRecord {
  id?: string;
  status?: string;
  placedAt?: string;
  items?: { sku?: string; name?: string; quantity?: number }[];
  tracking?: string | null;
  carrier?: string | null;
  shippedAt?: string | null;
  deliveredAt?: string | null;
  estimatedDelivery?: string | null;
}

export interface ProfileRecord {
  name?: string | null;
  email?: string | null;
  plan?: string | null;
  customerSince?: string | null;
}

export interface OwnedProductRecord {
  sku?: string;
  name?: string;
  serialNumber?: string | null;
  purchasedAt?: string | null;
  warrantyEndsAt?: string | null;
  underWarranty?: boolean;
}

export interface ProductRecord {
  sku?: string;
  name?: string;
  description?: string;
  price?: number | null;
  specs?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

const statusPhrases: Record<string, string> = {
  placed: 'has been placed and has not shipped yet',
  paid: 'is paid and waiting to ship',
  shipped: 'has shipped',
  cancelled: 'was cancelled',
  returned: 'was returned',
};

/** One order in a few sentences: status, items, carrier and tracking, dates. */
export function describeOrder(order: OrderRecord): string {
  const status = order.status ?? 'unknown';
  const placed = order.placedAt ? ` (placed ${day(order.placedAt)})` : '';
  const delivered = order.deliveredAt ? ` on ${day(order.deliveredAt)}` : '';
  const phrase =
    status === 'delivered'
      ? `was delivered${delivered}`
      : (statusPhrases[status] ?? `has the status "${status}"`);
  const sentences = [`Order ${order.id}${placed} ${phrase}.`];
  const items = (order.items ?? []).map((i) => `${i.quantity ?? 1} × ${i.name ?? i.sku}`);
  if (items.length) sentences.push(`Items: ${items.join(', ')}.`);
  if (order.shippedAt || order.tracking) {
    const when = order.shippedAt ? ` on ${day(order.shippedAt)}` : '';
    const carrier = order.carrier ? ` with ${order.carrier}` : '';
    const tracking = order.tracking ? `, tracking number ${order.tracking}` : '';
    sentences.push(`It shipped${when}${carrier}${tracking}.`);
  }
  if (order.estimatedDelivery && !order.deliveredAt)
    sentences.push(`Estimated delivery: ${day(order.estimatedDelivery)}.`);
  return sentences.join(' ');
}

/** The newest order in detail and the others in a line. */
export function describeOrders(orders: OrderRecord[]): string {
  const [newest, ...others] = orders;
  if (!newest) return "I don't see any orders on your account.";
  const rest = others.map((o) => `${o.id} (${o.status ?? 'unknown'})`);
  return rest.length
    ? `Your most recent order: ${describeOrder(newest)} Your other recent orders: ${rest.join(', ')}.`
    : describeOrder(newest);
}

export function describeProfile(profile: ProfileRecord): string {
  const parts = [
    profile.name,
    profile.email,
    profile.plan ? `${profile.plan} plan` : undefined,
    profile.customerSince ? `customer since ${day(profile.customerSince)}` : undefined,
  ].filter(Boolean);
  return `Your account: ${parts.join(', ')}.`;
}

/**
 * The customer's products with serial numbers and warranty status; when the question names some of them
 * ("is my Flit Lite still under warranty?") only those that match it best.
 */
export function describeOwnedProducts(products: OwnedProductRecord[], question: string): string {
  if (products.length === 0) return "I don't see any products registered to your account.";
  const asked = contentTerms(question);
  const overlap = (p: OwnedProductRecord) =>
    [...contentTerms(`${p.name ?? ''} ${p.sku ?? ''}`)].filter(
      (t) => asked.has(t) && !genericProductTerms.has(t),
    ).length;
  const most = Math.max(...products.map(overlap));
  const named = most > 0 ? products.filter((p) => overlap(p) === most) : products;
  const lines = named.map((p) => {
    const serial = p.serialNumber ? `, serial ${p.serialNumber}` : '';
    const bought = p.purchasedAt ? `, bought ${day(p.purchasedAt)}` : '';
    const warranty = !p.warrantyEndsAt
      ? 'no warranty end date on record'
      : p.underWarranty
        ? `under warranty until ${day(p.warrantyEndsAt)}`
        : `warranty ended on ${day(p.warrantyEndsAt)}`;
    return `- ${p.name} (${p.sku})${serial}${bought}: ${warranty}.`;
  });
  return `Products on your account:\n${lines.join('\n')}`;
}

const genericProductTerms = contentTerms('kestrel wireless product products device devices');

/**
 * Name, SKU, price and the first sentence of the description of the products the query names (all matches
 * when none names every query word); specs when the question asks for them.
 */
export function describeProducts(products: ProductRecord[], query: string, question: string): string {
  const named = namedProducts(products, query);
  const wantsSpecs = /\b(specs?|specifications|technical)\b/i.test(question);
  return (named.length ? named : products)
    .map((p, i) => {
      const price = typeof p.price === 'number' ? ` costs ${money(p.price, p.details?.currency)}` : '';
      const summary = p.description ? ` ${p.description.split(/(?<=[.!?])\s/)[0]}` : '';
      const specs = wantsSpecs && i === 0 && p.specs ? ` Specs: ${describeSpecs(p.specs)}.` : '';
      return `${p.name} (${p.sku})${price}.${summary}${specs}`;
    })
    .join('\n');
}

/**
 * The products whose name or SKU holds every word of the query, model numbers included, a typo or a cut-off
 * number allowed ("Aura 70"): "Flit 2" names the Flit 2, not the Flit Sport; "shipping" names no product,
 * though the catalogue search finds one shipped in a box.
 */
export function namedProducts(products: ProductRecord[], query: string): ProductRecord[] {
  const wanted = [...termsOf(query)];
  return products.filter((p) => {
    const name = [...termsOf(`${p.name ?? ''} ${p.sku ?? ''}`)];
    return wanted.every((t) => name.some((n) => sameWord(t, n)));
  });
}

/** A typo apart for words; numbers are never one edit from another ("Aura 500" is not the Aura 700). */
function sameWord(asked: string, named: string): boolean {
  if (/^\d+$/.test(asked)) return named.startsWith(asked);
  return editDistance(asked, named, 1) <= 1;
}

function describeSpecs(specs: Record<string, unknown>): string {
  return Object.entries(specs)
    .slice(0, 8)
    .map(([key, value]) => {
      const label = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      return `${label} ${Array.isArray(value) ? value.join('/') : String(value)}`;
    })
    .join(', ');
}

function money(amount: number, currency: unknown): string {
  const code = typeof currency === 'string' ? currency : 'USD';
  return code === 'USD' ? `$${amount.toFixed(2)}` : `${amount.toFixed(2)} ${code}`;
}

/** The date part of an ISO timestamp. */
function day(value: string): string {
  return value.slice(0, 10);
}
