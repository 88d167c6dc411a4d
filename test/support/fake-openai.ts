import http from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  chatCompletion,
  chatCompletionChunks,
  type ChatRequestBody,
  type ChatScriptEntry,
  isChatRequest,
} from './fake-openai-chat.ts';
import { FakeFineTuning, type FakeFile, type FineTuneScript, parseMultipart } from './fake-openai-files.ts';

export { type FakeFile, type FineTuneScript, type FineTuneStatus } from './fake-openai-files.ts';

export {
  type ChatReply,
  type ChatRequestBody,
  type ChatScriptEntry,
  toolResults,
} from './fake-openai-chat.ts';

export interface FakeOpenAIRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, e.g. http://127.0.0.1:PORT/v1. */
  baseURL: string;
  /** Every request received, failed ones included, in order. */
  requests: FakeOpenAIRequest[];
  /** The bodies of the chat-completions requests received, failed ones included. */
  chatRequests(): ChatRequestBody[];
  /**
   * Replaces the chat script: each chat-completions request takes the next reply. With none left, the fake
   * answers 400 so a test that makes more model calls than it scripted fails loudly.
   */
  scriptChat(replies: ChatScriptEntry[]): void;
  /** Statuses to answer the next requests with before behaving normally (e.g. [429, 500]). */
  failNext(statuses: number[]): void;
  /** Files uploaded through the Files API, in order. */
  files: FakeFile[];
  /**
   * How fine-tuning jobs created from now on behave: each `GET` of a job moves it to the next of `statuses`
   * (default validating_files → queued → running → succeeded), producing `model` on success.
   */
  scriptFineTune(script: FineTuneScript): void;
  /** Forgets requests, pending failures, the chat script, files and fine-tuning jobs. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** Model ids `GET /v1/models` lists. */
  models?: string[];
}

type Reply = { status: number; json: unknown; headers?: Record<string, string> } | { events: unknown[] };

/**
 * A local stand-in for the OpenAI HTTP API, for exercising the real SDK and provider code without a network.
 * Embeddings are deterministic: derived from the text's characters, with the requested dimensions. Chat
 * completions (plain and streamed, with tool calls) play the script a test gives with `scriptChat`. The Files
 * API (multipart uploads) and fine-tuning jobs (create, retrieve, events) follow `scriptFineTune`.
 *
 * @example
 * fake.scriptChat([
 *   { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'pairing' } }] },
 *   (body) => ({ text: `Found ${toolResults(body).length} result.` }),
 * ]);
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const models = options.models ?? ['gpt-4.1-mini', 'text-embedding-3-small'];
  const requests: FakeOpenAIRequest[] = [];
  const failures: number[] = [];
  let script: ChatScriptEntry[] = [];
  let completions = 0;
  const fineTuning = new FakeFineTuning();

  const route = (
    method: string,
    path: string,
    body: Record<string, unknown>,
    upload?: { filename: string; content: string },
  ): Reply => {
    const failure = failures.shift();
    if (failure) {
      const error = {
        message: `fake failure ${failure}`,
        type: failure === 429 ? 'rate_limit_error' : 'server_error',
      };
      return { status: failure, json: { error }, headers: { 'retry-after-ms': '5' } };
    }
    if (method === 'POST' && path === '/v1/embeddings') return { status: 200, json: embeddings(body) };
    const files = fineTuning.route(method, path, body, upload);
    if (files) return files;
    if (method === 'GET' && path === '/v1/models') {
      return {
        status: 200,
        json: {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
        },
      };
    }
    if (method === 'POST' && path === '/v1/chat/completions') {
      if (!isChatRequest(body)) return invalidRequest('model and messages are required');
      const entry = script.shift();
      if (!entry) return invalidRequest('fake: no scripted chat reply left');
      const reply = typeof entry === 'function' ? entry(body) : entry;
      const id = `chatcmpl-${++completions}`;
      return body.stream
        ? { events: chatCompletionChunks(body, reply, id) }
        : { status: 200, json: chatCompletion(body, reply, id) };
    }
    return {
      status: 404,
      json: { error: { message: `no route ${method} ${path}`, type: 'invalid_request_error' } },
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '';
      const raw = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      let reply: Reply;
      try {
        // File uploads arrive as multipart form data; everything else is JSON.
        const multipart = contentType.startsWith('multipart/form-data')
          ? parseMultipart(raw, contentType)
          : undefined;
        const body = multipart
          ? multipart.fields
          : raw.length
            ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>)
            : {};
        requests.push({ method, path, body, authorization: req.headers.authorization });
        reply = route(method, path, body, multipart?.file);
      } catch (error) {
        // Bad JSON or a throwing script function: answer it instead of crashing the server or hanging the client.
        reply = invalidRequest(`fake: ${String(error)}`);
      }
      if ('events' in reply) return void writeEvents(res, reply.events);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody),
    scriptChat: (replies) => {
      script = [...replies];
    },
    failNext: (statuses) => failures.push(...statuses),
    files: fineTuning.files,
    scriptFineTune: (s) => fineTuning.scriptFineTune(s),
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      script = [];
      fineTuning.reset();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Server-sent events, one write per event so the client really reads a stream. */
async function writeEvents(res: http.ServerResponse, events: unknown[]): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const event of events) {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end('data: [DONE]\n\n');
}

function invalidRequest(message: string): Reply {
  return { status: 400, json: { error: { message, type: 'invalid_request_error' } } };
}

function embeddings(body: Record<string, unknown>) {
  const input = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
  const dims = typeof body.dimensions === 'number' ? body.dimensions : 1536;
  return {
    object: 'list',
    model: body.model,
    data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dims) })),
    usage: { prompt_tokens: input.length, total_tokens: input.length },
  };
}

function fakeVector(text: string, dims: number): number[] {
  const v = Array.from({ length: dims }, () => 0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 31 + i) % dims]! += 1;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
