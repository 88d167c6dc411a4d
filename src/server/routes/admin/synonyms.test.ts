import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, json, type TestServer } from '../../../../test/support/server-fixture.ts';

describe('admin synonyms API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer('pglite');
  });
  afterAll(() => t.destroy());

  const call = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.request('/api/admin/synonyms', {
      method,
      headers: { ...json, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('starts empty, saves groups cleaned, and reads them back', async () => {
    expect(await (await call('GET', undefined, t.staff)).json()).toEqual({ groups: [], updatedAt: null });
    const saved = await call('PUT', { groups: [['Plus Plan', 'premium  plan', 'plus plan']] }, t.staff);
    expect(saved.status).toBe(200);
    const body = (await (await call('GET', undefined, t.staff)).json()) as { groups: string[][] };
    expect(body.groups).toEqual([['plus plan', 'premium plan']]);
  });

  it('refuses a group of one wording', async () => {
    expect((await call('PUT', { groups: [['alone']] }, t.staff)).status).toBe(400);
  });

  it('refuses callers without a staff token', async () => {
    expect((await call('GET')).status).toBe(401);
    expect((await call('PUT', { groups: [] })).status).toBe(401);
  });
});
