import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { type Config } from '../../config.ts';
import { OfflineModel } from './offline.ts';

/** The model answering customers, with what the UI and logs say about it. */
export interface ChatModel {
  model: LanguageModelV4;
  /** e.g. `openai:gpt-4.1-mini` or `parley-offline`. */
  id: string;
  /** True when the offline answer model is answering (no LLM configured). */
  offline: boolean;
  /**
   * For a model that follows a setting (a promoted fine-tune, see `followActiveChatModel`): the model to answer
   * the next turn with. A turn calls it once and keeps the result. Absent: always this one.
   */
  current?: () => Promise<ChatModel>;
}

/**
 * OpenAI (or any OpenAI-compatible server: Ollama, vLLM, LM Studio) through the AI SDK's provider when a key is
 * configured; otherwise the offline answer model. Both implement the same language-model interface, so the
 * agent loop is one piece of code.
 */
export function createChatModel(config: Pick<Config, 'openai' | 'agent'>, companyName?: string): ChatModel {
  if (!config.openai)
    return { model: new OfflineModel({ companyName }), id: 'parley-offline', offline: true };
  const provider = createOpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL });
  // `.chat()` speaks /chat/completions, which every OpenAI-compatible server implements.
  return {
    model: provider.chat(config.agent.chatModel),
    id: `openai:${config.agent.chatModel}`,
    offline: false,
  };
}

/** The model to answer with now: the promoted one for a model that follows it (`ChatModel.current`). */
export async function currentChatModel(chat: ChatModel): Promise<ChatModel> {
  return (await chat.current?.()) ?? chat;
}
