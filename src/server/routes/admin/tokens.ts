import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { staffTokens } from '../../../db/schema/index.ts';
import type { App } from '../../app.ts';
import { createStaffToken } from '../../auth.ts';
import { errorResponses, notFound } from '../../errors.ts';

const TokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('StaffToken');

const list = createRoute({
  method: 'get',
  path: '/api/admin/tokens',
  tags: ['Admin: tokens'],
  summary: 'Staff API tokens (never the tokens themselves)',
  responses: {
    200: {
      description: 'Tokens',
      content: { 'application/json': { schema: z.object({ tokens: z.array(TokenView) }) } },
    },
    ...errorResponses,
  },
});

const create = createRoute({
  method: 'post',
  path: '/api/admin/tokens',
  tags: ['Admin: tokens'],
  summary: 'Create a staff token; it is shown once',
  request: {
    body: {
      content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(100) }) } },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'Created',
      content: { 'application/json': { schema: z.object({ id: z.string(), token: z.string() }) } },
    },
    ...errorResponses,
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/admin/tokens/{id}',
  tags: ['Admin: tokens'],
  summary: 'Revoke a staff token',
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: {
      description: 'Revoked',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function registerAdminTokens(app: App): void {
  app.openapi(list, async (c) => {
    const rows = await c.get('services').db.select().from(staffTokens).orderBy(desc(staffTokens.createdAt));
    return c.json(
      {
        tokens: rows.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: iso(t.lastUsedAt),
          revokedAt: iso(t.revokedAt),
        })),
      },
      200,
    );
  });
  app.openapi(create, async (c) =>
    c.json(await createStaffToken(c.get('services').db, c.req.valid('json').name), 200),
  );
  app.openapi(revoke, async (c) => {
    const rows = await c
      .get('services')
      .db.update(staffTokens)
      .set({ revokedAt: new Date() })
      .where(eq(staffTokens.id, c.req.valid('param').id))
      .returning({ id: staffTokens.id });
    if (rows.length === 0) throw notFound('Token');
    return c.json({ ok: true as const }, 200);
  });
}
