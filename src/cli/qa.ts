import os from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { createChatModel } from '../agent/models/index.ts';
import {
  type QaGenerateSource,
  qaGenerateSources,
  type QaPairStatus,
  qaPairStatuses,
  type QaPairView,
  type QaSplit,
  qaSplits,
} from '../contracts/qa.ts';
import { generateQaPairs } from '../learn/qa-generate.ts';
import {
  approveAllDrafts,
  approveQaPair,
  countQaPairs,
  editQaPair,
  listQaPairs,
  rejectQaPair,
} from '../learn/qa-review.ts';
import { positiveInt } from './search.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

/** Who a review from the terminal is recorded as. */
function reviewer(): string {
  return `cli:${os.userInfo().username}`;
}

function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${what} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
}

/** `--from conversations,docs` (or repeated): the sources to generate from. */
function sourceList(value: string, previous: QaGenerateSource[] = []): QaGenerateSource[] {
  const parse = oneOf(qaGenerateSources, '--from');
  return [...previous, ...value.split(',').map((v) => parse(v.trim()))];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pairId(id: string): string {
  if (!uuid.test(id)) throw new Error(`Not a Q&A pair id: ${id}`);
  return id;
}

function printPair(p: QaPairView): void {
  const split = p.split ? ` ${p.split}` : '';
  console.log(`${p.id}  ${p.status}${split}  [${p.sourceType}] ${p.sourceLabel ?? ''}`);
  console.log(`  Q: ${p.question.replace(/\s+/g, ' ')}`);
  const answer = p.answer.replace(/\s+/g, ' ');
  console.log(`  A: ${answer.length > 240 ? `${answer.slice(0, 240)}…` : answer}`);
}

export function registerQa(program: Command): void {
  const cmd = program
    .command('qa')
    .description('Q&A pairs for fine-tuning and answer tests: generate, review, approve');

  cmd
    .command('generate')
    .description(
      'Propose draft pairs from resolved conversations, approved solutions and documents (PII replaced, ' +
        'near-duplicates merged); with OPENAI_API_KEY a model writes the document questions',
    )
    .option('--from <sources>', `comma-separated: ${qaGenerateSources.join(', ')} (default all)`, sourceList)
    .option('--json', 'print the report as JSON')
    .option(...dataDirOption)
    .action(async (opts: { from?: QaGenerateSource[]; json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const chat = rt.config.openai ? createChatModel(rt.config) : undefined;
        const report = await generateQaPairs(
          { db: rt.database.db, model: chat && { model: chat.model, id: chat.id } },
          opts.from ?? qaGenerateSources,
        );
        if (opts.json) return console.log(JSON.stringify(report, null, 2));
        const { conversation, solution, document } = report.bySource;
        console.log(
          `${report.created} new draft pairs (${conversation} from conversations, ${solution} from solutions, ` +
            `${document} from documents); ${report.replaced} drafts replaced by better-sourced ones; ` +
            `${report.duplicates} near-duplicates dropped.`,
        );
        if (report.created + report.replaced > 0)
          console.log('Review them with `parley qa list --status draft`.');
      });
    });

  cmd
    .command('list')
    .description('Pairs, newest first, with counts per status and split')
    .option('--status <status>', qaPairStatuses.join(', '), oneOf(qaPairStatuses, '--status'))
    .option('--split <split>', qaSplits.join(', '), oneOf(qaSplits, '--split'))
    .option('--limit <n>', 'how many', positiveInt, 50)
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(
      async (opts: {
        status?: QaPairStatus;
        split?: QaSplit;
        limit: number;
        json?: boolean;
        dataDir?: string;
      }) => {
        await withRuntime(opts, async (rt) => {
          const pairs = await listQaPairs(rt.database.db, {
            status: opts.status,
            split: opts.split,
            limit: opts.limit,
          });
          if (opts.json) return console.log(JSON.stringify(pairs, null, 2));
          for (const p of pairs) printPair(p);
          const c = await countQaPairs(rt.database.db);
          console.log(
            `${pairs.length ? '\n' : 'No pairs.\n'}${c.draft} draft, ${c.approved} approved ` +
              `(train ${c.train}, validation ${c.validation}, test ${c.test}), ${c.rejected} rejected`,
          );
        });
      },
    );

  cmd
    .command('approve')
    .description('Approve a pair (optionally editing it first), or every draft with --all')
    .argument('[id]', 'the pair')
    .option('--all', 'approve every draft')
    .option('--question <text>', 'replace the question')
    .option('--answer <text>', 'replace the answer')
    .option(...dataDirOption)
    .action(
      async (
        id: string | undefined,
        opts: { all?: boolean; question?: string; answer?: string; dataDir?: string },
      ) => {
        if (!id && !opts.all) throw new Error('Give a pair id, or --all to approve every draft.');
        if (id && opts.all) throw new Error('Give either a pair id or --all, not both.');
        await withRuntime(opts, async (rt) => {
          if (opts.all) {
            const n = await approveAllDrafts(rt.database.db, reviewer());
            return console.log(`Approved ${n} draft pair${n === 1 ? '' : 's'}.`);
          }
          const pair = await approveQaPair(rt.database.db, pairId(id!), reviewer(), {
            question: opts.question,
            answer: opts.answer,
          });
          if (!pair) throw new Error(`No Q&A pair ${id}`);
          console.log(`Approved (${pair.split} split).`);
        });
      },
    );

  cmd
    .command('reject <id>')
    .description('Reject a pair: kept so it is not proposed again, never exported')
    .option(...dataDirOption)
    .action(async (id: string, opts: { dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const pair = await rejectQaPair(rt.database.db, pairId(id), reviewer());
        if (!pair) throw new Error(`No Q&A pair ${id}`);
        console.log('Rejected.');
      });
    });

  cmd
    .command('edit <id>')
    .description('Edit the question or the answer of a pair (personal data typed in is replaced too)')
    .option('--question <text>', 'the new question')
    .option('--answer <text>', 'the new answer')
    .option(...dataDirOption)
    .action(async (id: string, opts: { question?: string; answer?: string; dataDir?: string }) => {
      if (opts.question === undefined && opts.answer === undefined)
        throw new Error('Give --question, --answer or both.');
      if (opts.question?.trim() === '' || opts.answer?.trim() === '')
        throw new Error('The question and the answer cannot be empty.');
      await withRuntime(opts, async (rt) => {
        const pair = await editQaPair(
          rt.database.db,
          pairId(id),
          { question: opts.question?.trim(), answer: opts.answer?.trim() },
          reviewer(),
        );
        if (!pair) throw new Error(`No Q&A pair ${id}`);
        printPair(pair);
      });
    });
}
