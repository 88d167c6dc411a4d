import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUse, openDatabase } from './client.ts';

describe('embedded database lock', () => {
  it('refuses a second opening of a data directory until the first closes, and takes over a stale lock', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-lock-'));
    try {
      const first = await openDatabase({ dataDir });
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirInUse);
      await first.close();
      expect(fs.existsSync(path.join(dataDir, 'parley.lock'))).toBe(false);

      // A lock left by a process that is gone (a pid that cannot exist) does not block.
      fs.writeFileSync(path.join(dataDir, 'parley.lock'), '2147483646');
      const second = await openDatabase({ dataDir });
      await second.close();
      // Nor does one with this process's own pid that this process does not hold (a restarted container).
      fs.writeFileSync(path.join(dataDir, 'parley.lock'), String(process.pid));
      const third = await openDatabase({ dataDir });
      await third.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
