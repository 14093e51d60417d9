// ESLint flat config. It lives in .config/ so the top level keeps exactly the layout the customer
// asked for; package.json passes it with --config.
import { resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'web/dist/**',
      'web/src/api/openapi.d.ts',
      'data/**',
      'migrations/**',
      '.tap/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: resolve(import.meta.dirname, '..') },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // tap: t.test() returns a promise tap itself tracks; responses are typed by assertion.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Only the Asterisk ports may talk to the client libraries (design §2 rule 2).
    files: ['src/**/*.ts'],
    ignores: ['src/platform/asterisk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'ari-client', message: 'Use the ARI port in src/platform/asterisk.' },
            { name: 'asterisk-manager', message: 'Use the AMI port in src/platform/asterisk.' },
          ],
        },
      ],
    },
  },
  prettier,
);
