import path from 'node:path';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/**
 * The environment Parley reads, validated once. Nothing else in `src/` touches `process.env`:
 * everything downstream receives a `Config` (or the part of it it needs) as an argument.
 */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PARLEY_DATA_DIR: z.string().min(1).default('.parley'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  PARLEY_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  // pgvector's HNSW index takes at most 2000 dimensions.
  PARLEY_EMBEDDING_DIMENSIONS: z.coerce.number().int().positive().max(2000).optional(),
  PARLEY_MAX_FILE_MB: z.coerce.number().positive().max(1024).default(25),
  PARLEY_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  PARLEY_CHUNK_TOKENS: z.coerce.number().int().min(64).max(2000).default(300),
  PARLEY_CHUNK_OVERLAP_TOKENS: z.coerce.number().int().min(0).max(500).default(40),
  // Limits on what one document may expand into, so a small hostile file cannot exhaust memory or time.
  PARLEY_MAX_EXTRACTED_MB: z.coerce.number().positive().max(4096).default(100),
  PARLEY_MAX_PDF_PAGES: z.coerce.number().int().positive().default(2000),
  PARLEY_MAX_TEXT_MB: z.coerce.number().positive().max(1024).default(32),
  PARLEY_MAX_CHUNKS: z.coerce.number().int().positive().default(30_000),
  PARLEY_EXTRACT_TIMEOUT_S: z.coerce.number().positive().default(300),
  PARLEY_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  PARLEY_CHAT_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  PARLEY_MAX_STEPS: z.coerce.number().int().min(1).max(20).default(5),
  PARLEY_HISTORY_TOKENS: z.coerce.number().int().min(200).max(100_000).default(3000),
  PARLEY_ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  LOGFIRE_TOKEN: z.string().min(1).optional(),
  PARLEY_ENVIRONMENT: z.string().min(1).default('development'),
  PARLEY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PARLEY_HOST: z.string().min(1).default('127.0.0.1'),
  PARLEY_IDENTITY_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  PARLEY_IDENTITY_SECRET_PREVIOUS: z.string().min(16, 'use at least 16 characters').optional(),
  PARLEY_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  PARLEY_WIDGET_ORIGINS: z.string().default(''),
  PARLEY_RATE_LIMIT_IP: z.coerce.number().int().min(1).default(120),
  PARLEY_RATE_LIMIT_CUSTOMER: z.coerce.number().int().min(1).default(30),
  PARLEY_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  // Identity and exposure (issue 11): the bearer token Prometheus sends to /metrics (staff tokens work too).
  PARLEY_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  // Outbound fetches and backups (issue 11): hosts URL ingestion may reach on private networks, the backup key.
  PARLEY_FETCH_ALLOW_HOSTS: z.string().default(''),
  PARLEY_BACKUP_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  // Hand-off notifications (issue 13): a webhook (JSON or Slack), email through SMTP, and the address links use.
  PARLEY_WEBHOOK_URL: httpUrl.optional(),
  PARLEY_WEBHOOK_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  PARLEY_WEBHOOK_FORMAT: z.enum(['json', 'slack']).default('json'),
  PARLEY_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://user:pass@host:port or smtps://…')
    .optional(),
  PARLEY_MAIL_FROM: z.string().min(3).max(200).optional(),
  PARLEY_STAFF_EMAIL: z.string().default(''),
  PARLEY_PUBLIC_URL: httpUrl.optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable Parley reads. */
export const envVariables = Object.keys(envSchema.shape) as (keyof Env)[];

/** Where the OpenAI provider goes when `OPENAI_BASE_URL` is unset. */
export const defaultOpenAIBaseURL = 'https://api.openai.com/v1';

export interface Config {
  /** Postgres server connection string; when absent Parley uses embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  openai: { apiKey: string; baseURL: string } | undefined;
  embedding: { openaiModel: string; openaiDimensions: number | undefined };
  ingest: {
    maxFileBytes: number;
    fetchTimeoutMs: number;
    chunkTokens: number;
    overlapTokens: number;
    limits: {
      /** Most bytes an archive (DOCX) may decompress to, all its entries together. */
      maxExtractedBytes: number;
      maxPdfPages: number;
      /** Most characters of text extracted from one document. */
      maxTextChars: number;
      maxChunks: number;
      /** Longest extraction and chunking of one document may take. */
      timeoutMs: number;
    };
  };
  logLevel: Env['PARLEY_LOG_LEVEL'];
  agent: {
    /** Chat model name when OpenAI (or a compatible server) is configured. */
    chatModel: string;
    maxSteps: number;
    historyTokens: number;
    /** Passages whose relevance to the question is below this are not used; with none left, the agent abstains. */
    abstainThreshold: number;
  };
  telemetry: { logfireToken: string | undefined; environment: string };
  server: ServerConfig;
  /** Host names URL ingestion may fetch although they resolve to private, loopback or link-local addresses. */
  fetchAllowHosts: string[];
  /** Signs backups (HMAC-SHA256) and verifies them on restore. */
  backupKey: string | undefined;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** Verifies signed customer ids (HMAC-SHA256) and customer JWTs (HS256) from the host site. */
  identitySecret: string | undefined;
  /** The secret being rotated out: still accepted, so signatures made just before a rotation keep working. */
  previousIdentitySecret: string | undefined;
  /** A staff token accepted besides the ones created with `parley admin create-token`. */
  adminToken: string | undefined;
  /** Origins allowed to call the chat APIs from a browser (the sites embedding the widget). */
  widgetOrigins: string[];
  /** Chat requests per minute, per client IP and per signed-in customer. */
  rateLimit: { perIp: number; perCustomer: number };
  /** Take the client IP from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  /** Bearer token that may read `/metrics` (besides staff tokens); without it only staff may. */
  metricsToken: string | undefined;
  /** Where hand-off events are announced: a webhook, email to staff and to customers. */
  notifications: NotificationConfig;
}

