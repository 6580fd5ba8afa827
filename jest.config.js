/** Two tiers: unit specs beside the code (no servers), and e2e/integration specs under test/
 * that run against the real database and storage the global setup starts once per run. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

// ESM-only packages (Node 24 loads them with require(esm); jest 30 does not), compiled to CommonJS
// for the tests. Extend the list when another ESM-only dependency arrives.
const ESM_PACKAGES = ['@tus', 'srvx', 'openid-client', 'oauth4webapi', 'jose'];
const esmTransform = {
  '^.+\\.m?js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2023' }, isolatedModules: true },
  ],
};
// The e2e tier compiles with type information and the Swagger CLI plugin, exactly as `nest build`
// does, so /docs-json in tests is the document users get.
const swaggerPlugin = { path: '<rootDir>/test/setup/swagger-plugin.transformer.js' };
const transformer = (withTypes) => ({
  ...esmTransform,
  '^.+\\.ts$': [
    'ts-jest',
    withTypes
      ? { tsconfig: 'tsconfig.json', astTransformers: { before: [swaggerPlugin] } }
      : { tsconfig: 'tsconfig.unit.json' },
  ],
});
const shared = {
  moduleFileExtensions: ['js', 'mjs', 'json', 'ts'],
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  testTimeout: 30000,
  // Run the suites in a worker that is replaced once it holds this much, not in jest's own
  // process: in band (jest's choice on two cores) every suite's leftovers accumulate in one heap,
  // which ran out of its 4 GB about halfway through the suite.
  workerIdleMemoryLimit: '2.5GB',
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      transform: transformer(false),
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      transform: transformer(true),
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
