import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/parley.js');

/** The environment without anything that would point the command at a real database or provider. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        !['DATABASE_URL', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(
          entry[0],
        ),
    ),
  );
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('bin/parley.js', () => {
  it('starts with every setting passed as an empty variable, as compose.yaml does', async () => {
    const blank = {
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      PARLEY_EMBEDDING_DIMENSIONS: '',
      PARLEY_ADMIN_TOKEN: '',
      LOGFIRE_TOKEN: '',
    };
    const { stdout } = await run(process.execPath, [bin, '--help'], { env: { ...cleanEnv(), ...blank } });
    expect(stdout).toMatch(/Usage: parley/);
    // A key with an empty base URL: the provider goes to OpenAI's default endpoint instead of failing to load.
    const withKey = await run(process.execPath, [bin, '--help'], {
      env: { ...cleanEnv(), ...blank, OPENAI_API_KEY: 'sk-test' },
    });
    expect(withKey.stdout).toMatch(/Usage: parley/);
  });

  // npm runs both through `sh -c`, which neither forwards SIGTERM nor execs the command.
  it.each([
    ['npx parley serve', ['exec', '--', 'parley', 'serve']],
    ['npm run parley -- serve', ['run', 'parley', '--', 'serve']],
  ])('%s stops when the npm process gets SIGTERM, releasing the data directory', async (_, command) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-stop-'));
    const lock = path.join(dataDir, 'parley.lock');
    const port = await freePort();
    // npm itself on the machine's own Node, as for someone typing the command (npm scripts, vitest included, put
    // the project's Node 22 first on the PATH).
    const PATH = (process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => !dir.includes('node_modules'))
      .join(path.delimiter);
    const npm = spawn('npm', [...command, '--port', String(port), '--data-dir', dataDir, '--no-seed'], {
      cwd: root,
      env: { ...cleanEnv(), PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (d) => (output += d));
    npm.stderr.on('data', (d) => (output += d));
    let server: number | undefined;
    try {
      await waitFor(
        'the server to answer',
        () => {
          if (npm.exitCode !== null)
            throw new Error(`npm exited (${npm.exitCode}) before the server answered`);
          return fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => (r.ok ? true : undefined),
            () => undefined,
          );
        },
        45_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; output:\n${output}`);
      });
      server = Number(fs.readFileSync(lock, 'utf8'));
      expect(server).not.toBe(npm.pid);
      expect(output).not.toMatch(/EBADENGINE/);

      npm.kill('SIGTERM');
      await waitFor('the server to exit', () => (isRunning(server!) ? undefined : true), 8000);
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      if (server && isRunning(server)) process.kill(server, 'SIGKILL');
    }
  });
});
