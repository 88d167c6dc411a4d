import { generateText } from 'ai';
import type { ChatModel } from './models/index.ts';

/**
 * An LLM summariser for turns leaving the history window; the offline model has none (the agent then uses its
 * deterministic summary).
 */
export function createSummariser(
  chat: ChatModel,
): ((turns: { role: string; content: string }[]) => Promise<string>) | undefined {
  if (chat.offline) return undefined;
  return async (turns) => {
    const { text } = await generateText({
      model: chat.model,
      instructions:
        'Summarise this support conversation in at most 80 words for the agent continuing it: the customer, ' +
        'their problem, what was tried and what is still open. No greetings.',
      prompt: turns.map((t) => `${t.role === 'user' ? 'Customer' : 'Assistant'}: ${t.content}`).join('\n'),
      maxRetries: 1,
    });
    return text.trim();
  };
}
