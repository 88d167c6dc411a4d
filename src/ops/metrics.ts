import client from 'prom-client';

/**
 * Parley's Prometheus metrics, one registry per process (each server replica and worker exposes its own).
 * Everything here is cheap to update; job queue depth is read from the database when scraped.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'parley_process_' });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  httpRequests: new client.Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new client.Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request latency until the response starts (streams: until the headers)',
    labelNames: ['method', 'route'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  turns: new client.Counter({
    name: 'parley_agent_turns_total',
    help: 'Agent turns by outcome (answered, abstained, escalated, error), model and channel',
    labelNames: ['outcome', 'model', 'channel'] as const,
    registers: [registry],
  }),
  turnDuration: new client.Histogram({
    name: 'parley_agent_turn_duration_seconds',
    help: 'Agent turn latency, from the question to the stored answer',
    labelNames: ['model'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  toolCalls: new client.Counter({
    name: 'parley_tool_calls_total',
    help: 'Tool calls made by the agent',
    labelNames: ['tool'] as const,
    registers: [registry],
  }),
  tokens: new client.Counter({
    name: 'parley_model_tokens_total',
    help: 'Model tokens by model and direction (input, output)',
    labelNames: ['model', 'direction'] as const,
    registers: [registry],
  }),
  cost: new client.Counter({
    name: 'parley_model_cost_usd_total',
    help: 'Estimated model cost in US dollars (list prices of known models)',
    labelNames: ['model'] as const,
    registers: [registry],
  }),
  retrieval: new client.Histogram({
    name: 'parley_retrieval_duration_seconds',
    help: 'Knowledge search latency (hybrid full-text and vector)',
    buckets: seconds,
    registers: [registry],
  }),
  errors: new client.Counter({
    name: 'parley_errors_total',
    help: 'Errors recorded for tracking, by where they happened (request, job, process)',
    labelNames: ['source'] as const,
    registers: [registry],
  }),
  jobs: new client.Gauge({
    name: 'parley_jobs',
    help: 'Background jobs by name and state (from the queue tables, read at scrape time)',
    labelNames: ['name', 'state'] as const,
    registers: [registry],
  }),
  jobFailures: new client.Gauge({
    name: 'parley_job_failures_recent',
    help: 'Jobs that failed or are waiting to retry after an error, among the most recent',
    registers: [registry],
  }),
};

/** The metrics in Prometheus text format, after `refresh` updated the gauges read at scrape time. */
export async function renderMetrics(
  refresh?: () => Promise<void>,
): Promise<{ body: string; contentType: string }> {
  if (refresh) await refresh().catch(() => undefined);
  return { body: await registry.metrics(), contentType: registry.contentType };
}
