import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { createTestServer, json, readUIStream, type TestServer } from '../../test/support/server-fixture.ts';
import { wellFormedJson, wellFormedText } from '../contracts/well-formed.ts';
import {
  conversations,
  documentVersionTexts,
  feedback,
  messages,
  products,
  staffTokens,
} from '../db/schema/index.ts';

const nul = '\u0000';
const loneHigh = '\uD83D';

describe('well-formed text', () => {
  it('drops NULs and replaces lone surrogates, keeping pairs', () => {
    expect(wellFormedText(`a${nul}b${loneHigh}c\uDC00d😀`)).toBe('ab\uFFFDc\uFFFDd😀');
    expect(wellFormedJson({ [`k${nul}`]: [`v${nul}`, 1, null, { x: loneHigh }] })).toEqual({
      k: ['v', 1, null, { x: '\uFFFD' }],
    });
  });
});

describe.each(backends)('NUL characters and lone surrogates in requests (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t.destroy());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.request(path, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
  const stored = (id: string) =>
    t.database.db.select().from(messages).where(eq(messages.conversationId, id)).orderBy(messages.createdAt);

  it('answers a chat message holding a NUL, storing the question and the answer', async () => {
    const id = crypto.randomUUID();
    const res = await t.chat(`How do I pair${nul} my earbuds?`, { conversationId: id });
    expect(res.status).toBe(200);
    const chunks = await readUIStream(res);
    expect(chunks.at(-1)).toMatchObject({ type: 'finish' });
    expect(chunks.at(-1)!.finishReason).not.toBe('error');
    const rows = await stored(id);
    expect(rows.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(rows[0]!.content).toBe('How do I pair my earbuds?');
  });

  it('stores the answer to a message holding a lone surrogate', async () => {
    const id = crypto.randomUUID();
    const res = await t.chat(`My earbuds ${loneHigh} will not pair`, { conversationId: id });
    const chunks = await readUIStream(res);
    expect(chunks.at(-1)!.finishReason).not.toBe('error');
    const rows = await stored(id);
    expect(rows.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(rows[0]!.content).toBe('My earbuds \uFFFD will not pair');
    expect(rows[1]!.content.length).toBeGreaterThan(0);
  });

  it('answers /v1/chat/completions, feedback and hand-off with a NUL, and leaves no empty conversation', async () => {
    const completion = await post('/v1/chat/completions', {
      model: 'parley',
      messages: [{ role: 'user', content: `How long is the warranty?${nul}` }],
    });
    expect(completion.status).toBe(200);

    const headers = t.customer('cus_b27x4d');
    const id = crypto.randomUUID();
    const chunks = await readUIStream(
      await t.chat('How do I return my earbuds?', { conversationId: id, headers }),
    );
    const messageId = (chunks.at(-1)!.messageMetadata as { messageId: string }).messageId;
    const rated = await post(
      '/api/feedback',
      { messageId, rating: 'down', reason: `Too${nul} vague` },
      headers,
    );
    expect(rated.status).toBe(200);
    const [row] = await t.database.db.select().from(feedback).where(eq(feedback.messageId, messageId));
    expect(row!.reason).toBe('Too vague');
    const handoff = await post(
      `/api/conversations/${id}/handoff`,
      { reason: `A person${nul} please` },
      headers,
    );
    expect(handoff.status).toBe(200);

    const all = await t.database.db.select({ id: conversations.id }).from(conversations);
    for (const conversation of all) expect((await stored(conversation.id)).length).toBeGreaterThan(0);
  });

  it('takes NULs in admin writes, and refuses one in the address', async () => {
    const saved = await t.app.request('/api/admin/products/NUL-1', {
      method: 'PUT',
      headers: { ...json, ...t.staff },
      body: JSON.stringify({ name: `Hub${nul} mini`, description: `Small${nul}`, price: 10 }),
    });
    expect(saved.status).toBe(200);
    const [product] = await t.database.db.select().from(products).where(eq(products.sku, 'NUL-1'));
    expect(product!.name).toBe('Hub mini');
    const token = await post('/api/admin/tokens', { name: `ops${nul}` }, t.staff);
    expect(token.status).toBeLessThan(500);
    const names = (await t.database.db.select({ name: staffTokens.name }).from(staffTokens)).map(
      (r) => r.name,
    );
    expect(names.some((n) => n.includes(nul))).toBe(false);

    const inPath = await t.app.request('/api/admin/products/NUL%00', { headers: t.staff });
    expect(inPath.status).toBe(400);
    expect(await inPath.json()).toMatchObject({ code: 'invalid_request' });
    const malformed = await t.app.request('/api/chat', {
      method: 'POST',
      headers: json,
      body: '{"messages": [',
    });
    expect(malformed.status).toBe(400);
  });

  it('ingests an upload with a late NUL, or refuses it with a short message that quotes nothing', async () => {
    const form = new FormData();
    const text = `# Cleaning the case\n\n${'Wipe the case with a dry cloth. '.repeat(500)}${nul} The end.`;
    form.append('files', new Blob([text]), `cleaning${nul}.md`);
    const res = await t.app.request('/api/admin/documents', { method: 'POST', headers: t.staff, body: form });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.length).toBeLessThan(1000);
    expect(body).not.toMatch(/insert into|Wipe the case/i);
    const { results } = JSON.parse(body) as { results: { status: string }[] };
    expect(results[0]!.status).toBe('created');
    const versions = await t.database.db
      .select({ text: documentVersionTexts.text })
      .from(documentVersionTexts);
    expect(versions.some((v) => v.text.includes('The end.') && !v.text.includes(nul))).toBe(true);
  });
});
