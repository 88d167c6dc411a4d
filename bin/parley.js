#!/usr/bin/env node
// Entry point of the `parley` command: checks the Node version, then runs the TypeScript CLI through tsx.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Parley needs Node.js 22.12 or newer (this is ${process.versions.node}). ` +
      'Run it through npm (`npm start`, `npx parley`), which uses the Node 22 installed with the project.',
  );
  process.exit(1);
}

// An empty variable means unset. src/config.ts already reads it that way, but libraries read some variables
// themselves, some as soon as they are imported: @ai-sdk/openai builds its default provider from
// OPENAI_BASE_URL at import and throws on "" (which compose.yaml passes for every unset setting).
for (const [name, value] of Object.entries(process.env)) {
  if (value !== undefined && value.trim() === '') delete process.env[name];
}

// npm runs `npm start` and `npx parley` through `sh -c`, and that shell neither forwards SIGTERM nor replaces
// itself with this process: a process manager stopping npm takes npm and the shell down and leaves this process
// running, reparented, still holding the data directory's lock. Losing the parent is treated as SIGTERM, so
// the command stops the way it would on the signal (the server finishes answers in progress, then exits).
watchParent();

const { register } = await import('tsx/esm/api');
register();
// Registered after tsx, so it sees each import first (see the file).
const { registerHooks } = await import('node:module');
const { resolve } = await import('./resolve-hooks.mjs');
registerHooks({ resolve });
await import('../src/cli/main.ts');

function watchParent() {
  const parent = process.ppid;
  // Started by init (or a container's PID 1): there is no wrapper to outlive.
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, 200);
  timer.unref();
}
