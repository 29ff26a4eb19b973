// One Jest run, three projects: unit specs beside the code, integration specs against the real MariaDB
// and Apache Kafka, end-to-end specs that start the built services as processes.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/]/g, '\\/')}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
        keepClassNames: true,
      },
      // Keep import() native so tests can load the ESM tools (kafka, jaeger, supervisor).
      module: { type: 'commonjs', ignoreDynamic: true },
    },
  ],
};

const base = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };
const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/charts'];

module.exports = {
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', roots, testMatch: ['**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      roots,
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup-integration.js',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
    },
    {
      ...base,
      displayName: 'e2e',
      roots,
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup-e2e.js',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
    },
  ],
};
