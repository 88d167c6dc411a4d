import type { Config } from '../config.ts';

/** Replaces secrets in a text with a marker; built once from the configuration at start-up. */
export type Redact = (text: string) => string;

export const redactedMarker = '[redacted]';

/** Shorter values are not treated as secrets: blanking them would mangle ordinary text. */
const minSecretLength = 8;

/**
 * The secrets Parley is configured with: what must never be written to a log, the errors table, an agent run
 * or a backup. A provider that echoes its API key in an error message would otherwise store it in all four.
 */
export function configuredSecrets(
  config: Pick<Config, 'openai' | 'server' | 'telemetry' | 'backupKey'>,
): string[] {
  return [
    config.openai?.apiKey,
    config.server.adminToken,
    config.server.identitySecret,
    config.server.previousIdentitySecret,
    config.telemetry.logfireToken,
    config.backupKey,
    config.server.metricsToken,
    config.server.notifications.webhook?.secret,
    smtpPassword(config.server.notifications.email?.smtpUrl),
  ].filter((s): s is string => typeof s === 'string' && s !== '');
}

/** The password inside an `smtp://user:pass@host` URL, as written and decoded. */
function smtpPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const password = URL.parse(url)?.password;
  return password ? decodeURIComponent(password) : undefined;
}

/**
 * A function blanking each secret wherever it appears, also as JSON or URLs escape it. With `knownShapes` (the
 * default) it also blanks credentials of well-known shapes that are not configured here (OpenAI-style `sk-…`
 * keys, bearer tokens, passwords in connection strings), e.g. a key a provider mentions for another account;
 * leave them out where ordinary content is redacted (a backup's documents may quote `Bearer <token>`).
 *
 * @example
 *   const redact = createRedactor(configuredSecrets(config));
 *   log.error('provider failed', { error: redact(error.message) });
 */
export function createRedactor(secrets: readonly string[], options: { knownShapes?: boolean } = {}): Redact {
  const knownShapes = options.knownShapes ?? true;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is blanked whole.
  const exact = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const configured = exact.length > 0 ? new RegExp(exact.join('|'), 'g') : undefined;
  return (text) => {
    if (!text) return text;
    const blanked = configured ? text.replace(configured, redactedMarker) : text;
    if (!knownShapes) return blanked;
    return blanked
      .replace(/(postgres(ql)?:\/\/[^:\s/@"]+:)[^@\s"]+@/gi, `$1${redactedMarker}@`)
      .replace(/\b(sk|ptk|pk|rk)[-_][A-Za-z0-9_-]{8,}/g, `$1_${redactedMarker}`)
      .replace(/(bearer\s+)[\w.~+/-]+=*/gi, `$1${redactedMarker}`);
  };
}

/** Redacts every string inside a JSON-like value (objects, arrays), leaving its shape alone. */
export function redactValue<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactValue(v, redact)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(v, redact)]),
    ) as T;
  }
  return value;
}

/** Redacts nothing beyond the well-known credential shapes: for callers with no configuration at hand. */
export const redactKnownShapes: Redact = createRedactor([]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
