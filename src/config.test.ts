import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultOpenAIBaseURL, envVariables, loadConfig } from './config.ts';
import { defaultExtractionLimits } from './knowledge/extract/types.ts';

describe('config', () => {
  it('defaults to the embedded database and the local embedder', () => {
    const config = loadConfig({}, {});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('.parley'));
    expect(config.openai).toBeUndefined();
    expect(config.ingest).toEqual({
      maxFileBytes: 25 * 1024 * 1024,
      fetchTimeoutMs: 15000,
      chunkTokens: 300,
      overlapTokens: 40,
      limits: defaultExtractionLimits,
    });
  });

  it('treats an empty or blank value as unset, for every variable', () => {
    // compose.yaml passes `${X:-}` for each setting: all of them arrive as "" when the host leaves them unset.
    const blank = Object.fromEntries(envVariables.map((name, i) => [name, i % 2 ? '' : '  ']));
    expect(loadConfig({}, blank)).toEqual(loadConfig({}, {}));
    const keyOnly = loadConfig({}, { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: '' });
    expect(keyOnly.openai).toEqual({ apiKey: 'sk-x', baseURL: defaultOpenAIBaseURL });
  });

  it('reads the limits on what one document may expand into', () => {
    const { limits } = loadConfig(
      {},
      {
        PARLEY_MAX_EXTRACTED_MB: '50',
        PARLEY_MAX_PDF_PAGES: '10',
        PARLEY_MAX_TEXT_MB: '1',
        PARLEY_MAX_CHUNKS: '500',
        PARLEY_EXTRACT_TIMEOUT_S: '2.5',
      },
    ).ingest;
    expect(limits).toEqual({
      maxExtractedBytes: 50 * 1024 * 1024,
      maxPdfPages: 10,
      maxTextChars: 1024 * 1024,
      maxChunks: 500,
      timeoutMs: 2500,
    });
    expect(() => loadConfig({}, { PARLEY_MAX_PDF_PAGES: '0' })).toThrow(/PARLEY_MAX_PDF_PAGES/);
  });

  it('reads the server, OpenAI and limits, with --data-dir overriding the environment', () => {
    const config = loadConfig(
      { dataDir: '/srv/parley' },
      {
        DATABASE_URL: 'postgres://u:p@db:5432/parley',
        PARLEY_DATA_DIR: '/ignored',
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BASE_URL: 'http://localhost:11434/v1',
        PARLEY_EMBEDDING_MODEL: 'nomic-embed-text',
        PARLEY_EMBEDDING_DIMENSIONS: '768',
        PARLEY_MAX_FILE_MB: '2',
        OPENAI_ORG: '', // blank values count as unset
      },
    );
    expect(config.dataDir).toBe('/srv/parley');
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/parley');
    expect(config.openai).toEqual({ apiKey: 'sk-x', baseURL: 'http://localhost:11434/v1' });
    expect(config.embedding).toEqual({ openaiModel: 'nomic-embed-text', openaiDimensions: 768 });
    expect(config.ingest.maxFileBytes).toBe(2 * 1024 * 1024);
  });

  it('refuses invalid values, naming each variable', () => {
    expect(() => loadConfig({}, { DATABASE_URL: 'not a url', PARLEY_CHUNK_TOKENS: '5' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({}, { DATABASE_URL: 'not a url', PARLEY_CHUNK_TOKENS: '5' })).toThrow(
      /DATABASE_URL[\s\S]*PARLEY_CHUNK_TOKENS/,
    );
  });
});
