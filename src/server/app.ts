import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { identify } from './auth.ts';
import type { AppEnv, Services } from './app-env.ts';
import { errorJson, handleError, validationHook } from './errors.ts';
import { metrics } from '../ops/metrics.ts';
import { CredentialThrottle, limitPerCustomer, limitPerIp, RateLimiter } from './rate-limit.ts';
import { sanitiseRequests } from './sanitise.ts';
import { securityHeaders } from './security-headers.ts';
import { StaffAuth } from './staff-auth.ts';
import { registerAdminAnalytics } from './routes/admin/analytics.ts';
import { registerAdminConversations } from './routes/admin/conversations.ts';
import { registerAdminCustomers } from './routes/admin/customers.ts';
import { registerAdminDocuments } from './routes/admin/documents.ts';
import { registerAdminTrackedErrors } from './routes/admin/tracked-errors.ts';
import { registerAdminEval } from './routes/admin/eval.ts';
import { registerAdminFinetune } from './routes/admin/finetune.ts';
import { registerAdminInbox } from './routes/admin/inbox.ts';
import { registerAdminJobs } from './routes/admin/jobs.ts';
import { registerAdminOrders } from './routes/admin/orders.ts';
import { registerAdminProducts } from './routes/admin/products.ts';
import { registerAdminQa } from './routes/admin/qa.ts';
import { registerAdminSession } from './routes/admin/session.ts';
import { registerAdminSettings } from './routes/admin/settings.ts';
import { registerAdminSolutions } from './routes/admin/solutions.ts';
import { registerAdminSynonyms } from './routes/admin/synonyms.ts';
import { registerAdminStaffTokens } from './routes/admin/staff-tokens.ts';
import { registerChat } from './routes/chat.ts';
import { registerCompletions } from './routes/completions/index.ts';
import { identifyCompletionCaller } from './routes/completions/request.ts';
import { registerConversationContact } from './routes/conversation-contact.ts';
import { registerConversationEvents } from './routes/conversation-events.ts';
import { registerConversations } from './routes/conversations.ts';
import { registerDocs } from './routes/docs.ts';
import { registerHealth } from './routes/health.ts';
import { registerInfo } from './routes/info.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerPassages } from './routes/passages.ts';
import { registerSession } from './routes/session.ts';
import { registerWeb } from './routes/web.ts';

export type App = OpenAPIHono<AppEnv>;

export interface AppOptions {
  /** Built web assets (chat page, widget, console); without them only the APIs are served. */
  webDir?: string | undefined;
}

/** Request ids: the caller's `X-Request-Id` when it is sane, else a new one; echoed on every response. */
function requestIdOf(header: string | undefined): string {
  return header && /^[\w.-]{8,64}$/.test(header) ? header : crypto.randomUUID();
}

/** The HTTP application: middleware, then every route, registered in one list. */
export function createApp(services: Services, options: AppOptions = {}): App {
  const app: App = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limiter = new RateLimiter();
  const staffAuth = new StaffAuth(new CredentialThrottle(limiter));
  const { widgetOrigins } = services.config;

  app.use('*', async (c, next) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('services', services);
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    // The matched route pattern, not the raw path, keeps the label set small.
    const route = c.req.routePath === '/*' || !c.req.routePath ? 'unmatched' : c.req.routePath;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    services.log.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use('*', securityHeaders(widgetOrigins));
  app.onError(handleError);
  app.notFound((c) => errorJson(c, 'not_found', 'No such route.'));

  // Customer-facing APIs may be called from the sites that embed the widget.
  const publicCors = cors({
    origin: (origin) => (widgetOrigins.includes(origin) ? origin : null),
    allowHeaders: [
      'content-type',
      'authorization',
      'x-parley-visitor',
      'x-parley-customer',
      'x-parley-signature',
    ],
    exposeHeaders: [
      'x-parley-visitor',
      'x-parley-visitor-token',
      'x-parley-conversation-id',
      'x-request-id',
      'retry-after',
    ],
    maxAge: 600,
  });
  for (const path of [
    '/api/chat',
    '/api/conversations',
    '/api/conversations/*',
    '/api/feedback',
    '/api/info',
    '/api/session',
    '/api/session/*',
    '/v1/*',
  ]) {
    app.use(path, publicCors);
  }
  // JSON bodies stay small; document uploads may carry several files of the configured maximum size.
  const jsonLimit = bodyLimit({ maxSize: 1024 * 1024 });
  const uploadLimit = bodyLimit({ maxSize: services.ingest.maxFileBytes * 8 + 64 * 1024 });
  app.use('/api/*', (c, next) =>
    c.req.path === '/api/admin/documents' && c.req.method === 'POST'
      ? uploadLimit(c, next)
      : jsonLimit(c, next),
  );
  app.use('/v1/*', jsonLimit);
  // Before anything reads a body: NULs and lone surrogates never reach a route or the database.
  app.use('*', sanitiseRequests);
  // Order matters: the per-IP limit comes before the identity is checked (bad signatures count too), the
  // per-customer limit after it (it needs to know the customer).
  app.use('/api/chat', limitPerIp(limiter));
  app.use('/v1/chat/*', limitPerIp(limiter));
  const customerRoutes = ['/api/chat', '/api/conversations', '/api/conversations/*', '/api/feedback'];
  for (const path of [...customerRoutes, '/api/session', '/api/session/*']) {
    app.use(path, identify);
  }
  app.use('/v1/chat/completions', identifyCompletionCaller(staffAuth));
  app.use('/api/chat', limitPerCustomer(limiter));
  app.use('/v1/chat/*', limitPerCustomer(limiter));
  // Every admin route but the console's sign-in itself needs staff; failed tokens are throttled per address.
  app.use('/api/admin/*', async (c, next) =>
    c.req.path === '/api/admin/session' && c.req.method === 'POST' ? next() : staffAuth.require(c, next),
  );

  registerHealth(app);
  registerMetrics(app, staffAuth);
  registerInfo(app);
  registerChat(app);
  registerCompletions(app);
  registerSession(app);
  registerConversations(app);
  registerConversationEvents(app);
  registerConversationContact(app);
  registerPassages(app);
  registerAdminSession(app, staffAuth);
  registerAdminStaffTokens(app);
  registerAdminDocuments(app);
  registerAdminProducts(app);
  registerAdminCustomers(app);
  registerAdminOrders(app);
  registerAdminSolutions(app);
  registerAdminConversations(app);
  registerAdminInbox(app);
  registerAdminAnalytics(app);
  registerAdminJobs(app);
  registerAdminTrackedErrors(app);
  registerAdminSettings(app);
  registerAdminSynonyms(app);
  registerAdminQa(app);
  registerAdminFinetune(app);
  registerAdminEval(app);
  registerDocs(app, staffAuth);
  registerWeb(app, options.webDir);
  return app;
}
