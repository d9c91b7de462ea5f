// ESLint: typescript-eslint (type-aware) plus the import rules of ARCHITECTURE.md's folder table.
// The same layering is enforced a second time by the per-layer tsconfigs (see scripts/typecheck.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const electronImport = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (ARCHITECTURE.md, Folders).',
};
const electronSubpath = {
  group: ['electron/*'],
  message: 'Only electron/main and electron/preload may import electron (ARCHITECTURE.md, Folders).',
};
const nodeOnlyHere = (where) =>
  nodeBuiltins.map((name) => ({ name, message: `${where} is pure TypeScript: no Node built-ins here.` }));
const folder = (pattern, why) => ({ group: pattern, message: why });
const noRenderer = folder(['**/renderer', '**/renderer/**'], 'Nothing imports renderer/ (ARCHITECTURE.md).');

/** The import rules, per folder. Each `files` entry is a layer of ARCHITECTURE.md. */
export const layerRules = [
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [electronImport, ...nodeOnlyHere('shared/'), { name: 'ws', message: 'shared/ is pure.' }],
    patterns: [
      electronSubpath,
      noRenderer,
      folder(['**/native', '**/native/**', '**/electron/**', '**/e2e/**'], 'shared/ imports only itself.'),
      folder(['react', 'react-dom', 'react/*'], 'shared/ has no UI.'),
    ],
  },
  {
    files: ['native/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [electronImport],
    patterns: [
      electronSubpath,
      noRenderer,
      folder(['**/electron/**', '**/e2e/**'], 'native/ imports only shared/ (and node:worker_threads).'),
    ],
  },
  {
    files: ['electron/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [electronImport],
    patterns: [
      electronSubpath,
      noRenderer,
      folder(
        ['**/sim', '**/sim/**', '**/main/**', '**/preload/**', '**/web/**'],
        'The engine imports shared/, native/ and Node only.',
      ),
    ],
  },
  {
    files: ['electron/sim/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [electronImport],
    patterns: [
      electronSubpath,
      noRenderer,
      folder(
        ['**/engine/**', '**/main/**', '**/preload/**', '**/web/**'],
        'The local exchange imports shared/, native/ and Node only.',
      ),
    ],
  },
  {
    files: ['electron/web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [electronImport],
    patterns: [
      electronSubpath,
      noRenderer,
      folder(['**/main/**', '**/preload/**'], 'Web mode replaces Electron main; it does not use it.'),
    ],
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [],
    patterns: [
      noRenderer,
      folder(
        ['**/engine/**', '**/sim/**', '**/web/**', '**/preload/**'],
        'Main starts the engine and simulator as processes; it never imports them.',
      ),
    ],
  },
  {
    files: ['electron/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    paths: [],
    patterns: [
      noRenderer,
      folder(
        ['**/engine/**', '**/sim/**', '**/web/**', '**/main/**', '**/native/**'],
        'The preload imports shared/ types and electron only.',
      ),
    ],
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    paths: [
      electronImport,
      ...nodeOnlyHere('renderer/'),
      { name: 'ws', message: 'The renderer uses the browser WebSocket.' },
    ],
    patterns: [
      electronSubpath,
      folder(['**/electron/**', '**/e2e/**'], 'The renderer talks to the engine through the contract only.'),
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.vite/',
      'out/',
      'dist/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'tools/forbidden/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          './shared/tsconfig.json',
          './native/tsconfig.json',
          './electron/engine/tsconfig.json',
          './electron/sim/tsconfig.json',
          './electron/web/tsconfig.json',
          './electron/main/tsconfig.json',
          './electron/preload/tsconfig.json',
          './renderer/tsconfig.json',
          './tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (STYLE.md).' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Config files whose tools require a default export.
    files: ['*.config.ts', '*.config.mts', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts'],
    rules: {
      // Tests assert on values they just checked; `!` after an expect is clearer than a branch.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Vitest's asymmetric matchers (expect.objectContaining, expect.any) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  ...layerRules.map(({ files, ignores, paths, patterns }) => ({
    files,
    ignores,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
  })),
);
