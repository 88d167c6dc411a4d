// A module resolution hook registered by bin/parley.js (`module.registerHooks`: in the thread, synchronous).
//
// Node 22 parses a package's whole "exports" map again each time it resolves a file inside that package or an
// import of it (to learn the file's format from the package's "type"). drizzle-orm's map is 130 kB, read for
// each of its hundred files and for each of our files importing it: more than a second of every command's
// start. So relative imports of scripts inside node_modules are resolved here, with each package.json read once,
// and an import of a package is resolved once per importing package rather than once per importing file.
// Anything else, and any file whose package does not state its "type", goes to Node as usual.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';

/** Directory → its nearest package.json: the directory holding it and the "type" it states (or null). */
const scopeByDir = new Map();

function packageScope(dir) {
  const known = scopeByDir.get(dir);
  if (known !== undefined) return known;
  let scope = { root: dir, type: null };
  const file = path.join(dir, 'package.json');
  if (fs.existsSync(file)) {
    const stated = JSON.parse(fs.readFileSync(file, 'utf8')).type;
    scope = { root: dir, type: stated === 'module' || stated === 'commonjs' ? stated : null };
  } else if (path.basename(dir) !== 'node_modules' && path.dirname(dir) !== dir) {
    scope = packageScope(path.dirname(dir));
  }
  scopeByDir.set(dir, scope);
  return scope;
}

const relativeScript = /^\.\.?\/.*\.(?:m?js|cjs)$/;
const bareSpecifier = /^(?:@[\w-][\w.-]*\/)?[\w-][\w.-]*(?:\/|$)/;
/** `package root | conditions | specifier` → what Node resolved it to from that package. */
const bareResolved = new Map();

export function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (!parent?.startsWith('file:')) return nextResolve(specifier, context);
  if (relativeScript.test(specifier) && parent.includes('/node_modules/')) {
    const url = new URL(specifier, parent);
    const file = fileURLToPath(url);
    const format = file.endsWith('.mjs')
      ? 'module'
      : file.endsWith('.cjs')
        ? 'commonjs'
        : packageScope(path.dirname(file)).type;
    if (format && fs.existsSync(file)) return { url: url.href, format, shortCircuit: true };
  } else if (bareSpecifier.test(specifier) && !specifier.startsWith('node:')) {
    // Every file of a package resolves a package import the same way (no node_modules folders in between).
    const root = packageScope(path.dirname(fileURLToPath(parent))).root;
    const key = `${root}|${(context.conditions ?? []).join(',')}|${specifier}`;
    const known = bareResolved.get(key);
    if (known) return known;
    const resolved = nextResolve(specifier, context);
    if (resolved.url.startsWith('file:')) bareResolved.set(key, { ...resolved, shortCircuit: true });
    return resolved;
  }
  return nextResolve(specifier, context);
}
