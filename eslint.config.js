// ESLint (flat config): typescript-eslint's type-aware recommended rules over the
// TypeScript sources (src, test, scripts, vitest.config.ts) and the console's browser
// modules (src/ui/assets/*.js, typed with JSDoc and checked by src/ui/tsconfig.json).
// Import cycles are checked apart, type-only imports included: `npm run lint:cycles`
// (.dependency-cruiser.js). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'data/', 'test-artifacts/', 'docs/', 'bench/data*/', 'openapi/*.d.ts'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_name` marks a binding kept on purpose (a parameter a signature needs, an element
      // skipped in a destructuring); `{ dropped, ...rest }` is how a member is left out.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/ui/assets/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
  },
  {
    // Tests read wire answers (`res.body`, parsed JSON, page.evaluate results) as `any` and
    // assert on them: the no-unsafe-* family would flag every such read without catching
    // bugs that the assertions do not. The rest (floating promises above all: an
    // un-awaited `expect(...).rejects` passes silently) stays on.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // The same reads, declared: `any` is how a test says "a wire answer, checked by the assertions".
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The project's own tooling configs: plain Node ESM that no tsconfig includes.
    files: ['*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
