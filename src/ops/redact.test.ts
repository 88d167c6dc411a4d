import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { createTestServer, json, type TestServer } from '../../test/support/server-fixture.ts';
import { loadConfig } from '../config.ts';
import { agentRuns, errors } from '../db/schema/index.ts';
import { recordError } from './error-tracking.ts';
import { createLogger } from './log.ts';
import { configuredSecrets, createRedactor, redactValue } from './redact.ts';

// Not `sk-`-shaped (an Azure or self-hosted key): only redacting the configured value catches it.
const apiKey = 'azure-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const identitySecret = 'identity-secret-with-"quotes"-and/slashes';

describe('redact', () => {
  const config = loadConfig(
    {},
    {
      OPENAI_API_KEY: apiKey,
      PARLEY_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
      PARLEY_IDENTITY_SECRET: identitySecret,
      PARLEY_IDENTITY_SECRET_PREVIOUS: 'previous-secret-0123456789',
      LOGFIRE_TOKEN: 'pylf_v1_eu_logfiretoken0123',
      PARLEY_BACKUP_KEY: 'backup-key-0123456789abcdef',
    },
  );
  const redact = createRedactor(configuredSecrets(config));

  it('blanks every configured secret, as written, JSON-escaped and URL-encoded', () => {
    expect(configuredSecrets(config)).toHaveLength(6);
    const withNotifications = loadConfig(
      {},
      {
        PARLEY_WEBHOOK_URL: 'https://hooks.example.com/parley',
        PARLEY_WEBHOOK_SECRET: 'webhook-secret-0123456789',
        PARLEY_SMTP_URL: 'smtp://mailer:p%40ss-word-123@mail.example.com:587',
      },
    );
    expect(configuredSecrets(withNotifications)).toEqual(['webhook-secret-0123456789', 'p@ss-word-123']);
    for (const secret of configuredSecrets(config)) {
      expect(redact(`before ${secret} after`)).toBe('before [redacted] after');
    }
    expect(redact(JSON.stringify({ error: `bad secret ${identitySecret}` }))).toBe(
      '{"error":"bad secret [redacted]"}',
    );
    expect(redact(`https://x.test/?k=${encodeURIComponent(identitySecret)}`)).toBe(
      'https://x.test/?k=[redacted]',
    );
    expect(redactValue({ a: [`key ${apiKey}`, 3], b: { c: apiKey } }, redact)).toEqual({
      a: ['key [redacted]', 3],
      b: { c: '[redacted]' },
    });
  });

  it('blanks credentials of well-known shapes unless told not to, and ignores secrets too short to be one', () => {
    const text = 'Bearer abc.def-123 sk-other0123456789 postgres://app:hunter22@db:5432/parley';
    expect(redact(text)).toBe('Bearer [redacted] sk_[redacted] postgres://app:[redacted]@db:5432/parley');
    expect(createRedactor([apiKey], { knownShapes: false })(`${apiKey} sk-other0123456789`)).toBe(
      '[redacted] sk-other0123456789',
    );
    expect(createRedactor(['short'])('a short word')).toBe('a short word');
  });

  it('keeps secrets out of log lines', () => {
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line), {}, redact);
    log.error('provider failed', {
      error: `401 Incorrect API key provided: ${apiKey}`,
      nested: { identitySecret },
    });
    expect(lines.join('')).not.toContain(apiKey);
    expect(lines.join('')).not.toContain('with-\\"quotes');
    expect(JSON.parse(lines[0]!)).toMatchObject({ error: '401 Incorrect API key provided: [redacted]' });
  });
});

describe.each(backends)('a provider error echoing the API key (%s)', (backend) => {
  let provider: http.Server;
  let t: TestServer;
  const lines: string[] = [];

  beforeAll(async () => {
    // An OpenAI-compatible server that refuses every call, quoting the key it was sent, as OpenAI's 401 does.
    provider = http.createServer((req, res) => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${key}.`,
            type: 'invalid_request_error',
            code: null,
          },
        }),
      );
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const env = {
      OPENAI_API_KEY: apiKey,
      OPENAI_BASE_URL: `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`,
    };
    const redact = createRedactor(configuredSecrets(loadConfig({}, env)));
    // What the server's start-up does (createServices): one redactor for the logger and error tracking.
    t = await createTestServer(backend, env, {
      services: {
        log: createLogger('info', (line) => lines.push(line), {}, redact),
        onError: (error, requestId) =>
          void recordError(t.database.db, error, { source: 'request', requestId, redact }),
      },
    });
  });
  afterAll(async () => {
    await t?.destroy();
    await new Promise((resolve) => provider?.close(resolve));
  });

  it('stores and logs the failure without the key', async () => {
    const res = await t.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'parley', messages: [{ role: 'user', content: 'Where is my order?' }] }),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await res.text()).not.toContain(apiKey);
    // Error tracking records without awaiting; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const runs = await t.database.db.select().from(agentRuns);
    const failed = runs.find((r) => r.outcome === 'error');
    expect(JSON.stringify(failed?.retrieval)).toMatch(/Incorrect API key provided: \[redacted\]/);
    const tracked = await t.database.db.select().from(errors);
    expect(tracked.length).toBeGreaterThan(0);
    const everything = JSON.stringify({ runs, tracked, lines });
    expect(everything).toMatch(/Incorrect API key provided: \[redacted\]/);
    expect(everything).not.toContain(apiKey);
  });
});
