import { and, desc, eq, isNotNull } from 'drizzle-orm';
import {
  type ActiveChatModel,
  clearActiveChatModel,
  forgetActiveChatModel,
  readActiveChatModel,
  writeActiveChatModel,
} from '../agent/models/active-model.ts';
import type { Db } from '../db/client.ts';
import { type FinetuneJob, finetuneJobs } from '../db/schema/index.ts';

export type PromoteResult =
  | {
      ok: true;
      model: string;
      job: FinetuneJob;
      /** The promoted model it replaced; absent when the agent answered with `PARLEY_CHAT_MODEL`. */
      previous: string | undefined;
    }
  | { ok: false; reason: string };

/**
 * Makes a fine-tuned model the agent's chat model: stored in settings, used from the next turn on this process
 * and within seconds on the others (see `followActiveChatModel`). The model it replaces is recorded as
 * `previous`, in the same form as `model` (the provider's name, e.g. `ft:gpt-4.1-mini:acme::x`), and only when
 * it was itself a stored model: absent means `PARLEY_CHAT_MODEL`, which `rollbackChatModel` then goes back to.
 * Refused when the job has no model, when it was not evaluated, or when it scored below its base model on the
 * test split, unless `force`.
 */
export async function promoteFinetune(
  db: Db,
  job: FinetuneJob,
  options: { force?: boolean; by: string },
): Promise<PromoteResult> {
  if (job.status !== 'succeeded' || !job.resultingModel) {
    return { ok: false, reason: `Job ${job.id} has no fine-tuned model (status ${job.status}).` };
  }
  const evaluation = job.evaluation;
  if (!options.force) {
    if (!evaluation)
      return { ok: false, reason: 'The model has not been evaluated yet; use --force to promote it anyway.' };
    if (evaluation.tuned.n === 0)
      return {
        ok: false,
        reason: 'There were no test-split pairs to evaluate on; use --force to promote it anyway.',
      };
    if (evaluation.tuned.score < evaluation.base.score) {
      return {
        ok: false,
        reason:
          `${job.resultingModel} scored ${evaluation.tuned.score.toFixed(3)}, below its base model ` +
          `${job.baseModel} (${evaluation.base.score.toFixed(3)}); use --force to promote it anyway.`,
      };
    }
  }
  const model = job.resultingModel;
  const promotedAt = new Date();
  const { row, previous } = await db.transaction(async (tx) => {
    const replaced = await readActiveChatModel(tx);
    // Promoting the model that already answers keeps what it replaced, so a rollback still goes back past it.
    const previous = replaced?.model === model ? replaced.previous : replaced?.model;
    await writeActiveChatModel(tx, {
      model,
      finetuneJobId: job.id,
      ...(previous ? { previous } : {}),
      setAt: promotedAt.toISOString(),
      setBy: options.by,
    });
    const [row] = await tx
      .update(finetuneJobs)
      .set({ promotedAt, updatedAt: promotedAt })
      .where(eq(finetuneJobs.id, job.id))
      .returning();
    return { row: row!, previous };
  });
  forgetActiveChatModel(db);
  return { ok: true, model, job: row, previous };
}

export type RollbackResult =
  | {
      ok: true;
      /** The model rolled back from. */
      from: string;
      /** The stored model now answering; undefined when `PARLEY_CHAT_MODEL` answers again. */
      model: string | undefined;
    }
  | { ok: false; reason: string };

/**
 * Undoes the last promotion: the model it replaced answers again (from the next turn, as for a promotion), or
 * `PARLEY_CHAT_MODEL` when it replaced that. One step: the restored model keeps no `previous` of its own, so a
 * second rollback returns to `PARLEY_CHAT_MODEL`.
 */
export async function rollbackChatModel(db: Db, options: { by: string }): Promise<RollbackResult> {
  const result = await db.transaction(async (tx): Promise<RollbackResult> => {
    const active = await readActiveChatModel(tx);
    if (!active)
      return { ok: false, reason: 'No promoted chat model to roll back: PARLEY_CHAT_MODEL already answers.' };
    const previous = storedModelName(active.previous);
    if (!previous) {
      await clearActiveChatModel(tx);
      return { ok: true, from: active.model, model: undefined };
    }
    const restored: ActiveChatModel = { model: previous, setAt: new Date().toISOString(), setBy: options.by };
    const [source] = await tx
      .select({ id: finetuneJobs.id })
      .from(finetuneJobs)
      .where(and(eq(finetuneJobs.resultingModel, previous), isNotNull(finetuneJobs.promotedAt)))
      .orderBy(desc(finetuneJobs.promotedAt))
      .limit(1);
    await writeActiveChatModel(tx, source ? { ...restored, finetuneJobId: source.id } : restored);
    return { ok: true, from: active.model, model: previous };
  });
  forgetActiveChatModel(db);
  return result;
}

/**
 * A `previous` as stored: the model name, or undefined for `PARLEY_CHAT_MODEL`. Promotions from the console
 * once stored the chat model's display id (`openai:<model>`, or `parley-offline` with no LLM configured).
 */
function storedModelName(previous: string | undefined): string | undefined {
  if (!previous || previous === 'parley-offline') return undefined;
  return previous.startsWith('openai:') ? previous.slice('openai:'.length) : previous;
}
