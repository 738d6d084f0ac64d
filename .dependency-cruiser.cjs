/**
 * The layering of docs/architecture.md as rules. Arrows point down only:
 *
 *   app/ (Next routes)   cli/         scripts/  bench/  e2e/      <- composition roots and entry points
 *        |                 |              |
 *   components/ (UI)     agents/ (transport only)   testkit/      <- testkit: only tests and entry points use it
 *        |                 |                            |
 *   lib/ (all domain logic: parse, trace, model, snapshot, dns, graph, report, wire, server, viewer, ...)
 *
 * `npm run lint` runs this (depcruise) and ESLint. Test files (`*.test.ts(x)`) may reach into
 * testkit/ to build their inputs; nothing that ships may.
 */
const TEST = '\\.test\\.tsx?$';
const ROOTS = '^(agents|scripts|testkit|app|components|cli|bench|e2e)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle (type-only ones included): the modules cannot be understood, tested or moved one at a ' +
        'time. Break it by moving the shared part down (often into lib/model).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-imports-no-upper-layer',
      severity: 'error',
      comment:
        'lib/ is the bottom layer: it imports nothing from agents/, scripts/, testkit/, app/, components/, cli/, ' +
        'bench/ or e2e/. If lib needs it, it belongs in lib.',
      from: { path: '^lib/', pathNot: TEST },
      to: { path: ROOTS },
    },
    {
      name: 'lib-tests-import-only-testkit',
      severity: 'error',
      comment: 'A lib/ test may use testkit/ to build its inputs, but no other upper layer.',
      from: { path: `^lib/.*${TEST}` },
      to: { path: '^(agents|scripts|app|components|cli|bench|e2e)/' },
    },
    {
      name: 'components-no-domain-runtime',
      severity: 'error',
      comment:
        'components/ run in the browser: they take data shaped by lib/wire and lib/model, and may import ' +
        'types (import type) from lib/{parse,trace,k8s,snapshot,server,question}, never their code.',
      from: { path: '^components/' },
      to: {
        path: '^lib/(parse|trace|k8s|snapshot|server|question)(/|\\.tsx?$)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'agents-transport-only',
      severity: 'error',
      comment:
        'agents/ is transport (SSH, the pod agent): it uses lib/ and nothing above it. Its tests may use testkit/.',
      from: { path: '^agents/' },
      to: { path: '^(cli|app|components|scripts|bench|e2e)/' },
    },
    {
      name: 'agents-no-testkit',
      severity: 'error',
      comment: 'Shipped agent code never imports the test harness (tests may).',
      from: { path: '^agents/', pathNot: TEST },
      to: { path: '^testkit/' },
    },
    {
      name: 'testkit-only-from-tests',
      severity: 'error',
      comment:
        'testkit/ exists only to test: production code (lib, app, components, cli, agents, proxy.ts) never ' +
        'imports it outside its *.test.ts files. scripts/, bench/ and e2e/ are entry points and may.',
      from: { path: '^(lib|app|components|cli|agents)/|^proxy\\.ts$', pathNot: TEST },
      to: { path: '^testkit/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing (a moved file, a typo in an @/ path).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|coverage|test-results|playwright-report)/' },
    // `import type` edges are kept (and marked type-only) so the components rule can allow exactly them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
