import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { startTurn, type Turn, type TurnInput } from '../../../agent/agent.ts';
import type { AppEnv } from '../../app-env.ts';
import { identityHeaders, trackInflight, withNumberedCitations } from '../../chat-turn.ts';
import { chunkOf, type CompletionStamp, finalChunkOf, usageChunkOf } from './format.ts';

async function writeAnswer(
  sse: SSEStreamingApi,
  turn: Turn,
  stamp: CompletionStamp,
  includeUsage: boolean,
): Promise<void> {
  await sse.writeSSE({ data: chunkOf(stamp, turn.conversationId, { role: 'assistant', content: '' }) });
  const { stream, numbering } = withNumberedCitations(turn.stream);
  // A client that goes away is normal: writes then fail silently and the answer is still read to its end, so
  // it is stored.
  for await (const part of stream) {
    if (part.type === 'text-delta' && part.text) {
      await sse.writeSSE({ data: chunkOf(stamp, turn.conversationId, { content: part.text }) });
    }
  }
  try {
    const result = await turn.done;
    await sse.writeSSE({ data: finalChunkOf(stamp, result, numbering.order(result.citations)) });
    if (includeUsage) await sse.writeSSE({ data: usageChunkOf(stamp, result) });
  } catch {
    const error = {
      message: 'The assistant could not answer.',
      type: 'server_error',
      code: 'internal_error',
    };
    await sse.writeSSE({ data: JSON.stringify({ error }) });
  }
  await sse.writeSSE({ data: '[DONE]' });
}

/** A completion streamed as chat.completion.chunk Server-Sent Events, ending in `[DONE]`. */
export async function streamCompletion(
  c: Context<AppEnv>,
  input: TurnInput,
  stamp: CompletionStamp,
  includeUsage: boolean,
): Promise<Response> {
  const { agent, inflight } = c.get('services');
  const turn = await startTurn(agent, input);
  trackInflight(inflight, turn.done);
  for (const [name, value] of Object.entries(identityHeaders(input.identity, turn.conversationId))) {
    c.header(name, value);
  }
  return streamSSE(c, (sse) => writeAnswer(sse, turn, stamp, includeUsage));
}
