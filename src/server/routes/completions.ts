import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { runTurn, startTurn, type TurnResult } from '../../agent/agent.ts';
import { customers } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import type { Identity } from '../../support/identity.ts';
import type { App } from '../app.ts';
import { resolveIdentity, verifyStaffToken } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { conversationFor, identityHeaders, trackInflight } from './chat.ts';
import { citationTitle, citationUrl } from '../chat-protocol.ts';

export const modelName = 'parley';

const ContentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

const CompletionRequest = z
  .object({
    model: z.string().max(100),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
          })
          .passthrough(),
      )
      .min(1)
      .max(500),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().optional(),
    user: z.string().max(200).optional(),
    conversation_id: z
      .string()
      .optional()
      .openapi({ description: 'Parley extension: continue this conversation' }),
  })
  .passthrough()
  .openapi('ChatCompletionRequest');

const CitationOut = z.object({
  source: z.string(),
  url: z.string(),
  title: z.string(),
  document_id: z.string(),
  version_id: z.string(),
  chunk_id: z.string(),
});

const CompletionResponse = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number(),
        message: z.object({ role: z.literal('assistant'), content: z.string() }),
        finish_reason: z.string(),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
    conversation_id: z.string(),
    citations: z.array(CitationOut),
    escalated: z.boolean(),
  })
  .openapi('ChatCompletion');

const completionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['OpenAI-compatible'],
  summary: 'OpenAI-compatible chat completion (model "parley"), streaming or not',
  description:
    'Parley answers the last user message. Continue a conversation with `conversation_id` (returned in every ' +
    'response and in the `x-parley-conversation-id` header). Citations travel in `citations`. The bearer ' +
    'token may be a customer JWT (that customer), a staff token (acting for the customer whose external id is ' +
    'in `user`, or anonymously), or anything else for an anonymous visitor.',
  request: { body: { content: { 'application/json': { schema: CompletionRequest } }, required: true } },
  responses: {
    200: {
      description: 'A chat completion, or with `stream: true` a stream of chat.completion.chunk events',
      content: { 'application/json': { schema: CompletionResponse } },
    },
    ...errorResponses,
  },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['OpenAI-compatible'],
  summary: 'The models this endpoint serves: one, "parley"',
  responses: {
    200: {
      description: 'Model list',
      content: {
        'application/json': {
          schema: z.object({
            object: z.literal('list'),
            data: z.array(
              z.object({
                id: z.string(),
                object: z.literal('model'),
                created: z.number(),
                owned_by: z.string(),
              }),
            ),
          }),
        },
      },
    },
  },
});

/**
 * The caller of the OpenAI-compatible API. A staff token may act for a customer named in `user` (a server-side
 * integration that has already authenticated its user); a customer JWT is that customer; anything else is an
 * anonymous visitor, so an OpenAI client with any key works for public questions.
 */
async function apiIdentity(c: Context<AppEnv>, user: string | undefined): Promise<Identity> {
  const { db, config } = c.get('services');
  const token = c.req
    .header('authorization')
    ?.replace(/^bearer\s+/i, '')
    .trim();
  if (token && (token.startsWith('ptk_') || token === config.adminToken)) {
    const staff = await verifyStaffToken(db, config.adminToken, token);
    if (!staff) throw new ApiError('unauthorized', 'The staff token is not valid.');
    if (user) {
      const [row] = await db.select().from(customers).where(eq(customers.externalId, user));
      if (!row) throw new ApiError('customer_not_found', 'No customer has that external id.');
      return { kind: 'customer', customerId: row.id, externalId: row.externalId, name: row.name };
    }
  }
  return resolveIdentity(c);
}

function messageText(content: z.infer<typeof CompletionRequest>['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((p) => (p.type === 'text' && p.text ? [p.text] : [])).join('\n');
}

function citationsOut(result: TurnResult) {
  return result.citations.map((c) => ({
    source: c.source,
    url: citationUrl(c),
    title: citationTitle(c),
    document_id: c.documentId,
    version_id: c.versionId,
    chunk_id: c.chunkId,
  }));
}

function usageOut(result: TurnResult) {
  const { inputTokens, outputTokens } = result.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

export function registerCompletions(app: App): void {
  app.openapi(modelsRoute, (c) =>
    c.json(
      {
        object: 'list' as const,
        data: [{ id: modelName, object: 'model' as const, created: 1_700_000_000, owned_by: 'parley' }],
      },
      200,
    ),
  );

  app.openapi(completionsRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.model !== modelName) {
      throw new ApiError('model_not_found', `This server serves one model, "${modelName}".`);
    }
    const last = [...body.messages].reverse().find((m) => m.role === 'user');
    if (!last) throw new ApiError('invalid_request', 'There is no user message.');
    const { db, agent, inflight } = c.get('services');
    const identity = await apiIdentity(c, body.user);
    const target = await conversationFor(db, identity, body.conversation_id);
    if (body.conversation_id && !target.conversationId) {
      throw new ApiError('conversation_not_found', 'No such conversation.');
    }
    const input = { identity, message: messageText(last.content), channel: 'api' as const, ...target };
    const id = `chatcmpl-${crypto.randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) {
      const result = await runTurn(agent, input);
      for (const [k, v] of Object.entries(identityHeaders(identity, result.conversationId))) c.header(k, v);
      return c.json(
        {
          id,
          object: 'chat.completion' as const,
          created,
          model: modelName,
          choices: [
            {
              index: 0,
              message: { role: 'assistant' as const, content: result.answer },
              finish_reason: 'stop',
            },
          ],
          usage: usageOut(result),
          conversation_id: result.conversationId,
          citations: citationsOut(result),
          escalated: result.escalated,
        },
        200,
      );
    }

    const turn = await startTurn(agent, input);
    trackInflight(inflight, turn.done);
    for (const [k, v] of Object.entries(identityHeaders(identity, turn.conversationId))) c.header(k, v);
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: modelName,
        choices: [{ index: 0, delta, finish_reason: finish }],
        conversation_id: turn.conversationId,
        ...extra,
      });
    // The route's typed 200 is the JSON completion; the streamed variant is a plain SSE response.
    const streamed: Response = streamSSE(c, async (sse) => {
      await sse.writeSSE({ data: chunk({ role: 'assistant', content: '' }, null) });
      for await (const part of turn.stream) {
        if (part.type === 'text-delta' && part.text)
          await sse.writeSSE({ data: chunk({ content: part.text }, null) });
      }
      try {
        const result = await turn.done;
        await sse.writeSSE({
          data: chunk({}, 'stop', { citations: citationsOut(result), escalated: result.escalated }),
        });
        if (body.stream_options?.include_usage) {
          await sse.writeSSE({
            data: JSON.stringify({
              id,
              object: 'chat.completion.chunk',
              created,
              model: modelName,
              choices: [],
              usage: usageOut(result),
            }),
          });
        }
      } catch {
        await sse.writeSSE({
          data: JSON.stringify({
            error: { message: 'The assistant could not answer.', type: 'server_error' },
          }),
        });
      }
      await sse.writeSSE({ data: '[DONE]' });
    });
    return streamed as never;
  });
}
