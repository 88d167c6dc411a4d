import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layers of `src/`, lowest first, and what each may import. Imports point down only:
 * cli → server → agent → knowledge, support → db → config; jobs and learn sit beside the server and call the
 * same services; anything may use ops (which itself uses only db and config); contracts sit at the bottom.
 */
const layers = {
  contracts: [],
  config: ['contracts'],
  db: ['config', 'contracts'],
  ops: ['db', 'config', 'contracts'],
  // Backup and restore copy the whole database and rebuild knowledge's vector index, so unlike the rest of ops
  // they sit above knowledge; only the CLI (and benchmarks) use them.
  backup: ['knowledge', 'ops', 'db', 'config', 'contracts'],
  knowledge: ['ops', 'db', 'config', 'contracts'],
  support: ['ops', 'db', 'config', 'contracts'],
  agent: ['knowledge', 'support', 'ops', 'db', 'config', 'contracts'],
  learn: ['agent', 'knowledge', 'support', 'ops', 'db', 'config', 'contracts'],
  jobs: ['learn', 'agent', 'knowledge', 'support', 'ops', 'db', 'config', 'contracts'],
  server: ['jobs', 'learn', 'agent', 'knowledge', 'support', 'ops', 'db', 'config', 'contracts'],
  cli: [
    'backup',
    'server',
    'jobs',
    'learn',
    'agent',
    'knowledge',
    'support',
    'ops',
    'db',
    'config',
    'contracts',
  ],
};

const element = (type) => ({ element: { type } });

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.parley', 'coverage', 'web/dist', 'bench/out', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Layering. Tests, fixtures, test/, bench/ and scripts/ may cross layers, so they are not checked.
    files: ['src/**/*.{ts,tsx}', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/*.fixture.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        // First match wins, so ops/backup comes before ops.
        { type: 'backup', pattern: 'src/ops/backup', partialMatch: false },
        ...Object.keys(layers)
          .filter((type) => type !== 'config' && type !== 'backup')
          .map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
        { type: 'web', pattern: 'web/src', partialMatch: false },
        // Last: what is left directly in src/ is config.ts.
        { type: 'config', pattern: 'src', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...Object.entries(layers).map(([type, below]) => ({
              from: element(type),
              allow: { to: [type, ...below].map(element) },
            })),
            // The web pages reach the server only over HTTP; they share its contracts' types and the limits.
            { from: element('web'), allow: { to: element('web') } },
            {
              from: element('web'),
              allow: { to: element('contracts'), dependency: { kind: 'type' } },
            },
            {
              from: element('web'),
              allow: { to: { file: { path: 'src/contracts/limits.ts' } } },
            },
          ],
        },
      ],
    },
  },
  {
    // Contracts are shared with the web pages: their values build on zod (as extended by @hono/zod-openapi) and on
    // each other, nothing else. Type-only imports are erased; the layering rule above keeps those off src/.
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportDeclaration[importKind!="type"][source.value!=/^(zod|@hono\\/zod-openapi|\\.\\/[\\w.-]+)$/]',
          message: 'src/contracts/ may import only zod and other contracts.',
        },
      ],
    },
  },
  {
    // The web pages import limits.ts as a value, so it must stay free of imports.
    files: ['src/contracts/limits.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration',
          message: 'limits.ts is bundled into the web pages: keep it import-free.',
        },
      ],
    },
  },
  {
    files: ['web/public/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
