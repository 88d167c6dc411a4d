import { deliverNotification } from '../support/notifications/index.ts';
import type { JobPayload } from './catalog.ts';
import type { JobOutcome, WorkerDeps } from './worker.ts';

/** Handlers of the hand-off notifications; like the others, they only call a service. */
export const notifyHandlers = {
  'notify.deliver': async (payload: JobPayload<'notify.deliver'>, deps: WorkerDeps): Promise<JobOutcome> => {
    const { channel, event } = payload;
    const subject = `${channel} ${event.type} ${event.conversationId}`;
    if (!deps.config) {
      const message = "notify.deliver needs the worker's configuration";
      return { status: 'deadletter', output: { code: 'no_config', message }, summary: message };
    }
    const result = await deliverNotification({ db: deps.db, config: deps.config.server }, payload);
    const summary = `${subject}: ${result.detail}`;
    if (result.status === 'delivered' || result.status === 'skipped') {
      return { status: 'completed', output: { result: result.status, detail: result.detail }, summary };
    }
    // A receiver that refused the request (a 4xx, a 5xx SMTP reply) will refuse it again: not retried.
    return {
      status: result.status === 'retry' ? 'failed' : 'deadletter',
      output: { code: result.status === 'retry' ? 'unreachable' : 'rejected', message: result.detail },
      summary,
    };
  },
};
