import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path → content) into a new temporary folder and returns its path. */
export function writeTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

export const testIngestSettings = {
  maxFileBytes: 1024 * 1024,
  fetchTimeoutMs: 2000,
  chunk: { maxTokens: 120, overlapTokens: 20 },
  // Test pages are served on loopback, which URL ingestion otherwise refuses.
  fetchAllowHosts: ['127.0.0.1', 'localhost'],
};
