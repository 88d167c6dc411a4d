import readline from 'node:readline';
import { type Command } from 'commander';
import { eq } from 'drizzle-orm';
import { type AgentDeps, runTurn, type TurnResult } from '../agent/agent.ts';
import { createAgentDeps } from '../agent/setup.ts';
import { conversations, customers } from '../db/schema/index.ts';
import { findCustomer } from '../support/customers.ts';
import { type Identity, newVisitorId } from '../support/identity.ts';
import { dataDirOption, type Runtime, withRuntime } from './runtime.ts';

/** The agent's dependencies for a CLI session. */
export async function agentDepsFor(rt: Runtime): Promise<AgentDeps> {
  return createAgentDeps(rt.config, rt.database.db, rt.embedder);
}

/**
 * Who the CLI speaks as: `--customer` (id or email), else the owner of `--conversation`, else a new visitor.
 * The CLI is an operator's tool with full database access, so it may continue any conversation.
 */
export async function cliIdentity(
  rt: Runtime,
  opts: { customer?: string; conversation?: string; visitor?: string },
): Promise<Identity> {
  const db = rt.database.db;
  if (opts.customer) {
    const c = await findCustomer(db, opts.customer);
    if (!c) throw new Error(`No customer "${opts.customer}" (give an id or an email)`);
    return { kind: 'customer', customerId: c.id, externalId: c.externalId, name: c.name };
  }
  if (opts.conversation && /^[0-9a-f-]{36}$/i.test(opts.conversation)) {
    const [row] = await db
      .select({
        customerId: conversations.customerId,
        visitorId: conversations.visitorId,
        externalId: customers.externalId,
        name: customers.name,
      })
      .from(conversations)
      .leftJoin(customers, eq(customers.id, conversations.customerId))
      .where(eq(conversations.id, opts.conversation));
    if (row?.customerId)
      return { kind: 'customer', customerId: row.customerId, externalId: row.externalId!, name: row.name };
    if (row?.visitorId) return { kind: 'visitor', visitorId: row.visitorId };
  }
  return { kind: 'visitor', visitorId: opts.visitor ?? newVisitorId() };
}

/** The JSON shape of `parley ask --json`. */
export function answerJson(r: TurnResult) {
  return {
    answer: r.answer,
    citations: r.citations,
    toolCalls: r.toolCalls,
    escalated: r.escalated,
    conversationId: r.conversationId,
    outcome: r.outcome,
    model: r.model,
    offline: r.offline,
  };
}

function printCitations(r: TurnResult): void {
  if (r.citations.length === 0) return;
  console.log('\nSources:');
  r.citations.forEach((c, i) => console.log(`  [${i + 1}] ${c.heading ? `${c.heading} — ` : ''}${c.source}`));
}

function modelBanner(deps: AgentDeps): string {
  return deps.chat.offline
    ? 'Answering with the offline model (no OPENAI_API_KEY): extractive answers from your docs.'
    : `Answering with ${deps.chat.id}.`;
}

export function registerAgent(program: Command): void {
  program
    .command('ask')
    .description('Ask the support agent one question')
    .argument('<question>')
    .option('--customer <id>', 'answer as this customer (id or email): enables account tools')
    .option('--conversation <id>', 'continue a conversation')
    .option('--visitor <id>', 'anonymous visitor id to continue as')
    .option(
      '--json',
      'print {answer, citations, toolCalls, escalated, conversationId, outcome, model, offline}',
    )
    .option(...dataDirOption)
    .action(
      async (
        question: string,
        opts: {
          customer?: string;
          conversation?: string;
          visitor?: string;
          json?: boolean;
          dataDir?: string;
        },
      ) => {
        await withRuntime(opts, async (rt) => {
          const deps = await agentDepsFor(rt);
          const identity = await cliIdentity(rt, opts);
          if (!opts.json) console.error(modelBanner(deps));
          const result = await runTurn(
            deps,
            { identity, message: question, conversationId: opts.conversation, channel: 'cli' },
            opts.json ? undefined : (d) => process.stdout.write(d),
          );
          if (opts.json) return console.log(JSON.stringify(answerJson(result), null, 2));
          console.log('');
          printCitations(result);
          if (result.escalated) console.log('\n(Handed over to the support team.)');
          console.error(
            `\nconversation ${result.conversationId}${identity.kind === 'visitor' ? ` · visitor ${identity.visitorId}` : ''} · ${result.model}`,
          );
        });
      },
    );

  program
    .command('chat')
    .description('Chat with the support agent in the terminal (/new starts over, /exit quits)')
    .option('--customer <id>', 'chat as this customer (id or email)')
    .option(...dataDirOption)
    .action(async (opts: { customer?: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const deps = await agentDepsFor(rt);
        const identity = await cliIdentity(rt, opts);
        console.log(modelBanner(deps));
        console.log(
          identity.kind === 'customer'
            ? `Signed in as ${identity.name ?? identity.externalId}.`
            : 'Chatting as an anonymous visitor.',
        );
        const rl = readline.createInterface({ input: process.stdin, terminal: process.stdin.isTTY });
        const prompt = () => process.stdout.write('\nyou › ');
        let conversationId: string | undefined;
        prompt();
        // The async iterator buffers lines, so piped input is read in full even while a turn runs.
        for await (const raw of rl) {
          const line = raw.trim();
          if (line === '/exit') break;
          if (line === '/new') {
            conversationId = undefined;
            console.log('(new conversation)');
          } else if (line) {
            process.stdout.write('\nparley › ');
            try {
              const result = await runTurn(
                deps,
                { identity, message: line, conversationId, channel: 'cli' },
                (d) => process.stdout.write(d),
              );
              conversationId = result.conversationId;
              console.log('');
              printCitations(result);
              if (result.escalated) console.log('(Handed over to the support team.)');
            } catch (error) {
              console.log(`\n[error] ${(error as Error).message}`);
            }
          }
          prompt();
        }
        rl.close();
        console.log('');
      });
    });
}
