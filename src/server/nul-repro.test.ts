import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chatBody, createTestServer, json, type TestServer } from '../../test/support/server-fixture.ts';

describe('repro', () => {
  let t: TestServer;
  beforeAll(async () => { t = await createTestServer('pglite'); });
  afterAll(() => t.destroy());
  it('nul', async () => {
    const r1 = await t.app.request('/api/chat', { method: 'POST', headers: json, body: chatBody('hello\u0000 pairing') });
    console.log('chat', r1.status, (await r1.text()).slice(0, 300));
    const r1b = await t.app.request('/api/chat', { method: 'POST', headers: json, body: chatBody('pair \ud800 earbuds') });
    console.log('chat-sur', r1b.status, (await r1b.text()).slice(-600));
    const r2 = await t.app.request('/v1/chat/completions', { method: 'POST', headers: json, body: JSON.stringify({ model: 'parley', messages: [{ role: 'user', content: 'hi\u0000' }] }) });
    console.log('v1', r2.status, (await r2.text()).slice(0, 300));
    const r3 = await t.app.request('/api/admin/products/SKU1', { method: 'PUT', headers: { ...json, ...t.staff }, body: JSON.stringify({ name: 'x\u0000', description: 'd', price: 1 }) });
    console.log('admin', r3.status, (await r3.text()).slice(0, 300));
    const r4 = await t.app.request('/api/admin/tokens', { method: 'POST', headers: { ...json, ...t.staff }, body: JSON.stringify({ name: 'x\u0000' }) });
    console.log('tokens', r4.status, (await r4.text()).slice(0, 300));
    const fd = new FormData();
    fd.append('files', new Blob(['# Title\n\n' + 'word '.repeat(3000) + '\u0000 end']), 'late.md');
    const r5 = await t.app.request('/api/admin/documents', { method: 'POST', headers: t.staff, body: fd });
    const t5 = await r5.text();
    console.log('upload', r5.status, t5.length, t5.slice(0, 300));
  });
});
