import { isStepCount, type ModelMessage, streamText } from 'ai';
import { buildTools, type ToolContext } from './tools/index.ts';
import { type AgentDeps, type TurnInput } from './turn.ts';

/**
 * Starts the model's tool loop; the answer streams while `storeAnswer` waits for its end. Returns the stream
 * with what `storeAnswer` needs to know about how it went.
 */
export function streamAnswer(
  deps: AgentDeps,
  input: TurnInput,
  ctx: ToolContext,
  instructions: string,
  messages: ModelMessage[],
) {
  let firstTokenAt: number | undefined;
  let failure: unknown;
  const result = streamText({
    model: deps.chat.model,
    instructions,
    messages,
    tools: buildTools(ctx),
    stopWhen: isStepCount(deps.settings.maxSteps),
    // On the last allowed step the model must answer rather than call yet another tool.
    prepareStep: ({ stepNumber }) =>
      stepNumber === deps.settings.maxSteps - 1 ? { toolChoice: 'none' } : undefined,
    abortSignal: input.abortSignal,
    telemetry: { functionId: 'parley.turn', recordInputs: false, recordOutputs: false },
    onChunk: ({ chunk }) => {
      if (chunk.type === 'text-delta' && firstTokenAt === undefined) firstTokenAt = performance.now();
    },
    onError: ({ error }) => {
      failure = error;
    },
  });
  return { result, firstTokenAt: () => firstTokenAt, failure: () => failure };
}

export type StreamedAnswer = ReturnType<typeof streamAnswer>;
