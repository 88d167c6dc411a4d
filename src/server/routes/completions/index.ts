import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { runTurn, type TurnInput } from '../../../agent/agent.ts';
import { Completion, CompletionRequest, ModelList, modelName } from '../../../contracts/completions.ts';
import type { AppEnv } from '../../app-env.ts';
import type { App } from '../../app.ts';
import { identityHeaders } from '../../chat-turn.ts';
import { OpenAIErrorBody } from '../../errors.ts';
import { jsonBody } from '../openapi-io.ts';
import { type CompletionStamp, completionOf, newStamp } from './format.ts';
import { completionTurn } from './request.ts';
import { streamCompletion } from './stream.ts';

const tags = ['OpenAI-compatible'];

const openAIError = (description: string) => ({
  description,
  content: { 'application/json': { schema: OpenAIErrorBody } },
});

const completionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags,
  summary: 'OpenAI-compatible chat completion (model "parley"), streaming or not',
  description:
    'Parley answers the last user message. Continue a conversation with `conversation_id` (returned in every ' +
    'response and in the `x-parley-conversation-id` header). Citations travel in `citations`. The bearer ' +
    'token may be a customer JWT (that customer), a staff token (acting for the customer whose external id is ' +
    "in `user`, or anonymously), or anything else for an anonymous visitor. Errors use OpenAI's " +
    '`{error: {message, type, code}}` shape.',
  request: { body: jsonBody(CompletionRequest) },
  responses: {
    200: {
      description: 'A chat completion, or with `stream: true` a stream of chat.completion.chunk events',
      content: { 'application/json': { schema: Completion } },
    },
    400: openAIError('Invalid request'),
    401: openAIError('A bad customer token or staff token'),
    404: openAIError('Unknown model or conversation'),
    429: openAIError('Rate limited'),
    500: openAIError('Internal error'),
  },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags,
  summary: 'The models this endpoint serves: one, "parley"',
  responses: { 200: { description: 'Model list', content: { 'application/json': { schema: ModelList } } } },
});

const models: ModelList = {
  object: 'list',
  data: [{ id: modelName, object: 'model', created: 1_700_000_000, owned_by: 'parley' }],
};

/** The whole answer at once, after the turn is stored. */
async function answerCompletion(
  c: Context<AppEnv>,
  input: TurnInput,
  stamp: CompletionStamp,
): Promise<Completion> {
  const result = await runTurn(c.get('services').agent, input);
  for (const [name, value] of Object.entries(identityHeaders(input.identity, result.conversationId))) {
    c.header(name, value);
  }
  return completionOf(stamp, result);
}

/** The OpenAI-compatible API: `POST /v1/chat/completions` (streaming or not) and `GET /v1/models`. */
export function registerCompletions(app: App): void {
  app.openapi(modelsRoute, (c) => c.json(models, 200));

  app.openapi(completionsRoute, async (c) => {
    const body = c.req.valid('json');
    const input = await completionTurn(c, body);
    const stamp = newStamp();
    if (body.stream) {
      // The route's typed 200 is the JSON completion; the streamed variant is a plain SSE response.
      return (await streamCompletion(c, input, stamp, body.stream_options?.include_usage ?? false)) as never;
    }
    return c.json(await answerCompletion(c, input, stamp), 200);
  });
}
