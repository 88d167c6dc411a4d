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
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
