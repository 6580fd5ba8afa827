/** Layer rules: libs talk to each other only through their index.ts, never reach into apps, and
 * never form cycles. Run by `npm test` (npm run depcruise). */
module.exports = {
  forbidden: [
    {
      name: 'lib-internals-only-through-index',
      comment: 'Import another lib as @strongroom/<lib>, which resolves to its src/index.ts.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: {
        path: '^libs/[^/]+/src/(?!index\\.ts$)',
        pathNot: '^libs/$1/',
      },
    },
    {
      name: 'lib-internals-from-outside',
      comment: 'Code outside a lib may only use its index.ts.',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)' },
    },
    {
      name: 'libs-do-not-depend-on-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'production-code-does-not-use-testing',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['^libs/testing/', '\\.spec\\.ts$'] },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^apps/embedded-db/|^apps/web/dist/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
