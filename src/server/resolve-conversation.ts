import type { ResolveResult } from '../contracts/conversations.ts';
import type { StaffRef } from '../contracts/inbox.ts';
import type { Db } from '../db/client.ts';
import { forgetLessons } from '../knowledge/synonyms/learned.ts';
import { type NotifyHandoff, sendHandoffNotification } from '../support/handoff-notifications.ts';
import { type InboxResult, resolveWithNote } from '../support/inbox.ts';

/** What resolving needs: the database, and the notifier (absent: nothing is sent outside the app). */
export interface ResolveDeps {
  db: Db;
  notify?: NotifyHandoff | undefined;
}

/**
 * Resolves a conversation for staff, from the console or the CLI, so both do the same: in one transaction
 * whoever held it leaves (the customer sees a notice), the note becomes an internal note and the suggested
 * solution, and the live inbox hears of it; then, once the conversation was open until now, this process's
 * retrieval lessons are dropped (a resolved conversation teaches which passages answered it) and a
 * `conversation.resolved` notification goes out (webhook).
 *
 * @example unwrap(await resolveAsStaff(services, id, { name: 'alex', tokenId: null }, 'Replaced the charger'))
 */
export async function resolveAsStaff(
  deps: ResolveDeps,
  conversationId: string,
  author: StaffRef,
  note: string | undefined,
): Promise<InboxResult<ResolveResult>> {
  const result = await resolveWithNote(deps.db, conversationId, author, note);
  if (!result.ok) return result;
  const { changed, ...resolved } = result.value;
  if (changed) {
    forgetLessons(deps.db);
    await sendHandoffNotification(deps.notify, { type: 'conversation.resolved', conversationId });
  }
  return { ok: true, value: resolved };
}
