import readline from 'node:readline';
import { type Command } from 'commander';
import { eq } from 'drizzle-orm';
import { type AgentDeps, runTurn, type TurnResult } from '../agent/agent.ts';
import { createAgentDeps } from '../agent/setup.ts';
import { conversations, customers } from '../db/schema/index.ts';
import { CitationNumbering, numberCitations } from '../support/citation-markers.ts';
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

/** The JSON shape of `parley ask --json`: markers [1], [2], ... number the citations in list order. */
export function answerJson(r: TurnResult) {
  const { text, citations } = numberCitations(r.answer, r.citations);
  return {
    answer: text,
    citations,
    toolCalls: r.toolCalls,
    escalated: r.escalated,
    conversationId: r.conversationId,
    outcome: r.outcome,
    model: r.model,
    offline: r.offline,
  };
}

/** Runs a turn, printing its answer as it streams with the citation markers numbered as `printCitations` lists them. */
async function streamTurn(deps: AgentDeps, input: Parameters<typeof runTurn>[1]) {
  const numbering = new CitationNumbering();
  const result = await runTurn(deps, input, (d) => process.stdout.write(numbering.push(d)));
  process.stdout.write(numbering.flush());
  return { result, citations: numbering.order(result.citations) };
}

function printCitations(citations: TurnResult['citations']): void {
  if (citations.length === 0) return;
  console.log('\nSources:');
  citations.forEach((c, i) => console.log(`  [${i + 1}] ${c.heading ? `${c.heading} — ` : ''}${c.source}`));
}

function modelBanner(deps: AgentDeps): string {
  return deps.chat.offline
    ? 'Answering with the offline model (no OPENAI_API_KEY): extractive answers from your docs.'
    : `Answering with ${deps.chat.id}.`;
}

/**
 * The line reader of `parley chat`. On a terminal, readline takes over the keyboard (raw mode) and echoes what
 * is typed to its output; without an output nothing typed was shown. Piped input is not echoed.
 */
export function chatLineReader(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
): readline.Interface {
  return readline.createInterface({ input, output, terminal: input.isTTY === true, prompt: 'you › ' });
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
          const input = {
            identity,
            message: question,
            conversationId: opts.conversation,
            channel: 'cli' as const,
          };
          if (opts.json) return console.log(JSON.stringify(answerJson(await runTurn(deps, input)), null, 2));
          const { result, citations } = await streamTurn(deps, input);
          console.log('');
          printCitations(citations);
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
        const rl = chatLineReader(process.stdin, process.stdout);
        const prompt = () => {
          process.stdout.write('\n');
          rl.prompt();
        };
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
              const { result, citations } = await streamTurn(deps, {
                identity,
                message: line,
                conversationId,
                channel: 'cli',
              });
              conversationId = result.conversationId;
              console.log('');
              printCitations(citations);
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
