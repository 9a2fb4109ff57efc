// @ts-check
// Lint is about correctness; layout is Prettier's job (eslint-config-prettier,
// last, switches off every rule that would argue with it). `npm run lint`
// allows no warnings, so a rule here is either worth fixing or not enabled.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import prettier from 'eslint-config-prettier/flat'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  // Build output, generated jobs and the separately installed Node 24 are not ours to lint.
  globalIgnores(['dist/', 'lib/', 'coverage/', 'jobs/', 'tools/node24/', '.cache/', '.dist-build-*/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // tsconfig.json covers src/ and __tests__/, so the rules see the same types as `tsc`.
        projectService: true,
        tsconfigRootDir: import.meta.dirname
      }
    }
  },

  // A few strict rules that guard real bug classes here and cost nothing today.
  {
    files: ['**/*.ts'],
    rules: {
      // The packager cleans up staging folders, servers and workers in catch/finally blocks;
      // `return promise` inside try would leave that block before the promise settles.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // A new member of a union (detection kind, error code…) must not fall silently
      // through a switch that has no default. A deliberate `default:` counts as handling it.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Node and the @actions/* packages deprecate APIs between majors; hear about it at lint time.
      '@typescript-eslint/no-deprecated': 'error'
    }
  },

  // The core is shared by the Action and the CLI: it gets a Logger and throws typed
  // errors, so it must neither depend on @actions/core nor write to the console itself.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@actions/core', message: 'The core takes a Logger; only src/main.ts and src/action/ use @actions/core.' }] }
      ],
      'no-console': 'error'
    }
  },

  // The scripts, the benchmark and the config files are plain JavaScript without type
  // annotations (tsc does not check them): type-aware rules would only report the `any`
  // of every untyped parameter, so they get the syntactic rules only.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked]
  },

  prettier
)
