import { type Command } from 'commander';
import { eq } from 'drizzle-orm';
import { type Conversation, conversations } from '../db/schema/index.ts';
import { linkVisitorToCustomer, listConversations, listMessages } from '../support/conversations.ts';
import { type JobQueue, openQueue } from '../jobs/queue.ts';
import { resolveAsStaff } from '../server/resolve-conversation.ts';
import type { NotifyHandoff } from '../support/handoff-notifications.ts';
import { type NotificationQueue, notifyConversationEvent } from '../support/notifications/index.ts';
import { approveSolution, listSolutions, rejectSolution } from '../support/solutions.ts';
import { positiveInt } from './search.ts';
import { dataDirOption, type Runtime, withRuntime } from './runtime.ts';
import { cliIdentity } from './agent.ts';

export function registerConversations(program: Command): void {
  const cmd = program.command('conversations').description('Read conversations and mark them resolved');
  cmd
    .command('list')
    .description("Recent conversations (all, or one customer's)")
    .option('--customer <id>', "only this customer's (id or email)")
    .option('--status <status>', 'open, resolved or escalated')
    .option('--limit <n>', 'how many', positiveInt, 20)
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(
      async (opts: {
        customer?: string;
        status?: string;
        limit: number;
        json?: boolean;
        dataDir?: string;
      }) => {
        await withRuntime(opts, async (rt) => {
          const identity = opts.customer ? await cliIdentity(rt, { customer: opts.customer }) : undefined;
          const filtered = await listConversations(rt.database.db, {
            status: opts.status as Conversation['status'] | undefined,
            customerId: identity?.kind === 'customer' ? identity.customerId : undefined,
            limit: opts.limit,
          });
          if (opts.json) return console.log(JSON.stringify(filtered, null, 2));
          for (const c of filtered) {
            const who = c.customer ?? '';
            console.log(
              `${c.id}  ${c.updatedAt.toISOString().slice(0, 16)}  ${c.status.padEnd(9)} ${who.padEnd(12)} ${c.title ?? ''}`,
            );
          }
          if (filtered.length === 0) console.log('No conversations.');
        });
      },
    );
  cmd
    .command('show')
    .description('A conversation transcript with tool calls and citations')
    .argument('<id>')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(async (id: string, opts: { json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const [c] = await rt.database.db.select().from(conversations).where(eq(conversations.id, id));
        if (!c) throw new Error(`No conversation ${id}`);
        const transcript = await listMessages(rt.database.db, id);
        if (opts.json) return console.log(JSON.stringify({ conversation: c, messages: transcript }, null, 2));
        console.log(
          `${c.title ?? '(untitled)'} — ${c.status}${c.escalationReason ? ` (${c.escalationReason})` : ''}`,
        );
        if (c.summary) console.log(`Summary: ${c.summary}`);
        for (const m of transcript) {
          console.log(
            `\n[${m.role}] ${m.createdAt.toISOString().slice(11, 19)}${m.model ? ` · ${m.model}` : ''}`,
          );
          for (const p of m.parts as { name?: string; input?: unknown }[])
            console.log(`  ↳ ${p.name}(${JSON.stringify(p.input)})`);
          console.log(m.content);
          for (const cit of m.citations)
            console.log(`  source: ${cit.heading ? `${cit.heading} — ` : ''}${cit.source}`);
        }
      });
    });
  cmd
    .command('link')
    .description("Give an anonymous visitor's conversations to the customer they turned out to be")
    .requiredOption('--visitor <id>', 'the visitor id (shown by `parley ask`, kept by the widget)')
    .requiredOption('--customer <id>', 'the customer (id or email)')
    .option(...dataDirOption)
    .action(async (opts: { visitor: string; customer: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const identity = await cliIdentity(rt, { customer: opts.customer });
        if (identity.kind !== 'customer') throw new Error(`No customer "${opts.customer}"`);
        const n = await linkVisitorToCustomer(rt.database.db, opts.visitor, identity.customerId);
        console.log(`Linked ${n} conversation${n === 1 ? '' : 's'} to ${identity.externalId}.`);
      });
    });
  cmd
    .command('resolve')
    .description('Mark a conversation resolved; its fix becomes a suggested solution for review')
    .argument('<id>')
    .option('--note <text>', 'what fixed it (becomes the suggested solution and a staff note)')
    .option('--as <name>', 'the staff name recorded with the note', 'cli')
    .option(...dataDirOption)
    .action(async (id: string, opts: { note?: string; as: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const author = { name: opts.as, tokenId: null };
        const result = await withNotifier(rt, (notify) =>
          resolveAsStaff({ db: rt.database.db, notify }, id, author, opts.note),
        );
        if (!result.ok)
          throw new Error(result.refused === 'not_found' ? `No conversation ${id}` : result.message);
        const { solutionId } = result.value;
        console.log(
          `Resolved.${solutionId ? ` Suggested solution ${solutionId} awaits review (parley solutions list).` : ''}`,
        );
      });
    });
}

