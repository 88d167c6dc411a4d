import { type Command } from 'commander';
import { listErrors, resolveError } from '../ops/error-tracking.ts';
import { positiveInt } from './search.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

/** `parley errors list|resolve`: the errors tracked by fingerprint. */
export function registerTrackedErrors(program: Command): void {
  const cmd = program
    .command('errors')
    .description('Errors grouped by fingerprint: list them, mark them resolved');
  cmd
    .command('list')
    .description('Tracked errors, most recent first')
    .option('--status <status>', 'open or resolved')
    .option('--limit <n>', 'how many', positiveInt, 50)
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(async (opts: { status?: string; limit: number; json?: boolean; dataDir?: string }) => {
      if (opts.status && opts.status !== 'open' && opts.status !== 'resolved') {
        throw new Error('--status must be open or resolved');
      }
      await withRuntime(opts, async (rt) => {
        const rows = await listErrors(rt.database.db, {
          status: opts.status as 'open' | 'resolved' | undefined,
          limit: opts.limit,
        });
        if (opts.json) return console.log(JSON.stringify(rows, null, 2));
        for (const e of rows) {
          console.log(
            `${e.id}  ${e.status.padEnd(8)} ×${String(e.count).padEnd(5)} last ${e.lastSeen.toISOString().slice(0, 16)}  ${e.message.split('\n')[0]}`,
          );
        }
        if (rows.length === 0) console.log('No errors.');
      });
    });
  cmd
    .command('resolve <id>')
    .description('Mark an error resolved; it reopens if it happens again')
    .option(...dataDirOption)
    .action(async (id: string, opts: { dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`Not an error id: ${id}`);
        const row = await resolveError(rt.database.db, id);
        if (!row) throw new Error(`No error ${id}`);
        console.log(`Resolved: ${row.message.split('\n')[0]}`);
      });
    });
}
