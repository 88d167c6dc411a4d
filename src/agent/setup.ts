import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Embedder } from '../knowledge/embed/embedder.ts';
import type { AgentDeps } from './agent.ts';
import { followActiveChatModel } from './models/active-model.ts';
import { createChatModel } from './models/index.ts';
import { companyProfile } from '../support/company-profile.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { createSummariser } from './summarise.ts';

/**
 * The agent's dependencies from configuration: the chat model (OpenAI or offline) and its summariser. A chat
 * model promoted by staff (`parley finetune promote`, stored in settings) replaces `PARLEY_CHAT_MODEL`, also
 * in processes already running.
 */
export async function createAgentDeps(config: Config, db: Db, embedder: Embedder): Promise<AgentDeps> {
  const chat = config.openai
    ? await followActiveChatModel(config, db)
    : createChatModel(config, (await companyProfile(db)).name);
  return {
    db,
    embedder,
    chat,
    settings: config.agent,
    summarise: createSummariser(chat),
    redact: createRedactor(configuredSecrets(config)),
  };
}
