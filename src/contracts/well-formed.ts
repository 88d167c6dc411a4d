// Text Postgres can store. A NUL character fails any insert (`invalid byte sequence for encoding "UTF8": 0x00`,
// or `unsupported Unicode escape sequence` in jsonb), and a lone UTF-16 surrogate serialises to JSON that jsonb
// refuses; either one arriving in a request or a document would turn a normal write into a failure.

// Without the `u` flag a pattern matches UTF-16 code units: a high surrogate with no low one after it, or a low
// one with no high one before it. The same as Node 22's `String.prototype.toWellFormed`, which ES2023 lacks.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without NUL characters, and with lone surrogates replaced by U+FFFD. */
export function wellFormedText(text: string): string {
  return text.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD');
}

/** A parsed JSON value with every string in it (object keys included) made well formed. */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === 'string') return wellFormedText(value);
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [wellFormedText(key), wellFormedJson(item)]),
    );
  }
  return value;
}
