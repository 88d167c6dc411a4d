import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatBody,
  createTestServer,
  json,
  readUIStream,
  type TestServer,
} from '../../test/support/server-fixture.ts';

/** Parses Prometheus text exposition format strictly enough to catch a malformed line (NaN in any case, as Prometheus reads it). */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)( \d+)?$/.exec(
        line,
      );
    expect(sample, `not a Prometheus sample line: ${line}`).not.toBeNull();
    samples.set(`${sample![1]}${sample![2] ?? ''}`, Number(sample![3]));
  }
  expect(types.size).toBeGreaterThan(5);
  return samples;
}

const sum = (samples: Map<string, number>, prefix: string) =>
  [...samples].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);

const metricsToken = 'test-metrics-token-0123456789';

describe('GET /metrics', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer('pglite', { PARLEY_METRICS_TOKEN: metricsToken });
  });
  afterAll(() => t.destroy());

  const scrape = async () => {
    const res = await t.app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(200);
    return parsePrometheus(await res.text());
  };

  it('is read only with the metrics token or a staff token', async () => {
    expect((await t.app.request('/metrics')).status).toBe(401);
    const wrong = await t.app.request('/metrics', {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
    });
    expect(wrong.status).toBe(401);
    expect((await t.app.request('/metrics', { headers: t.staff })).status).toBe(200);
    expect((await scrape()).size).toBeGreaterThan(0);
  });

  it('parses as Prometheus text and its counters move with traffic', async () => {
    const before = await scrape();
    await readUIStream(
      await t.app.request('/api/chat', {
        method: 'POST',
        headers: json,
        body: chatBody('My earbuds will not pair'),
      }),
    );
    await t.app.request('/api/chat', { method: 'POST', headers: json, body: '{' });
    const after = await scrape();
    expect(sum(after, 'parley_http_requests_total{method="POST",route="/api/chat",status="200"}')).toBe(
      sum(before, 'parley_http_requests_total{method="POST",route="/api/chat",status="200"}') + 1,
    );
    expect(sum(after, 'parley_http_requests_total{method="POST",route="/api/chat",status="400"}')).toBe(
      sum(before, 'parley_http_requests_total{method="POST",route="/api/chat",status="400"}') + 1,
    );
    expect(sum(after, 'parley_agent_turns_total{outcome="answered"')).toBe(
      sum(before, 'parley_agent_turns_total{outcome="answered"') + 1,
    );
    expect(sum(after, 'parley_tool_calls_total{tool="search_knowledge"}')).toBeGreaterThan(
      sum(before, 'parley_tool_calls_total{tool="search_knowledge"}'),
    );
    expect(sum(after, 'parley_model_tokens_total')).toBeGreaterThan(sum(before, 'parley_model_tokens_total'));
    expect(sum(after, 'parley_retrieval_duration_seconds_count')).toBeGreaterThan(
      sum(before, 'parley_retrieval_duration_seconds_count'),
    );
    expect([...after.keys()].some((k) => k.startsWith('parley_jobs{'))).toBe(true);
    expect([...after.keys()].some((k) => k.startsWith('parley_process_'))).toBe(true);
  });

  it('records unexpected errors for tracking and answers with a generic 500', async () => {
    const failing = await createTestServer('pglite', {}, {});
    const before = await (await failing.app.request('/metrics', { headers: failing.staff })).text();
    // Break the database under the app: the next query fails unexpectedly.
    await failing.database.db.execute('DROP TABLE products CASCADE' as never);
    const res = await failing.app.request('/api/admin/products', { headers: failing.staff });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; message: string; requestId: string };
    expect(body.code).toBe('internal_error');
    expect(body.message).not.toMatch(/products|relation|SQL/i);
    const errors = (await (
      await failing.app.request('/api/admin/errors', { headers: failing.staff })
    ).json()) as {
      errors: { message: string; sampleRequestId: string; count: number }[];
    };
    expect(errors.errors[0]!.sampleRequestId).toBe(body.requestId);
    const after = await (await failing.app.request('/metrics', { headers: failing.staff })).text();
    expect(sum(parsePrometheus(after), 'parley_errors_total{source="request"}')).toBe(
      sum(parsePrometheus(before), 'parley_errors_total{source="request"}') + 1,
    );
    await failing.destroy();
  });
});
