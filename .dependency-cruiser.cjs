/**
 * The package graph is the architecture (docs/architecture.md): data flows S3 → ingest → store → stream →
 * render → site, and imports follow it. `npm run lint` runs this; `npm run graph` draws it.
 *
 *   digest                      imports nothing of ours
 *   site, storage, mail         digest only
 *   testing                     digest, storage (the fakes of storage's ports; only tests import it)
 *   search                      digest, site, storage
 *   config                      digest, site, mail (the settings, defined once)
 *   pipeline                    digest, site, storage, mail, search, config
 *   functions, local-stack,     anything below, never each other's internals;
 *   cli, infra                  nothing imports functions/
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const OURS = '^(packages|functions|infra)/';
const pkg = (name) => `^packages/${name}/`;

/** A package may import only the packages below it. */
const layer = (name, allowed) => ({
  name:
    allowed.length === 0 ? `${name}-imports-nothing-of-ours` : `${name}-imports-only-${allowed.join('-')}`,
  comment: `@feedwright/${name} may import ${allowed.length === 0 ? 'no package of ours' : allowed.map((a) => `@feedwright/${a}`).join(', ')}.`,
  severity: 'error',
  from: { path: pkg(name) },
  to: {
    path: OURS,
    pathNot: [pkg(name), ...allowed.map(pkg)],
  },
});

module.exports = {
  forbidden: [
    layer('digest', []),
    layer('site', ['digest']),
    layer('storage', ['digest']),
    layer('mail', ['digest']),
    layer('testing', ['digest', 'storage']),
    {
      name: 'only-tests-import-testing',
      comment: '@feedwright/testing holds the fakes for unit tests: no production module imports it.',
      severity: 'error',
      from: { path: '^(packages|functions|infra)/', pathNot: '^packages/testing/' },
      to: { path: '^packages/testing/' },
    },
    layer('search', ['digest', 'site', 'storage']),
    layer('config', ['digest', 'site', 'mail']),
    layer('pipeline', ['digest', 'site', 'storage', 'mail', 'search', 'config']),
    layer('local-stack', ['digest', 'site', 'storage', 'mail', 'search', 'config', 'pipeline']),
    layer('cli', ['digest', 'site', 'storage', 'mail', 'search', 'config', 'pipeline', 'local-stack']),
    {
      name: 'nothing-imports-functions',
      comment:
        'functions/* are Lambda entry points (clients + middy chain); their logic is in @feedwright/pipeline. ' +
        'Only their own entry test imports them.',
      severity: 'error',
      from: { pathNot: ['^functions/', '^tests/unit/functions/'] },
      to: { path: '^functions/' },
    },
    {
      name: 'no-reaching-into-another-package',
      comment:
        "Import a package by its name (@feedwright/x, or a subpath of its exports map), never another package's src/ by path.",
      severity: 'error',
      from: { path: '^(packages/[^/]+|functions|infra|bench)/' },
      to: {
        path: '^packages/[^/]+/src/',
        pathNot: '^$1/',
        dependencyTypesNot: ['aliased-workspace'],
      },
    },
    {
      name: 'tests-reach-only-into-the-cli',
      comment:
        'Tests import packages by name; only the CLI, which has no library API, is tested through its src/ files.',
      severity: 'error',
      from: { path: '^tests/' },
      to: { path: '^packages/(?!cli/)[^/]+/src/', dependencyTypesNot: ['aliased-workspace'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: OURS },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.feedwright)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      archi: {
        collapsePattern: '^(packages/[^/]+|functions/[^/]+|infra|tests|bench)',
      },
    },
  },
};
