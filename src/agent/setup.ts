import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Embedder } from '../knowledge/embed/embedder.ts';
import type { AgentDeps } from './agent.ts';
import { createChatModel } from './models/index.ts';
import { companyProfile } from './prompt.ts';
import { createSummariser } from './summarise.ts';

/** The agent's dependencies from configuration: the chat model (OpenAI or offline) and its summariser. */
export async function createAgentDeps(config: Config, db: Db, embedder: Embedder): Promise<AgentDeps> {
  const chat = createChatModel(config, (await companyProfile(db)).name);
  return { db, embedder, chat, settings: config.agent, summarise: createSummariser(chat) };
}
