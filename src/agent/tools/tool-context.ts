import { type Schema, zodSchema } from 'ai';
import { type z } from 'zod';
import { type Db } from '../../db/client.ts';
import { type Citation } from '../../db/schema/index.ts';
import { type Embedder } from '../../knowledge/embed/embedder.ts';
import { type NotifyHandoff } from '../../support/handoff-notifications.ts';
import { type Identity } from '../../support/identity.ts';

/** A passage handed to the model, numbered so answers can cite it as [S1], [S2], ... */
export interface Passage extends Citation {
  ref: string;
  title: string;
  text: string;
  relevance: number;
}

/** What the tools of one turn found and did, read back by the agent to record citations and outcome. */
export class TurnLedger {
  readonly passages: Passage[] = [];
  readonly offeredSolutions = new Set<string>();
  /** Searches that found nothing relevant enough. */
  emptySearches = 0;
  escalation: string | undefined;
  /** Customer data tools that returned data (as opposed to errors). */
  dataLookups = 0;

  addPassage(p: Omit<Passage, 'ref'>): Passage {
    const existing = this.passages.find((x) => x.chunkId === p.chunkId);
    if (existing) return existing;
    const passage = { ...p, ref: `S${this.passages.length + 1}` };
    this.passages.push(passage);
    return passage;
  }
}

/**
 * Everything a tool may use. The identity comes from the session: tools never take a customer id from the
 * model, so no prompt can widen what they see.
 */
export interface ToolContext {
  db: Db;
  embedder: Embedder;
  identity: Identity;
  conversationId: string;
  abstainThreshold: number;
  ledger: TurnLedger;
  /** Tells staff about a hand-off (webhooks, email). */
  notify?: NotifyHandoff | undefined;
  now?: (() => Date) | undefined;
}

/** A failure the model can act on (tell the user, ask for a detail, try another tool). */
export function toolError(message: string): { error: string } {
  return { error: message };
}

/**
 * A tool's input schema, converted to JSON schema once. Tools are built for every turn; given a bare zod schema,
 * the SDK would convert it again on every model call, for every tool offered.
 *
 * @example const lookupInput = toolInput(z.object({ query: z.string() })); tool({ inputSchema: lookupInput, ... })
 */
export function toolInput<T>(schema: z.ZodType<T>): Schema<T> {
  return zodSchema(schema);
}
