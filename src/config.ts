import path from 'node:path';
import { z } from 'zod';

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
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** Postgres server connection string; when absent Parley uses embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  openai: { apiKey: string; baseURL: string | undefined } | undefined;
  embedding: { openaiModel: string; openaiDimensions: number | undefined };
  ingest: { maxFileBytes: number; fetchTimeoutMs: number; chunkTokens: number; overlapTokens: number };
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
}

export class ConfigError extends Error {}

/** Validates an environment (default: `process.env`) into a `Config`; `overrides` come from CLI flags. */
export function loadConfig(
  overrides: { dataDir?: string | undefined } = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(overrides.dataDir ?? e.PARLEY_DATA_DIR),
    openai: e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL } : undefined,
    embedding: { openaiModel: e.PARLEY_EMBEDDING_MODEL, openaiDimensions: e.PARLEY_EMBEDDING_DIMENSIONS },
    ingest: {
      maxFileBytes: Math.round(e.PARLEY_MAX_FILE_MB * 1024 * 1024),
      fetchTimeoutMs: e.PARLEY_FETCH_TIMEOUT_MS,
      chunkTokens: e.PARLEY_CHUNK_TOKENS,
      overlapTokens: e.PARLEY_CHUNK_OVERLAP_TOKENS,
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
    },
  };
}
