import { asSchema } from 'ai';
import { buildTools, type ToolContext, TurnLedger } from '../agent/tools/index.ts';
import type { FtTool } from './finetune-format.ts';

/**
 * The agent's tools as OpenAI function definitions, for examples that call tools: a model fine-tuned on tool
 * calls should see the same definitions it will be given when it answers. A signed-in customer's session is
 * assumed, so the account tools are included.
 */
export async function agentToolDefinitions(): Promise<FtTool[]> {
  // Building tools only reads their schemas; nothing here runs them, so the context needs no database.
  const ctx = {
    identity: { kind: 'customer', customerId: '00000000-0000-0000-0000-000000000000' },
    conversationId: '00000000-0000-0000-0000-000000000000',
    abstainThreshold: 0,
    ledger: new TurnLedger(),
  } as unknown as ToolContext;
  const tools = buildTools(ctx) as Record<string, { description?: string; inputSchema: unknown }>;
  return Promise.all(
    Object.entries(tools).map(async ([name, t]) => ({
      type: 'function' as const,
      function: {
        name,
        ...(t.description ? { description: t.description } : {}),
        parameters: (await asSchema(t.inputSchema as Parameters<typeof asSchema>[0]).jsonSchema) as Record<
          string,
          unknown
        >,
      },
    })),
  );
}
