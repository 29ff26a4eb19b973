import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Frameworks that must never reach the pure libraries (architecture.md §1).
const FRAMEWORKS = ['@nestjs/*', 'typeorm', 'kafkajs', '@opentelemetry/*', 'mysql2', 'express'];

const DEP_CONSTRAINTS = [
  // Layer axis: apps use libraries; libraries never reach up; pure libs import no framework.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:platform'],
  },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:platform', 'type:testing'],
  },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: FRAMEWORKS,
  },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: FRAMEWORKS },
  // Scope axis: a service reaches only its own scope and shared code.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared'] },
  { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
  { sourceTag: 'scope:invoice', onlyDependOnLibsWithTags: ['scope:invoice', 'scope:shared'] },
  { sourceTag: 'scope:tax-bridge', onlyDependOnLibsWithTags: ['scope:tax-bridge', 'scope:shared'] },
  {
    sourceTag: 'scope:reconciliation',
    onlyDependOnLibsWithTags: ['scope:reconciliation', 'scope:shared'],
  },
  {
    sourceTag: 'scope:tax-authority-sim',
    onlyDependOnLibsWithTags: ['scope:tax-authority-sim', 'scope:shared'],
  },
  { sourceTag: 'scope:ops-console', onlyDependOnLibsWithTags: ['scope:ops-console', 'scope:shared'] },
];

const BOUNDARIES = (allow) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: DEP_CONSTRAINTS,
  },
];

export default [
  {
    ignores: ['**/node_modules', '**/dist', '**/.nx', 'coverage', 'tools/dev-broker/.build', 'charts', 'k8s'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': BOUNDARIES([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A promise nobody awaits or catches ends the process when it rejects (Node's default): the chaos run
    // found one in tax-bridge. Type-aware, so every floating or misused promise is caught at lint time.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.base.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Tests of any project, and the test kits they share, may use the shared test kit (Kafka control, suite,
    // throwaway databases).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.test-kit.ts'],
    rules: { '@nx/enforce-module-boundaries': BOUNDARIES(['@fapiao/testing']) },
  },
  {
    // kafkajs stays inside libs/platform/messaging so the client can be swapped in one place (architecture.md §3).
    files: ['**/*.ts'],
    ignores: ['libs/platform/messaging/**', 'libs/testing/**', 'tools/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'kafkajs', message: 'kafkajs only inside libs/platform/messaging' }] },
      ],
    },
  },
  {
    // A domain model is plain TypeScript: the ORM, the framework and the adapters stay outside domain/, so
    // aggregates and their rules are tested without a database or a Nest container (issue 12).
    files: ['apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'kafkajs only inside libs/platform/messaging' },
            { name: 'typeorm', message: 'domain/ is persistence-free: map in infrastructure/' },
          ],
          patterns: [
            { group: ['typeorm/*', '@nestjs/*'], message: 'domain/ is free of the ORM and the framework' },
            { group: ['**/infrastructure/*'], message: 'domain/ does not depend on its adapters' },
          ],
        },
      ],
    },
  },
];