/** Hand-off notifications; each channel is off when its variables are unset. */
export interface NotificationConfig {
  webhook: { url: string; secret: string | undefined; format: 'json' | 'slack' } | undefined;
  email: { smtpUrl: string; from: string; staff: string[] } | undefined;
  /** Parley's public address (no trailing slash), for links to the console in messages. */
  publicUrl: string | undefined;
}

export class ConfigError extends Error {}

/**
 * An empty variable means unset, for every variable: `compose.yaml` passes `${X:-}` through, and a `FOO=` line in
 * an env file should fall back to the default rather than fail validation (or reach a library as "").
 */
export function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '',
    ),
  );
}

/** Validates an environment (default: `process.env`) into a `Config`; `overrides` come from CLI flags. */
export function loadConfig(
  overrides: { dataDir?: string | undefined } = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(overrides.dataDir ?? e.PARLEY_DATA_DIR),
    openai: e.OPENAI_API_KEY
      ? { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL ?? defaultOpenAIBaseURL }
      : undefined,
    embedding: { openaiModel: e.PARLEY_EMBEDDING_MODEL, openaiDimensions: e.PARLEY_EMBEDDING_DIMENSIONS },
    ingest: {
      maxFileBytes: Math.round(e.PARLEY_MAX_FILE_MB * 1024 * 1024),
      fetchTimeoutMs: e.PARLEY_FETCH_TIMEOUT_MS,
      chunkTokens: e.PARLEY_CHUNK_TOKENS,
      overlapTokens: e.PARLEY_CHUNK_OVERLAP_TOKENS,
      limits: {
        maxExtractedBytes: Math.round(e.PARLEY_MAX_EXTRACTED_MB * 1024 * 1024),
        maxPdfPages: e.PARLEY_MAX_PDF_PAGES,
        maxTextChars: Math.round(e.PARLEY_MAX_TEXT_MB * 1024 * 1024),
        maxChunks: e.PARLEY_MAX_CHUNKS,
        timeoutMs: Math.round(e.PARLEY_EXTRACT_TIMEOUT_S * 1000),
      },
    },
    logLevel: e.PARLEY_LOG_LEVEL,
    agent: {
      chatModel: e.PARLEY_CHAT_MODEL,
      maxSteps: e.PARLEY_MAX_STEPS,
      historyTokens: e.PARLEY_HISTORY_TOKENS,
      abstainThreshold: e.PARLEY_ABSTAIN_THRESHOLD,
    },
    telemetry: { logfireToken: e.LOGFIRE_TOKEN, environment: e.PARLEY_ENVIRONMENT },
    server: {
      port: e.PARLEY_PORT,
      host: e.PARLEY_HOST,
      identitySecret: e.PARLEY_IDENTITY_SECRET,
      previousIdentitySecret: e.PARLEY_IDENTITY_SECRET_PREVIOUS,
      adminToken: e.PARLEY_ADMIN_TOKEN,
      widgetOrigins: e.PARLEY_WIDGET_ORIGINS.split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean),
      rateLimit: { perIp: e.PARLEY_RATE_LIMIT_IP, perCustomer: e.PARLEY_RATE_LIMIT_CUSTOMER },
      trustProxy: e.PARLEY_TRUST_PROXY === 'true',
      metricsToken: e.PARLEY_METRICS_TOKEN,
      notifications: notificationConfig(e),
    },
    // Compared with a URL's host name: lower-cased, IPv6 addresses without their brackets.
    fetchAllowHosts: e.PARLEY_FETCH_ALLOW_HOSTS.split(',')
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
    backupKey: e.PARLEY_BACKUP_KEY,
  };
}

function notificationConfig(e: Env): NotificationConfig {
  const publicUrl = e.PARLEY_PUBLIC_URL?.replace(/\/+$/, '');
  return {
    webhook: e.PARLEY_WEBHOOK_URL
      ? { url: e.PARLEY_WEBHOOK_URL, secret: e.PARLEY_WEBHOOK_SECRET, format: e.PARLEY_WEBHOOK_FORMAT }
      : undefined,
    email: e.PARLEY_SMTP_URL
      ? {
          smtpUrl: e.PARLEY_SMTP_URL,
          from:
            e.PARLEY_MAIL_FROM ?? `Parley <parley@${publicUrl ? new URL(publicUrl).hostname : 'localhost'}>`,
          staff: e.PARLEY_STAFF_EMAIL.split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        }
      : undefined,
    publicUrl,
  };
}
