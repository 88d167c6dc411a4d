import { z } from '@hono/zod-openapi';

// The OpenAI-compatible API: `/v1/chat/completions` and `/v1/models`, in OpenAI's snake_case.

/** The one model name the endpoint serves. */
export const modelName = 'parley';

const ContentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

export const CompletionMessage = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  })
  .passthrough();
export type CompletionMessage = z.infer<typeof CompletionMessage>;

export const CompletionRequest = z
  .object({
    model: z.string().max(100),
    messages: z.array(CompletionMessage).min(1).max(500),
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
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export const CompletionCitation = z.object({
  source: z.string(),
  url: z.string(),
  title: z.string(),
  document_id: z.string(),
  version_id: z.string(),
  chunk_id: z.string(),
});
export type CompletionCitation = z.infer<typeof CompletionCitation>;

export const CompletionUsage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});
export type CompletionUsage = z.infer<typeof CompletionUsage>;

export const Completion = z
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
    usage: CompletionUsage,
    conversation_id: z.string(),
    citations: z.array(CompletionCitation),
    escalated: z.boolean(),
  })
  .openapi('ChatCompletion');
export type Completion = z.infer<typeof Completion>;

export const ModelList = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal('model'),
      created: z.number(),
      owned_by: z.string(),
    }),
  ),
});
export type ModelList = z.infer<typeof ModelList>;
