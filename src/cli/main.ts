import { Command } from 'commander';
import { shutdownTelemetry } from '../ops/telemetry.ts';
import { registerAdmin } from './admin.ts';
import { registerAgent } from './agent.ts';
import { registerBackup } from './backup.ts';
import { registerConversations, registerSolutions } from './conversations.ts';
import { registerDocs } from './docs.ts';
import { registerTrackedErrors } from './tracked-errors.ts';
import { registerEval } from './eval.ts';
import { registerEvalSuite } from './eval-suite.ts';
import { registerFinetune } from './finetune.ts';
import { registerIngest } from './ingest.ts';
import { registerQa } from './qa.ts';
import { registerSearch } from './search.ts';
import { registerServe } from './serve.ts';
import { registerImport, registerSeed } from './seed.ts';
import { registerSources } from './sources.ts';
import { registerWorker } from './worker.ts';

const program = new Command()
  .name('parley')
  .description('Parley: a self-hostable AI customer-support agent')
  .showHelpAfterError();

registerServe(program);
registerAgent(program);
registerConversations(program);
registerSolutions(program);
registerIngest(program);
registerSources(program);
registerWorker(program);
registerSearch(program);
registerEval(program);
registerEvalSuite(program);
registerDocs(program);
registerImport(program);
registerSeed(program);
registerAdmin(program);
registerBackup(program);
registerTrackedErrors(program);
registerQa(program);
registerFinetune(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  // Database errors wrap the server's own explanation (e.g. `extension "vector" is not available`).
  const cause = error instanceof Error ? (error.cause as Error | undefined) : undefined;
  if (cause?.message && !(error as Error).message.includes(cause.message))
    console.error(`  cause: ${cause.message}`);
  process.exitCode = 1;
} finally {
  // With Logfire configured and no network, the exporter's retry timers would keep the process alive for ~10 s.
  if ((await shutdownTelemetry()).wasSending) process.exit();
}
