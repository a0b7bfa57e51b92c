import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Lint rules, including the two architecture boundaries the type checker cannot see:
 *  1. The engine, the API layer, the headless server, the shared contract and the renderer never
 *     import Electron (DESIGN §2.10: the same engine runs under plain Node in `tickr serve`).
 *  2. Only the IPC transport and the preload touch ipcMain / ipcRenderer (the Heroic pattern), so
 *     every IPC message goes through the one place that checks the sender and wraps results.
 */

/** The two modules allowed to use ipcMain / ipcRenderer. */
const IPC_MODULES = ['src/main/app/ipc-transport.ts', 'src/preload/index.ts'];

/** Code that must run without Electron. */
const ELECTRON_FREE = [
  'src/main/engine/**',
  'src/main/api/**',
  'src/main/server/**',
  'src/shared/**',
  'src/renderer/**',
];

const IPC_MESSAGE = 'Only src/main/app/ipc-transport.ts and src/preload/index.ts may use ipcMain/ipcRenderer.';
const ELECTRON_MESSAGE =
  'This code must run without Electron (engine, api, server, shared, renderer): do not import electron.';

const ipcSyntax = [
  // Catches `electron.ipcMain`, `require('electron').ipcRenderer` and the like.
  { selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]', message: IPC_MESSAGE },
  // Named imports only, so the no-restricted-imports rule below can see which binding is used.
  {
    selector: "ImportDeclaration[source.value='electron'] > :matches(ImportDefaultSpecifier, ImportNamespaceSpecifier)",
    message: "Import named bindings from 'electron' (import { app } from 'electron').",
  },
];

/** Globals of the plain .js/.mjs files (bin/, scripts/): TypeScript checks the .ts ones itself. */
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'fetch',
    'AbortController',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'coverage/**', 'test-results/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // The Rules of Hooks and the React Compiler's checks, for the renderer; exhaustive-deps as an
    // error, since a stale closure over the store is a silent bug.
    files: ['src/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // CommonJS run with `node -e` (the job spawner): require is how it loads node's modules.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: IPC_MODULES,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: IPC_MESSAGE }] },
      ],
      'no-restricted-syntax': ['error', ...ipcSyntax],
    },
  },
  {
    // Later in the list, so these options replace the IPC-only ones above for these folders.
    files: ELECTRON_FREE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: ELECTRON_MESSAGE }],
          patterns: [{ group: ['electron/*'], message: ELECTRON_MESSAGE }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...ipcSyntax,
        { selector: 'ImportExpression[source.value=/^electron(\\u002F|$)/]', message: ELECTRON_MESSAGE },
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
          message: ELECTRON_MESSAGE,
        },
      ],
    },
  },
);
