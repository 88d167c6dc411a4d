import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, documents, solutions } from '../db/schema/index.ts';
import { recordError } from '../ops/error-tracking.ts';
import { backends } from '../../test/support/databases.ts';
import { createTestServer, json, readUIStream, type TestServer } from '../../test/support/server-fixture.ts';

interface Case {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  /** A request the route must refuse with 400. */
  invalid?: { path?: () => string; body?: unknown };
  check?: (body: Record<string, unknown>) => void;
}

describe.each(backends)('admin API (%s)', (backend) => {
  let t: TestServer;
  let documentId: string;
  let conversationId: string;
  let solutionId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestServer(backend);
    const [doc] = await t.database.db
      .select()
      .from(documents)
      .where(eq(documents.title, 'Returns and refunds'));
    documentId = doc!.id;
    conversationId = crypto.randomUUID();
    await readUIStream(
      await t.chat('My earbuds will not pair', { conversationId, headers: t.customer('cus_a1f93k') }),
    );
    customerId = (
      await t.database.db.select().from(conversations).where(eq(conversations.id, conversationId))
    )[0]!.customerId!;
  });
  afterAll(() => t.destroy());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method,
      headers: { ...json, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const cases: Case[] = [
    {
      name: 'list documents',
      method: 'GET',
      path: () => '/api/admin/documents',
      invalid: { path: () => '/api/admin/documents?retired=maybe' },
      check: (b) => expect((b.documents as unknown[]).length).toBe(3),
    },
    {
      name: 'retrieval preview',
      method: 'POST',
      path: () => '/api/admin/documents/search',
      body: () => ({ query: 'refund card days' }),
      invalid: { body: { query: '' } },
      check: (b) => expect((b.hits as { title: string }[])[0]!.title).toBe('Returns and refunds'),
    },
    {
      name: 'document versions',
      method: 'GET',
      path: () => `/api/admin/documents/${documentId}/versions`,
      invalid: { path: () => '/api/admin/documents/nope/versions' },
      check: (b) => {
        expect((b.versions as unknown[]).length).toBe(1);
        expect(b.document).toMatchObject({ format: 'markdown', kind: 'policy' });
      },
    },
    {
      name: 'document diff',
      method: 'GET',
      path: () => `/api/admin/documents/${documentId}/diff?from=1&to=1`,
      invalid: { path: () => `/api/admin/documents/${documentId}/diff?from=zero&to=1` },
    },
    {
      name: 'rollback',
      method: 'POST',
      path: () => `/api/admin/documents/${documentId}/rollback`,
      body: () => ({ version: 1 }),
      invalid: { body: { version: 'latest' } },
      check: (b) => expect(b.current).toBe(true),
    },
    {
      name: 'products',
      method: 'GET',
      path: () => '/api/admin/products?q=earbuds',
      invalid: { path: () => '/api/admin/products?limit=0' },
      check: (b) => expect((b.products as unknown[]).length).toBeGreaterThan(0),
    },
    {
      name: 'upsert product',
      method: 'PUT',
      path: () => '/api/admin/products/KE-TEST-1',
      body: () => ({ name: 'Test cable', description: 'A cable', price: 9.5 }),
      invalid: { body: { name: '' } },
      check: (b) => expect(b).toMatchObject({ sku: 'KE-TEST-1', price: 9.5 }),
    },
    { name: 'product', method: 'GET', path: () => '/api/admin/products/KE-TEST-1' },
    {
      name: 'customers',
      method: 'GET',
      path: () => '/api/admin/customers?q=maya',
      invalid: { path: () => '/api/admin/customers?offset=-1' },
      check: (b) => expect((b.customers as { name: string }[])[0]!.name).toBe('Maya Okonkwo'),
    },
    {
      name: 'customer',
      method: 'GET',
      path: () => `/api/admin/customers/${customerId}`,
      invalid: { path: () => '/api/admin/customers/42' },
      check: (b) => expect((b.orders as unknown[]).length).toBeGreaterThan(0),
    },
    {
      name: 'orders',
      method: 'GET',
      path: () => `/api/admin/orders?customerId=${customerId}`,
      invalid: { path: () => '/api/admin/orders?customerId=x' },
      check: (b) => expect((b.orders as unknown[]).length).toBeGreaterThan(0),
    },
    {
      name: 'order',
      method: 'GET',
      path: () => '/api/admin/orders/KE-100118',
      check: (b) => expect(b.status).toBe('delivered'),
    },
    {
      name: 'conversations',
      method: 'GET',
      path: () => '/api/admin/conversations',
      invalid: { path: () => '/api/admin/conversations?status=lost' },
      check: (b) => expect((b.conversations as { id: string }[]).map((c) => c.id)).toContain(conversationId),
    },
    {
      name: 'transcript',
      method: 'GET',
      path: () => `/api/admin/conversations/${conversationId}`,
      invalid: { path: () => '/api/admin/conversations/abc' },
      check: (b) => {
        const assistant = (b.messages as { role: string; toolCalls: { name: string }[] }[]).find(
          (m) => m.role === 'assistant',
        )!;
        expect(assistant.toolCalls.map((c) => c.name)).toContain('search_knowledge');
      },
    },
    {
      name: 'resolve',
      method: 'POST',
      path: () => `/api/admin/conversations/${conversationId}/resolve`,
      invalid: { path: () => '/api/admin/conversations/abc/resolve' },
      check: (b) => {
        expect(b.status).toBe('resolved');
        solutionId = b.solutionId as string;
        expect(solutionId).toBeTruthy();
      },
    },
    {
      name: 'solutions queue',
      method: 'GET',
      path: () => '/api/admin/solutions?status=suggested',
      invalid: { path: () => '/api/admin/solutions?status=maybe' },
      check: (b) => expect((b.solutions as { id: string }[]).map((s) => s.id)).toContain(solutionId),
    },
    {
      name: 'solution',
      method: 'GET',
      path: () => `/api/admin/solutions/${solutionId}`,
      invalid: { path: () => '/api/admin/solutions/nope' },
      check: (b) => expect(b.status).toBe('suggested'),
    },
    {
      name: 'edit solution',
      method: 'PATCH',
      path: () => `/api/admin/solutions/${solutionId}`,
      body: () => ({ resolution: 'Reset the case: hold the button for 10 seconds, then pair again.' }),
      invalid: { body: { problem: '' } },
    },
    {
      name: 'approve solution',
      method: 'POST',
      path: () => `/api/admin/solutions/${solutionId}/approve`,
      body: () => ({}),
      invalid: { body: { resolution: '' } },
      check: (b) => expect(b.status).toBe('approved'),
    },
    {
      name: 'reject solution',
      method: 'POST',
      path: () => `/api/admin/solutions/${solutionId}/reject`,
      invalid: { path: () => '/api/admin/solutions/zzz/reject' },
      check: (b) => expect(b.status).toBe('rejected'),
    },
    {
      name: 'feedback',
      method: 'GET',
      path: () => '/api/admin/feedback',
      invalid: { path: () => '/api/admin/feedback?limit=100000' },
    },
    {
      name: 'analytics',
      method: 'GET',
      path: () => '/api/admin/analytics?days=7',
      invalid: { path: () => '/api/admin/analytics?days=0' },
      check: (b) => {
        expect((b.totals as { conversations: number }).conversations).toBeGreaterThanOrEqual(1);
        expect((b.latency as { p50: number }).p50).toBeGreaterThanOrEqual(0);
        expect((b.topQuestions as { question: string }[])[0]!.question).toMatch(/pair/);
      },
    },
    {
      name: 'settings',
      method: 'GET',
      path: () => '/api/admin/settings',
      check: (b) => expect(b.runtime).toMatchObject({ offline: true, embedder: 'local:hash-v1' }),
    },
    {
      name: 'company profile',
      method: 'PUT',
      path: () => '/api/admin/settings/company',
      body: () => ({ name: 'Kestrel', tone: 'Warm.' }),
      invalid: { body: { tone: 'no name' } },
    },
    { name: 'tokens', method: 'GET', path: () => '/api/admin/tokens' },
    {
      name: 'create token',
      method: 'POST',
      path: () => '/api/admin/tokens',
      body: () => ({ name: 'ci' }),
      invalid: { body: { name: '' } },
      check: (b) => expect(b.token).toMatch(/^ptk_/),
    },
    {
      name: 'import products',
      method: 'POST',
      path: () => '/api/admin/import/products',
      invalid: { path: () => '/api/admin/import/planets' },
    },
    {
      name: 'jobs',
      method: 'GET',
      path: () => '/api/admin/jobs',
      invalid: { path: () => '/api/admin/jobs?failures=-1' },
      check: (b) => expect(b.queues).toBeInstanceOf(Array),
    },
    {
      name: 'errors',
      method: 'GET',
      path: () => '/api/admin/errors?status=open',
      invalid: { path: () => '/api/admin/errors?status=maybe' },
      check: (b) => expect(b.errors).toBeInstanceOf(Array),
    },
    {
      name: 'session',
      method: 'GET',
      path: () => '/api/admin/session',
      check: (b) => expect(b.name).toBe('tests'),
    },
  ];

  for (const c of cases) {
    describe(c.name, () => {
      it('refuses callers without a staff token', async () => {
        const anon = await call(c.method, c.path(), c.body?.());
        expect(anon.status).toBe(401);
        expect(await anon.json()).toMatchObject({ code: 'unauthorized' });
        const customer = await call(c.method, c.path(), c.body?.(), t.customer('cus_a1f93k'));
        expect(customer.status).toBe(401);
      });
      it('succeeds for staff', async () => {
        const res =
          c.name === 'import products'
            ? await t.app.request(c.path(), {
                method: 'POST',
                headers: { ...t.staff, 'content-type': 'application/x-ndjson' },
                body: '{"sku":"KE-IMP-1","name":"Imported speaker","price":20}\n',
              })
            : await call(c.method, c.path(), c.body?.(), t.staff);
        expect(res.status, await res.clone().text()).toBe(200);
        c.check?.((await res.json()) as Record<string, unknown>);
      });
      if (c.invalid) {
        it('rejects an invalid request', async () => {
          const res = await call(
            c.method,
            (c.invalid!.path ?? c.path)(),
            c.invalid!.body ?? c.body?.(),
            t.staff,
          );
          expect(res.status).toBe(400);
          expect(await res.json()).toMatchObject({ code: 'invalid_request' });
        });
      }
    });
  }

  it('answers 404 for conversations, solutions, documents and errors that do not exist', async () => {
    const missing = crypto.randomUUID();
    const requests: [string, string, unknown?][] = [
      ['GET', `/api/admin/conversations/${missing}`],
      ['POST', `/api/admin/conversations/${missing}/resolve`],
      ['GET', `/api/admin/solutions/${missing}`],
      ['PATCH', `/api/admin/solutions/${missing}`, { problem: 'Nothing' }],
      ['POST', `/api/admin/solutions/${missing}/approve`, {}],
      ['POST', `/api/admin/solutions/${missing}/reject`],
      ['GET', `/api/admin/documents/${missing}/versions`],
      ['POST', `/api/admin/errors/${missing}/resolve`],
    ];
    for (const [method, path, body] of requests) {
      const res = await call(method, path, body, t.staff);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it('lists tracked errors and marks one resolved', async () => {
    await recordError(t.database.db, new Error('admin test failure'), { source: 'request' });
    const listed = await call('GET', '/api/admin/errors?status=open', undefined, t.staff);
    const { errors } = (await listed.json()) as { errors: { id: string; message: string }[] };
    const tracked = errors.find((e) => e.message.includes('admin test failure'))!;
    const resolved = await call('POST', `/api/admin/errors/${tracked.id}/resolve`, undefined, t.staff);
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ id: tracked.id, status: 'resolved' });
  });

  it('uploads documents by multipart, indexes them, and a bad file fails alone', async () => {
    const form = new FormData();
    form.append(
      'files',
      new File(['# Gift cards\n\nGift cards never expire and can be used online.'], 'gift-cards.md'),
    );
    form.append(
      'files',
      new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x00, 0xff])], 'broken.pdf'),
    );
    const res = await t.app.request('/api/admin/documents', { method: 'POST', headers: t.staff, body: form });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as {
      results: { source: string; status: string; error?: { code: string } }[];
    };
    expect(results[0]).toMatchObject({ source: 'upload://gift-cards.md', status: 'created' });
    expect(results[1]!.status).toBe('failed');
    expect(results[1]!.error?.code).toBeTruthy();
    const [broken] = await t.database.db
      .select()
      .from(documents)
      .where(eq(documents.source, 'upload://broken.pdf'));
    expect(broken).toBeUndefined();
    const search = await call(
      'POST',
      '/api/admin/documents/search',
      { query: 'do gift cards expire' },
      t.staff,
    );
    expect(((await search.json()) as { hits: { source: string }[] }).hits[0]!.source).toBe(
      'upload://gift-cards.md',
    );
    // No files, and files over the size limit, are refused.
    const empty = await t.app.request('/api/admin/documents', {
      method: 'POST',
      headers: t.staff,
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    const big = new FormData();
    big.append('files', new File([new Uint8Array(2 * 1024 * 1024)], 'big.md'));
    const tooBig = await t.app.request('/api/admin/documents', {
      method: 'POST',
      headers: t.staff,
      body: big,
    });
    expect(tooBig.status).toBe(413);
  });

  it('retires a document so search no longer finds it', async () => {
    const [doc] = await t.database.db
      .select()
      .from(documents)
      .where(eq(documents.source, 'upload://gift-cards.md'));
    const res = await call('DELETE', `/api/admin/documents/${doc!.id}`, undefined, t.staff);
    expect(res.status).toBe(200);
    const search = await call(
      'POST',
      '/api/admin/documents/search',
      { query: 'do gift cards expire' },
      t.staff,
    );
    const hits = ((await search.json()) as { hits: { source: string }[] }).hits;
    expect(hits.map((h) => h.source)).not.toContain('upload://gift-cards.md');
    expect(
      (await call('DELETE', `/api/admin/documents/${crypto.randomUUID()}`, undefined, t.staff)).status,
    ).toBe(404);
  });

  it('signs staff in to the console with a cookie, refuses cross-site writes, and revokes tokens', async () => {
    const bad = await call('POST', '/api/admin/session', { token: 'ptk_wrong' });
    expect(bad.status).toBe(401);
    const login = await call('POST', '/api/admin/session', { token: t.staffToken });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/parley_staff=.*HttpOnly.*SameSite=Strict/i);
    const session = { cookie: cookie.split(';')[0]! };
    expect((await call('GET', '/api/admin/documents', undefined, session)).status).toBe(200);
    const crossSite = await call(
      'POST',
      '/api/admin/tokens',
      { name: 'x' },
      { ...session, origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    const created = (await (await call('POST', '/api/admin/tokens', { name: 'temp' }, t.staff)).json()) as {
      id: string;
      token: string;
    };
    const temp = { authorization: `Bearer ${created.token}` };
    expect((await call('GET', '/api/admin/tokens', undefined, temp)).status).toBe(200);
    expect((await call('DELETE', `/api/admin/tokens/${created.id}`, undefined, t.staff)).status).toBe(200);
    expect((await call('GET', '/api/admin/tokens', undefined, temp)).status).toBe(401);
    // The configured PARLEY_ADMIN_TOKEN works too.
    expect(
      (
        await call('GET', '/api/admin/tokens', undefined, {
          authorization: `Bearer ${t.config.server.adminToken}`,
        })
      ).status,
    ).toBe(200);
  });

  it('applies a failed import all or nothing', async () => {
    const res = await t.app.request('/api/admin/import/products', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'application/x-ndjson' },
      body: '{"sku":"KE-OK-1","name":"Fine"}\n{"sku":\n',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_import' });
    expect((await call('GET', '/api/admin/products/KE-OK-1', undefined, t.staff)).status).toBe(404);
  });

  it('refuses an empty import, deletes products, and answers 404 for what does not exist', async () => {
    const empty = await t.app.request('/api/admin/import/orders', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'application/x-ndjson' },
      body: '\n \n',
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 'invalid_request' });

    await call('PUT', '/api/admin/products/KE-GONE-1', { name: 'Short-lived' }, t.staff);
    expect((await call('DELETE', '/api/admin/products/KE-GONE-1', undefined, t.staff)).status).toBe(200);
    for (const [method, path] of [
      ['DELETE', '/api/admin/products/KE-GONE-1'],
      ['GET', '/api/admin/products/KE-GONE-1'],
      ['GET', '/api/admin/orders/KE-000000'],
      ['GET', `/api/admin/customers/${crypto.randomUUID()}`],
      ['DELETE', `/api/admin/tokens/${crypto.randomUUID()}`],
    ] as const) {
      const res = await call(method, path, undefined, t.staff);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it("shows a customer's conversations on their page", async () => {
    const res = await call('GET', `/api/admin/customers/${customerId}`, undefined, t.staff);
    const detail = (await res.json()) as { conversations: { id: string; messages: number }[] };
    expect(detail.conversations.find((c) => c.id === conversationId)).toMatchObject({ messages: 2 });
  });

  it('keeps solutions and their embedding consistent when approved', async () => {
    const [row] = await t.database.db.select().from(solutions).where(eq(solutions.id, solutionId));
    expect(row!.status).toBe('rejected');
    expect(row!.embedding).toBeNull();
  });
});
