import { createRoute } from '@hono/zod-openapi';
import { IdParam, Ok } from '../../../contracts/primitives.ts';
import { CreatedStaffToken, StaffTokenInput, StaffTokenList } from '../../../contracts/staff-tokens.ts';
import { createStaffToken, listStaffTokens, revokeStaffToken } from '../../../support/staff-tokens.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: tokens'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/tokens',
  tags,
  summary: 'Staff API tokens (never the tokens themselves)',
  responses: jsonResponse(StaffTokenList, 'Tokens'),
});

const create = createRoute({
  method: 'post',
  path: '/api/admin/tokens',
  tags,
  summary: 'Create a staff token; it is shown once',
  request: { body: jsonBody(StaffTokenInput) },
  responses: jsonResponse(CreatedStaffToken, 'Created'),
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/admin/tokens/{id}',
  tags,
  summary: 'Revoke a staff token',
  request: { params: IdParam },
  responses: jsonResponse(Ok, 'Revoked'),
});

export function registerAdminStaffTokens(app: App): void {
  app.openapi(list, async (c) => c.json({ tokens: await listStaffTokens(c.get('services').db) }, 200));
  app.openapi(create, async (c) =>
    c.json(await createStaffToken(c.get('services').db, c.req.valid('json').name), 200),
  );
  app.openapi(revoke, async (c) => {
    if (!(await revokeStaffToken(c.get('services').db, c.req.valid('param').id))) throw notFound('Token');
    return c.json({ ok: true as const }, 200);
  });
}
