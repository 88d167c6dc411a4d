import { OpenTelemetry } from '@ai-sdk/otel';
import { type Attributes, type Span, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type * as Logfire from '@pydantic/logfire-node';
import { registerTelemetry } from 'ai';
import type { Config } from '../config.ts';

export type { Span } from '@opentelemetry/api';

type SpanProcessor = NonNullable<Logfire.LogfireConfigOptions['additionalSpanProcessors']>[number];

export interface TelemetryOptions {
  serviceName: string;
  version?: string;
  /** Logfire API base URL; by default Logfire derives it from the token's region. */
  baseUrl?: string;
  /** More span processors that see every span, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface TelemetryStatus {
  /** Spans are recorded (Logfire's OpenTelemetry SDK is running). */
  enabled: boolean;
  /** Spans are exported to Logfire, in batches, off the request path. */
  sendingToLogfire: boolean;
}

interface Started {
  status: TelemetryStatus;
  logfire?: typeof Logfire;
}

let started: Promise<Started> | undefined;
const aiSdkRegistered = Symbol.for('parley.telemetry.ai-sdk');

/**
 * Starts tracing: configures Logfire (console output off, sending only with a token) and registers the AI SDK's
 * OpenTelemetry integration, so every `streamText` call yields `invoke_agent → step → chat / execute_tool` spans.
 * Idempotent: later calls return the first call's status until `shutdownTelemetry()`. Without a token (and no
 * extra span processors) Logfire is not even loaded, which spares about 1.5 s of start-up.
 *
 * @example
 * await initTelemetry(config, { serviceName: 'parley', version });
 * try { await run(); } finally { await shutdownTelemetry(); }
 */
export function initTelemetry(
  config: Pick<Config, 'telemetry'>,
  options: TelemetryOptions,
): Promise<TelemetryStatus> {
  started ??= start(config.telemetry, options);
  return started.then((s) => s.status);
}

async function start(telemetry: Config['telemetry'], options: TelemetryOptions): Promise<Started> {
  const token = telemetry.logfireToken;
  const spanProcessors = options.spanProcessors ?? [];
  if (!token && spanProcessors.length === 0) return { status: { enabled: false, sendingToLogfire: false } };

  const logfire = await import('@pydantic/logfire-node');
  logfire.configure({
    token,
    // The token comes from Config only: without one, Logfire must not fall back to a .logfire credentials file.
    sendToLogfire: token ? 'if-token-present' : false,
    serviceName: options.serviceName,
    serviceVersion: options.version,
    environment: telemetry.environment,
    console: false,
    // Parley serves its own /metrics; Logfire gets traces only.
    metrics: false,
    additionalSpanProcessors: spanProcessors,
    ...(options.baseUrl ? { advanced: { baseUrl: options.baseUrl } } : {}),
  });

  // registerTelemetry appends to a process-wide list: registering twice would double every AI SDK span.
  const registry = globalThis as { [aiSdkRegistered]?: boolean };
  if (!registry[aiSdkRegistered]) {
    registerTelemetry(new OpenTelemetry({ tracer: currentTracer('gen_ai') }));
    registry[aiSdkRegistered] = true;
  }
  return { status: { enabled: true, sendingToLogfire: Boolean(token) }, logfire };
}

/**
 * Flushes pending spans and stops the SDK. Waits at most `timeoutMs` and never throws: with a token but no
 * network, flushing rejects, and losing spans must not fail or hold up the caller.
 */
export async function shutdownTelemetry({ timeoutMs = 1500 }: { timeoutMs?: number } = {}): Promise<{
  wasSending: boolean;
}> {
  const current = started;
  started = undefined;
  let wasSending = false;
  try {
    const { logfire, status } = (await current) ?? {};
    wasSending = status?.sendingToLogfire ?? false;
    await logfire?.shutdown({ timeoutMillis: timeoutMs });
  } catch {
    // Spans that could not be delivered are dropped; telemetry never decides the outcome of a command.
  }
  return { wasSending };
}

/**
 * Runs `fn` inside a new active span, so spans started within it (AI SDK, tools, retrieval) become its children.
 * A throw or rejection marks the span as failed and is rethrown. The span ends when `fn` settles, or, with
 * `endWhen`, when the promise it returns for the result settles (for work that goes on after `fn` returns).
 * Without telemetry the span is a no-op.
 *
 * @example
 * const turn = await withSpan('parley.turn', { 'parley.channel': 'api' }, (span) => open(span), {
 *   endWhen: (turn) => turn.done,
 * });
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  options: { endWhen?: (result: T) => PromiseLike<unknown> } = {},
): Promise<T> {
  return trace.getTracer('parley').startActiveSpan(name, { attributes }, async (span) => {
    let result: T;
    try {
      result = await fn(span);
    } catch (error) {
      endFailed(span, error);
      throw error;
    }
    const until = options.endWhen?.(result);
    if (until) {
      until.then(
        () => span.end(),
        (error: unknown) => endFailed(span, error),
      );
    } else {
      span.end();
    }
    return result;
  });
}

function endFailed(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

/**
 * A tracer that looks up the global provider on every span. The AI SDK integration keeps the tracer it is given,
 * and OpenTelemetry's proxy tracer sticks to the first provider it saw, so after a shutdown and a new
 * `initTelemetry()` the AI SDK spans would otherwise go to the stopped provider.
 */
function currentTracer(name: string): Tracer {
  return {
    startSpan: (spanName, spanOptions, ctx) => trace.getTracer(name).startSpan(spanName, spanOptions, ctx),
    startActiveSpan: ((...args: unknown[]) =>
      (trace.getTracer(name).startActiveSpan as (...a: unknown[]) => unknown)(
        ...args,
      )) as Tracer['startActiveSpan'],
  };
}
