import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// Where code runs is visible in its path, and lint enforces it: shared/ runs anywhere, the engine is
// Node without Electron, the renderer is browser-only, and only main/preload may import 'electron'.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto', 'url']
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bench/**', 'e2e/**', 'bin/**'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['shared/**'],
    rules: restrict(
      [...nodeBuiltins, 'electron', '**/electron/**', '**/renderer/**', 'better-sqlite3', 'react'],
      'shared/ runs anywhere: no Node, no DOM, no Electron, no engine or UI code',
    ),
  },
  {
    files: ['electron/core/**', 'electron/serve/**', 'electron/cli/**'],
    rules: restrict(
      ['electron', '**/electron/main/**', '**/electron/preload/**', '**/renderer/**'],
      'the engine and the Node hosts never import electron or the UI',
    ),
  },
  {
    files: ['renderer/**'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'electron',
        '**/electron/**',
        'better-sqlite3',
        'drizzle-orm',
        'drizzle-orm/*',
      ],
      'the renderer is browser-only and reaches the engine through FactoryClient',
    ),
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
)
