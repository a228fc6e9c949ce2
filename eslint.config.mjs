import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', '.local/', 'dist/', 'prisma/generated/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/db/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Deprecated APIs (the Temporal SDK's untyped search attributes, among others) go away
      // in a later release; new code must not start using them.
      '@typescript-eslint/no-deprecated': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'crypto',
                'child_process',
                'http',
                'https',
                'net',
              ],
              message: 'No Node built-ins in workflow or domain code.',
            },
            {
              group: ['@prisma/*', '**/prisma/generated/**', 'express', 'pg'],
              message: 'Workflow and domain code stay free of I/O.',
            },
            {
              group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'],
              message: 'Workflows import only @temporalio/workflow.',
            },
            {
              // Types only: activity implementations (and what they import) never enter the
              // workflow bundle; options and constants workflows need live in the contracts.
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflow code imports only types from activities/ (import type …).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'crypto',
                'child_process',
                'http',
                'https',
                'net',
              ],
              message: 'domain/ is pure: no Node I/O.',
            },
            {
              group: ['@temporalio/*', '@prisma/*', '**/prisma/**', 'express', 'pg', 'zod'],
              message: 'domain/ imports neither Temporal nor Express nor Prisma.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
