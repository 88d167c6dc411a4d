import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';

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

/** Stores the chat model the agent uses from now on (new processes; running ones keep theirs until restart). */
export async function writeActiveChatModel(db: Db, value: ActiveChatModel): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}