/**
 * Hand-off notifications as the server sends them: each delivery a retried `notify.deliver` job, run by the
 * server's worker or `parley worker`.
 */
async function withNotifier<T>(rt: Runtime, run: (notify: NotifyHandoff) => Promise<T>): Promise<T> {
  // Opened on the first delivery: with no webhook or email configured nothing is sent and pg-boss never starts.
  let queue: Promise<JobQueue> | undefined;
  const deliveries: NotificationQueue = {
    enqueue: async (name, payload) =>
      (await (queue ??= openQueue(rt.database, { role: 'producer' }))).enqueue(name, payload),
  };
  const notify: NotifyHandoff = (event) =>
    notifyConversationEvent(
      { db: rt.database.db, queue: deliveries, config: rt.config.server, log: (line) => console.error(line) },
      event,
    );
  try {
    return await run(notify);
  } finally {
    // A queue that failed to open was reported with its notification.
    await (await queue?.catch(() => undefined))?.close();
  }
}

export function registerSolutions(program: Command): void {
  const cmd = program
    .command('solutions')
    .description('Review solutions learned from resolved conversations');
  cmd
    .command('list')
    .description('Solutions, newest first (default: those awaiting review)')
    .option('--status <status>', 'suggested, approved or rejected', 'suggested')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(
      async (opts: { status: 'suggested' | 'approved' | 'rejected'; json?: boolean; dataDir?: string }) => {
        await withRuntime(opts, async (rt) => {
          const rows = (await listSolutions(rt.database.db, opts.status)).map(({ embedding: _e, ...s }) => s);
          if (opts.json) return console.log(JSON.stringify(rows, null, 2));
          for (const s of rows) {
            console.log(
              `${s.id}  used ${s.timesUsed}, resolved ${s.timesResolved}${s.product ? `  [${s.product}]` : ''}`,
            );
            console.log(`  problem:    ${s.problem.replace(/\s+/g, ' ').slice(0, 160)}`);
            console.log(`  resolution: ${s.resolution.replace(/\s+/g, ' ').slice(0, 160)}\n`);
          }
          if (rows.length === 0) console.log(`No ${opts.status} solutions.`);
        });
      },
    );
  cmd
    .command('approve')
    .description('Approve a solution (optionally edited) so the agent can offer it')
    .argument('<id>')
    .option('--problem <text>', 'replace the problem statement')
    .option('--resolution <text>', 'replace the resolution')
    .option('--product <sku>', 'the product it applies to')
    .option('--reviewer <name>', 'who reviewed it')
    .option(...dataDirOption)
    .action(
      async (
        id: string,
        opts: {
          problem?: string;
          resolution?: string;
          product?: string;
          reviewer?: string;
          dataDir?: string;
        },
      ) => {
        await withRuntime(opts, async (rt) => {
          const s = await approveSolution(rt.database.db, rt.embedder, id, opts);
          if (!s) throw new Error(`No solution ${id}`);
          console.log(`Approved ${s.id}; the agent can now offer it.`);
        });
      },
    );
  cmd
    .command('reject')
    .description('Reject a suggested solution')
    .argument('<id>')
    .option('--reviewer <name>', 'who reviewed it')
    .option(...dataDirOption)
    .action(async (id: string, opts: { reviewer?: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const s = await rejectSolution(rt.database.db, id, opts.reviewer);
        if (!s) throw new Error(`No solution ${id}`);
        console.log(`Rejected ${s.id}.`);
      });
    });
}
