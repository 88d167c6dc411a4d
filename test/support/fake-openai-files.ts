/** A file uploaded to the fake's Files API. */
export interface FakeFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  content: string;
  createdAt: number;
}

export type FineTuneStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * How the next fine-tuning jobs behave: the statuses a job moves through (one step per `GET` of the job), the
 * model name it produces on success, and the error it reports on failure.
 */
export interface FineTuneScript {
  statuses?: FineTuneStatus[];
  model?: string;
  error?: string;
  trainedTokens?: number;
}

interface FakeJob {
  id: string;
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix: string | null;
  body: Record<string, unknown>;
  createdAt: number;
  steps: FineTuneStatus[];
  status: FineTuneStatus;
  script: FineTuneScript;
  events: { id: string; created_at: number; level: string; message: string; object: string; type: string }[];
  finishedAt: number | null;
}

export type FakeReply = { status: number; json: unknown };

const defaultSteps: FineTuneStatus[] = ['validating_files', 'queued', 'running', 'succeeded'];

/** The Files API and fine-tuning jobs of the fake OpenAI server. */
export class FakeFineTuning {
  readonly files: FakeFile[] = [];
  readonly jobs: FakeJob[] = [];
  private script: FineTuneScript = {};
  private counter = 0;

  /** Scripts the jobs created from now on. */
  scriptFineTune(script: FineTuneScript): void {
    this.script = script;
  }

  reset(): void {
    this.files.length = 0;
    this.jobs.length = 0;
    this.script = {};
  }

  /** Answers a Files or fine-tuning request, or undefined when the path is not one of theirs. */
  route(
    method: string,
    path: string,
    body: Record<string, unknown>,
    upload: { filename: string; content: string } | undefined,
  ): FakeReply | undefined {
    const now = Math.floor(Date.now() / 1000);
    if (method === 'POST' && path === '/v1/files') {
      if (!upload || typeof body.purpose !== 'string') return invalid('file and purpose are required');
      const file: FakeFile = {
        id: `file-${++this.counter}`,
        filename: upload.filename,
        purpose: body.purpose,
        bytes: Buffer.byteLength(upload.content),
        content: upload.content,
        createdAt: now,
      };
      this.files.push(file);
      return { status: 200, json: fileJson(file) };
    }
    const fileMatch = /^\/v1\/files\/([\w-]+)$/.exec(path);
    if (method === 'GET' && fileMatch) {
      const file = this.files.find((f) => f.id === fileMatch[1]);
      return file ? { status: 200, json: fileJson(file) } : notFound(`No file ${fileMatch[1]}`);
    }
    if (method === 'POST' && path === '/v1/fine_tuning/jobs') {
      if (typeof body.model !== 'string' || typeof body.training_file !== 'string')
        return invalid('model and training_file are required');
      if (!this.files.some((f) => f.id === body.training_file)) return invalid('training_file not found');
      const steps = [...(this.script.statuses ?? defaultSteps)];
      const job: FakeJob = {
        id: `ftjob-${++this.counter}`,
        model: body.model,
        trainingFile: body.training_file,
        validationFile: typeof body.validation_file === 'string' ? body.validation_file : null,
        suffix: typeof body.suffix === 'string' ? body.suffix : null,
        body,
        createdAt: now,
        status: steps.shift() ?? 'validating_files',
        steps,
        script: this.script,
        events: [],
        finishedAt: null,
      };
      this.addEvent(job, `Created fine-tuning job: ${job.id}`);
      this.jobs.push(job);
      return { status: 200, json: jobJson(job) };
    }
    const jobMatch = /^\/v1\/fine_tuning\/jobs\/([\w-]+)(\/events)?(?:\?.*)?$/.exec(path);
    if (method === 'GET' && jobMatch) {
      const job = this.jobs.find((j) => j.id === jobMatch[1]);
      if (!job) return notFound(`No fine-tuning job ${jobMatch[1]}`);
      if (jobMatch[2]) {
        return {
          status: 200,
          json: { object: 'list', data: [...job.events].reverse(), has_more: false },
        };
      }
      this.advance(job);
      return { status: 200, json: jobJson(job) };
    }
    return undefined;
  }

  /** Each read of a job moves it one scripted status on, like time passing on the provider. */
  private advance(job: FakeJob): void {
    const next = job.steps.shift();
    if (!next) return;
    job.status = next;
    this.addEvent(job, `Job entered status ${next}`);
    if (next === 'succeeded') {
      job.finishedAt = Math.floor(Date.now() / 1000);
      this.addEvent(job, `New fine-tuned model created: ${fineTunedModel(job)}`);
    }
    if (next === 'failed') {
      job.finishedAt = Math.floor(Date.now() / 1000);
      this.addEvent(job, job.script.error ?? 'Training failed', 'error');
    }
  }

  private addEvent(job: FakeJob, message: string, level = 'info'): void {
    job.events.push({
      id: `ftevent-${++this.counter}`,
      object: 'fine_tuning.job.event',
      created_at: Math.floor(Date.now() / 1000) + job.events.length,
      level,
      message,
      type: 'message',
    });
  }
}

function fineTunedModel(job: FakeJob): string {
  return job.script.model ?? `ft:${job.model}:parley:${job.suffix ?? 'custom'}:${job.id.slice(-4)}`;
}

function fileJson(f: FakeFile) {
  return {
    id: f.id,
    object: 'file',
    bytes: f.bytes,
    created_at: f.createdAt,
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
  };
}

function jobJson(job: FakeJob) {
  return {
    id: job.id,
    object: 'fine_tuning.job',
    created_at: job.createdAt,
    finished_at: job.finishedAt,
    model: job.model,
    fine_tuned_model: job.status === 'succeeded' ? fineTunedModel(job) : null,
    organization_id: 'org-fake',
    status: job.status,
    training_file: job.trainingFile,
    validation_file: job.validationFile,
    trained_tokens: job.status === 'succeeded' ? (job.script.trainedTokens ?? 12_345) : null,
    error:
      job.status === 'failed'
        ? { code: 'invalid_training_file', message: job.script.error ?? 'Training failed', param: null }
        : null,
    hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' },
    result_files: [],
    seed: 42,
    suffix: job.suffix,
    method: job.body.method ?? { type: 'supervised' },
  };
}

function invalid(message: string): FakeReply {
  return { status: 400, json: { error: { message, type: 'invalid_request_error' } } };
}

function notFound(message: string): FakeReply {
  return { status: 404, json: { error: { message, type: 'invalid_request_error' } } };
}

/** Parses a `multipart/form-data` body into its text fields and its (first) file. */
export function parseMultipart(
  raw: Buffer,
  contentType: string,
): { fields: Record<string, string>; file: { filename: string; content: string } | undefined } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const fields: Record<string, string> = {};
  let file: { filename: string; content: string } | undefined;
  if (!boundary) return { fields, file };
  const text = raw.toString('utf8');
  for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (filename !== undefined) file = { filename, content };
    else if (name) fields[name] = content;
  }
  return { fields, file };
}
