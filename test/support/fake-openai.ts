import http from 'node:http';
import { type AddressInfo } from 'node:net';

export interface FakeOpenAIRequest {
  path: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, e.g. http://127.0.0.1:PORT/v1. */
  baseURL: string;
  requests: FakeOpenAIRequest[];
  /** Statuses to answer the next requests with before behaving normally (e.g. [429, 500]). */
  failNext(statuses: number[]): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for the OpenAI HTTP API, for exercising the real SDK and provider code without a network.
 * Embeddings are deterministic: derived from the text's characters, with the requested dimensions.
 */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeOpenAIRequest[] = [];
  const failures: number[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const failure = failures.shift();
      if (failure) {
        return send(failure, { error: { message: `fake failure ${failure}`, type: 'server_error' } }, {
          'retry-after-ms': '5',
        });
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const input = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
        const dims = typeof body.dimensions === 'number' ? body.dimensions : 1536;
        return send(200, {
          object: 'list',
          model: body.model,
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dims) })),
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        });
      }
      send(404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (statuses) => failures.push(...statuses),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function fakeVector(text: string, dims: number): number[] {
  const v = Array.from({ length: dims }, () => 0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 31 + i) % dims]! += 1;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
