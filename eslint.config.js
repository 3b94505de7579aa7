// ESLint (flat config): typescript-eslint and eslint-plugin-svelte, plus the layer rules of
// ARCHITECTURE.md as `no-restricted-imports` (tests/unit/architecture.test.ts checks the same and more).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default ts.config(
  { ignores: ['node_modules/', 'dist/', 'dist-bench/', 'dev-dist/', 'public/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, __APP_VERSION__: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Comma sequences in numeric kernels are deliberate; TypeScript flags real no-op expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Dates, URLs and Sets built inside methods are transient values, not reactive state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  // Series coefficients are written with the digits of their source; the float64 value is what runs.
  { files: ['src/core/drift/ks.ts', 'src/core/drift/special.ts'], rules: { 'no-loss-of-precision': 'off' } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      { group: ['svelte', 'svelte/*', 'idb', 'comlink'], message: 'src/core is framework-free (ARCHITECTURE.md).' },
      { group: ['**/app/**', '**/ui/**', '**/workers/**'], message: 'src/core depends on nothing outside core.' },
    ],
  ),
  layer(
    ['src/core/contracts/**/*.ts'],
    [{ group: ['../*', '../**'], message: 'contracts is a leaf: it imports nothing else from core.' }],
  ),
  layer(
    ['src/ui/**/*.svelte', 'src/ui/**/*.ts'],
    [
      {
        group: ['@tensorflow/*', 'onnxruntime-web', 'onnxruntime-web/*', 'idb', 'comlink'],
        message: 'Components render; runtimes and storage live below them.',
      },
    ],
  ),
  layer(['workers/**/*.ts'], [{ group: ['**/src/app/**', '**/src/ui/**'], message: 'workers/ depends on core only.' }]),
  layer(
    ['bin/**/*.ts'],
    [{ group: ['**/src/app/**', '**/src/ui/**', '**/workers/**'], message: 'bin/ uses core, not app/ui/workers.' }],
  ),
);
