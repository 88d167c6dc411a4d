import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';
import { type ChatModel, createChatModel } from './index.ts';

const key = 'agent.chatModel';

/** The chat model staff chose for the agent (a promoted fine-tune), overriding `PARLEY_CHAT_MODEL`. */
export interface ActiveChatModel {
  model: string;
  /** The fine-tuning job it came from, when promoted from one. */
  finetuneJobId?: string;
  /** The model it replaced, to go back to. */
  previous?: string;
  setAt: string;
  setBy?: string;
}

/** The chat model stored in `settings`, if any. */
export async function readActiveChatModel(db: Db): Promise<ActiveChatModel | undefined> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  const value = row?.value as Partial<ActiveChatModel> | undefined;
  return value && typeof value.model === 'string' && value.model ? (value as ActiveChatModel) : undefined;
}

/**
 * Stores the chat model the agent uses from now on. Call `forgetActiveChatModel` with the database (not a
 * transaction) once it is committed, so this process's next turn already uses it.
 */
export async function writeActiveChatModel(db: Db, value: ActiveChatModel): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/** Removes the stored chat model, so `PARLEY_CHAT_MODEL` answers again; then `forgetActiveChatModel`, as above. */
export async function clearActiveChatModel(db: Db): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}

// Read once per turn at most this often: a promotion on another replica (or by the CLI) reaches this process
// within this time; one on this process, at once (`forgetActiveChatModel`).
const activeTtlMs = 10_000;
const activeCache = new WeakMap<Db, { value: ActiveChatModel | undefined; expires: number }>();

async function cachedActiveChatModel(db: Db): Promise<ActiveChatModel | undefined> {
  const cached = activeCache.get(db);
  if (cached && cached.expires > Date.now()) return cached.value;
  const value = await readActiveChatModel(db);
  activeCache.set(db, { value, expires: Date.now() + activeTtlMs });
  return value;
}

/** Drops this process's cached active model, so the next turn reads the setting again. */
export function forgetActiveChatModel(db: Db): void {
  activeCache.delete(db);
}

/**
 * The chat model of a process that keeps answering (the server, `parley chat`): the promoted model when staff
 * set one, else `PARLEY_CHAT_MODEL`, followed without a restart. Each turn calls `current()` once and answers
 * with what it returns; `id` and `model` are those of the latest `current()`, for what shows or reuses the model
 * between turns (the console, the summariser).
 */
export async function followActiveChatModel(
  config: Pick<Config, 'openai' | 'agent'>,
  db: Db,
): Promise<ChatModel> {
  const named = (chatModel: string) => createChatModel({ ...config, agent: { ...config.agent, chatModel } });
  let latest = { name: config.agent.chatModel, chat: named(config.agent.chatModel) };
  const current = async (): Promise<ChatModel> => {
    const name = (await cachedActiveChatModel(db))?.model ?? config.agent.chatModel;
    // A provider model is built once per name, not per turn.
    if (name !== latest.name) latest = { name, chat: named(name) };
    return latest.chat;
  };
  await current();
  return {
    get model() {
      return latest.chat.model;
    },
    get id() {
      return latest.chat.id;
    },
    get offline() {
      return latest.chat.offline;
    },
    current,
  };
}
