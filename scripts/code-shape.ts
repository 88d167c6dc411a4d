// Code-shape figures for src/ and web/src (tests excluded): files over 300 lines, functions over 60 lines, and
// route files that reach into the database themselves instead of calling a service.
//
//   npx tsx scripts/code-shape.ts [--json] [--root <checkout>]
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const maxFileLines = 300;
const maxFunctionLines = 60;
const scannedFolders = ['src', 'web/src'];
const routesFolder = 'src/server/routes';

interface Shape {
  root: string;
  files: number;
  longFiles: { file: string; lines: number }[];
  functions: number;
  longFunctions: { file: string; name: string; line: number; lines: number }[];
  routeFiles: number;
  routesWithSql: { file: string; imports: string[] }[];
}

function parseArgs(argv: string[]): { json: boolean; root: string } {
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 ? argv[rootAt + 1] : undefined;
  if (rootAt >= 0 && !root) throw new Error('--root needs a directory');
  return { json: argv.includes('--json'), root: path.resolve(root ?? process.cwd()) };
}

function isSourceFile(name: string): boolean {
  return /\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name) && !/\.(test|fixture)\.tsx?$/.test(name);
}

function listSources(root: string, folder: string): string[] {
  const start = path.join(root, folder);
  if (!fs.existsSync(start)) return [];
  return fs
    .readdirSync(start, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && isSourceFile(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

function isFunctionNode(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** A readable name: the declared name, or the variable, property or call an anonymous function is given to. */
function functionName(node: FunctionNode, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    return parent.name.getText(file);
  }
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText(file).replace(/\s+/g, '');
    return `(callback of ${callee.length > 40 ? `…${callee.slice(-40)}` : callee})`;
  }
  if (ts.isJsxExpression(parent)) return '(JSX handler)';
  return '(anonymous)';
}

/** Every function with its own span, start line to end line; a nested function is measured on its own too. */
function measureFunctions(file: ts.SourceFile): { name: string; line: number; lines: number }[] {
  const found: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (isFunctionNode(node) && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: functionName(node, file), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Imports that put SQL in a route: drizzle itself, or the table definitions. */
function databaseImports(file: ts.SourceFile, fileName: string, root: string): string[] {
  const schema = path.join(root, 'src/db/schema');
  const hits: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const resolved = specifier.startsWith('.') ? path.resolve(path.dirname(fileName), specifier) : '';
    if (specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/') || resolved.startsWith(schema)) {
      hits.push(specifier);
    }
  }
  return hits;
}

/** Measures the checkout at `root`. */
export function measure(root: string): Shape {
  const shape: Shape = {
    root,
    files: 0,
    longFiles: [],
    functions: 0,
    longFunctions: [],
    routeFiles: 0,
    routesWithSql: [],
  };
  for (const relative of scannedFolders.flatMap((folder) => listSources(root, folder))) {
    const fileName = path.join(root, relative);
    const text = fs.readFileSync(fileName, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const kind = relative.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
    shape.files++;
    if (lines > maxFileLines) shape.longFiles.push({ file: relative, lines });
    for (const fn of measureFunctions(file)) {
      shape.functions++;
      if (fn.lines > maxFunctionLines) shape.longFunctions.push({ file: relative, ...fn });
    }
    if (relative.startsWith(`${routesFolder}/`)) {
      shape.routeFiles++;
      const imports = databaseImports(file, fileName, root);
      if (imports.length > 0) shape.routesWithSql.push({ file: relative, imports });
    }
  }
  shape.longFiles.sort((a, b) => b.lines - a.lines);
  shape.longFunctions.sort((a, b) => b.lines - a.lines);
  return shape;
}

function report(shape: Shape): string {
  const out = [`Code shape of ${shape.root} (src/ and web/src, tests excluded; ${shape.files} files)`, ''];
  out.push(`Files over ${maxFileLines} lines: ${shape.longFiles.length}`);
  for (const f of shape.longFiles) out.push(`  ${String(f.lines).padStart(5)}  ${f.file}`);
  out.push(
    '',
    `Functions over ${maxFunctionLines} lines: ${shape.longFunctions.length} (of ${shape.functions})`,
  );
  for (const f of shape.longFunctions)
    out.push(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
  out.push(
    '',
    `Route files importing drizzle-orm or src/db/schema: ${shape.routesWithSql.length} (of ${shape.routeFiles})`,
  );
  for (const r of shape.routesWithSql) out.push(`         ${r.file}  (${r.imports.join(', ')})`);
  return out.join('\n');
}

const args = parseArgs(process.argv.slice(2));
const shape = measure(args.root);
console.log(args.json ? JSON.stringify(shape, null, 2) : report(shape));
