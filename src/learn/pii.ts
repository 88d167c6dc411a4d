/** The kinds of personal data replaced before a Q&A pair is stored. */
export type PiiKind = 'EMAIL' | 'PHONE' | 'ORDER' | 'TRACKING' | 'NAME' | 'ADDRESS';

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  /** The part of a match to replace (a capture group), and whether the match really is this kind. */
  pick?: (match: RegExpExecArray) => string | undefined;
  /** How two spellings of one value are recognised as the same value. */
  canonical: (value: string) => string;
}

const digitsOnly = (v: string) => v.replace(/\D/g, '');
const upper = (v: string) => v.toUpperCase().replace(/\s/g, '');

// Order matters: an email can hold a name, a tracking number can look like a long phone number, and an order
// number prefix ("KE-") must not be taken for part of a phone number.
const detectors: Detector[] = [
  {
    kind: 'EMAIL',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    canonical: (v) => v.toLowerCase(),
  },
  {
    // Carrier formats: UPS (1Z + 16), UPU S10 as used by Royal Mail and most posts (AB123456789GB), letter-prefixed
    // long numbers (DHL eCommerce JVGL…), and bare runs of 12-22 digits (USPS, FedEx, DHL).
    kind: 'TRACKING',
    pattern: /\b(?:1Z[0-9A-Z]{16}|[A-Z]{2}\d{9}[A-Z]{2}|[A-Z]{2,4}\d{10,22}|\d{12,22})\b/g,
    canonical: upper,
  },
  {
    // Shop-style order numbers (KE-100118, AB-2024-0042), and whatever follows "order number", "order #" etc.
    kind: 'ORDER',
    pattern:
      /\b[A-Z]{2,5}-\d{4,}(?:-\d+)?\b|\border\s*(?:number|no\.?|#|id)?\s*[:#]?\s*(#?[A-Z0-9][A-Z0-9-]{3,})\b/gi,
    pick: (m) => {
      const value = m[1] ?? m[0];
      return /\d/.test(value) && !/^\d{4}$/.test(value) ? value.replace(/^#/, '') : undefined;
    },
    canonical: upper,
  },
  {
    // Bare 10-11 digit numbers: DHL Express waybills (10 digits) when the text speaks of tracking, else phones.
    kind: 'PHONE',
    pattern:
      /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w-])|(?<![\w+])\+?\d{10,11}(?!\w)/g,
    pick: (m) => {
      const digits = digitsOnly(m[0]);
      if (digits.length < 7 || digits.length > 15) return undefined;
      // Dates are not phone numbers (version numbers are too short to get here).
      if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(m[0])) return undefined;
      // Plain "2 300 000"-style figures have short groups; phone numbers have at least one group of 3+.
      if (!/\d{3}/.test(m[0])) return undefined;
      return m[0];
    },
    canonical: digitsOnly,
  },
];

// A 10-11 digit number right after a tracking word is a waybill, not a phone number.
const trackingContext = /(tracking|waybill|shipment|parcel|package|consignment)\b[^.\n]{0,30}$/i;

/**
 * Replaces personal data with numbered placeholders (`[EMAIL_1]`, `[NAME_1]`, `[ORDER_2]`), consistently: the
 * same value gets the same placeholder everywhere this scrubber sees it, so a pair (its question, answer and
 * transcript) still reads coherently. Use one scrubber per pair.
 *
 * Names cannot be found by pattern; they come from the customer record of the source conversation. Every part
 * of a name (full name, first name, last name) maps to that person's placeholder.
 *
 * @example
 * const s = new PiiScrubber(['Maya Okonkwo']);
 * s.scrub('Hi Maya, order KE-100118 ships to maya@example.com'); // 'Hi [NAME_1], order [ORDER_1] ships to [EMAIL_1]'
 */
export class PiiScrubber {
  private readonly seen = new Map<string, string>();
  private readonly counts = new Map<PiiKind, number>();
  private readonly namePatterns: { pattern: RegExp; key: string }[] = [];

  constructor(names: (string | null | undefined)[] = []) {
    for (const name of names) {
      const full = name?.trim();
      if (!full) continue;
      const key = `NAME:${full.toLowerCase()}`;
      // Longest first, so "Maya Okonkwo" is replaced whole before "Maya" is looked for.
      const parts = [full, ...full.split(/\s+/).filter((p) => p.length >= 3)];
      for (const part of parts) {
        const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
        this.namePatterns.push({ pattern: new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'giu'), key });
      }
    }
    this.namePatterns.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  }

  /** The text with every email, phone, order number, tracking number and known name replaced. */
  scrub(text: string): string {
    let out = text;
    for (const detector of detectors) {
      out = out.replace(detector.pattern, (...args: unknown[]) => {
        const match = matchOf(args);
        const value = detector.pick ? detector.pick(match) : match[0];
        if (!value) return match[0];
        const before = out.slice(0, match.index);
        const kind: PiiKind =
          detector.kind === 'PHONE' && /^\+?\d{10,11}$/.test(value) && trackingContext.test(before)
            ? 'TRACKING'
            : detector.kind;
        return match[0].replace(value, this.placeholder(kind, `${kind}:${detector.canonical(value)}`));
      });
    }
    for (const { pattern, key } of this.namePatterns) {
      out = out.replace(pattern, () => this.placeholder('NAME', key));
    }
    return out;
  }

  /**
   * A JSON value (a tool's input or output) with every string scrubbed; fields that hold a street address are
   * replaced whole, since addresses have no pattern.
   */
  scrubValue(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      if (key && addressKey.test(key) && value.trim())
        return this.placeholder('ADDRESS', `ADDRESS:${value.toLowerCase()}`);
      return this.scrub(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.scrubValue(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrubValue(v, k)]));
    }
    return value;
  }

  /** How many distinct values of each kind were replaced. */
  replaced(): Partial<Record<PiiKind, number>> {
    return Object.fromEntries(this.counts);
  }

  private placeholder(kind: PiiKind, key: string): string {
    const known = this.seen.get(key);
    if (known) return known;
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const placeholder = `[${kind}_${n}]`;
    this.seen.set(key, placeholder);
    return placeholder;
  }
}

const addressKey = /^(address|line1|line2|street|streetAddress|addressLine\d?|postalCode|postcode|zip)$/i;

/** `String.replace` passes the match, the groups, the offset and the input; rebuild an exec-style match. */
function matchOf(args: unknown[]): RegExpExecArray {
  const offsetAt = args.findIndex((a) => typeof a === 'number');
  const groups = args.slice(0, offsetAt) as (string | undefined)[];
  const match = Object.assign([...groups], {
    index: args[offsetAt] as number,
    input: args[offsetAt + 1] as string,
  });
  return match as unknown as RegExpExecArray;
}

/** Whether a text still holds something that looks like personal data (for tests and export checks). */
export function looksLikePii(text: string): boolean {
  const probe = new PiiScrubber();
  return probe.scrub(text) !== text;
}
