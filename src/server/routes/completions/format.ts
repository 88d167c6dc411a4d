import crypto from 'node:crypto';
import type { TurnResult } from '../../../agent/agent.ts';
import {
  type Completion,
  type CompletionCitation,
  type CompletionUsage,
  modelName,
} from '../../../contracts/completions.ts';
import { numberCitations } from '../../../support/citation-markers.ts';
import { citationSource, citationTitle, citationUrl } from '../../../support/citations.ts';

/** A cited passage as the agent reports it with its answer. */
type Citation = TurnResult['citations'][number];

// A turn's result in OpenAI's chat.completion and chat.completion.chunk shapes.

/** What every object of one completion repeats: its id and creation time. */
export interface CompletionStamp {
  id: string;
  created: number;
}

export function newStamp(): CompletionStamp {
  return { id: `chatcmpl-${crypto.randomBytes(12).toString('hex')}`, created: Math.floor(Date.now() / 1000) };
}

function citationsOf(citations: Citation[]): CompletionCitation[] {
  return citations.map((c) => ({
    source: citationSource(c),
    url: citationUrl(c),
    title: citationTitle(c),
    document_id: c.documentId,
    version_id: c.versionId,
    chunk_id: c.chunkId,
  }));
}

function usageOf(result: TurnResult): CompletionUsage {
  const { inputTokens, outputTokens } = result.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

/** A whole answer as a chat.completion, its citation markers numbered as `citations` lists them. */
export function completionOf(stamp: CompletionStamp, result: TurnResult): Completion {
  const { text, citations } = numberCitations(result.answer, result.citations);
  return {
    id: stamp.id,
    object: 'chat.completion',
    created: stamp.created,
    model: modelName,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: usageOf(result),
    conversation_id: result.conversationId,
    citations: citationsOf(citations),
    escalated: result.escalated,
  };
}

function chunk(stamp: CompletionStamp, choices: object[]) {
  return { id: stamp.id, object: 'chat.completion.chunk', created: stamp.created, model: modelName, choices };
}

/** One chat.completion.chunk event of a streamed answer, as the event's data. */
export function chunkOf(stamp: CompletionStamp, conversationId: string, delta: object): string {
  return JSON.stringify({
    ...chunk(stamp, [{ index: 0, delta, finish_reason: null }]),
    conversation_id: conversationId,
  });
}

/**
 * The last content chunk: the finish, with Parley's citations (in the order the streamed markers numbered
 * them) and whether the turn escalated.
 */
export function finalChunkOf(stamp: CompletionStamp, result: TurnResult, citations: Citation[]): string {
  return JSON.stringify({
    ...chunk(stamp, [{ index: 0, delta: {}, finish_reason: 'stop' }]),
    conversation_id: result.conversationId,
    citations: citationsOf(citations),
    escalated: result.escalated,
  });
}

/** The usage chunk sent after the finish when the caller asked for `stream_options.include_usage`. */
export function usageChunkOf(stamp: CompletionStamp, result: TurnResult): string {
  return JSON.stringify({ ...chunk(stamp, []), usage: usageOf(result) });
}
