/**
 * A `parley worker` process for tests: the same command, with a maintenance pass every 2 seconds so a killed
 * worker's jobs come back within the test's time. Run as `node --import tsx src/jobs/worker-process.fixture.ts N`
 * with `DATABASE_URL` set.
 */
import { runWorkerCommand } from '../cli/worker.ts';

await runWorkerCommand({ concurrency: Number(process.argv[2] ?? 2), superviseIntervalSeconds: 2 });
