/**
 * Draws the package graph into docs/architecture.md from the code: dependency-cruiser reads the imports of
 * packages/, functions/ and infra/ (collapsed to one node each), and this turns its JSON into a
 * Mermaid flowchart between the `<!-- package-graph -->` markers of docs/architecture.md.
 *
 *   npm run graph            rewrite the graph in docs/architecture.md
 *   npm run graph -- --check fail (exit 1) when the drawn graph is not the code's (npm run lint)
 *
 * Either way it fails when a workspace's package.json does not declare exactly the @feedwright
 * packages its code imports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = `${ROOT}docs/architecture.md`;
const START = '<!-- package-graph:start (npm run graph) -->';
const END = '<!-- package-graph:end -->';

interface Cruise {
  readonly modules: ReadonlyArray<{
    readonly source: string;
    readonly dependencies: ReadonlyArray<{ readonly resolved: string }>;
  }>;
}

const output = execFileSync(
  `${ROOT}node_modules/.bin/depcruise`,
  [
    'packages',
    'functions',
    'infra',
    '--config',
    '.dependency-cruiser.cjs',
    '--include-only',
    '^(packages|functions|infra)/',
    '--collapse',
    '^(packages/[^/]+|functions/[^/]+|infra)/',
    '--output-type',
    'json',
    '--no-progress',
  ],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
const cruise = JSON.parse(output) as Cruise;

/** `packages/site/` → `@feedwright/site`; `functions/ingest/` → `functions/ingest`. */
const label = (node: string): string => {
  const trimmed = node.replace(/\/$/, '');
  return trimmed.startsWith('packages/') ? `@feedwright/${trimmed.slice('packages/'.length)}` : trimmed;
};
const id = (node: string): string => node.replace(/\/$/, '').replace(/[^a-z0-9]+/gi, '_');

const nodes = new Set<string>();
const edges = new Set<string>();
for (const module of cruise.modules) {
  nodes.add(module.source);
  for (const dependency of module.dependencies) {
    if (dependency.resolved !== module.source)
      edges.add(`${id(module.source)} --> ${id(dependency.resolved)}`);
  }
}
// Each workspace declares the @feedwright packages it imports, no more, no fewer.
const nameOf = (node: string): string | undefined => {
  try {
    return (JSON.parse(readFileSync(`${ROOT}${node}package.json`, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined; // infra/ is part of the root package
  }
};
for (const module of cruise.modules) {
  const name = nameOf(module.source);
  if (name === undefined) continue;
  const manifest = JSON.parse(readFileSync(`${ROOT}${module.source}package.json`, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const declared = Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@feedwright/'));
  const used = module.dependencies.map((dep) => nameOf(dep.resolved)).filter((dep) => dep !== undefined);
  const missing = used.filter((dep) => !declared.includes(dep));
  const unused = declared.filter((dep) => !used.includes(dep));
  if (missing.length > 0 || unused.length > 0) {
    process.stderr.write(
      `${module.source}package.json: declare exactly the @feedwright packages it imports` +
        `${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}` +
        `${unused.length > 0 ? `; not imported ${unused.join(', ')}` : ''}\n`,
    );
    process.exitCode = 1;
  }
}

const graph = [
  '```mermaid',
  'flowchart BT',
  ...[...nodes].sort().map((node) => `  ${id(node)}["${label(node)}"]`),
  ...[...edges].sort().map((edge) => `  ${edge}`),
  '```',
].join('\n');

const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/architecture.md has no ${START} … ${END} section`);
const updated = `${readme.slice(0, start + START.length)}\n${graph}\n${readme.slice(end)}`;

if (process.argv.includes('--check')) {
  if (updated !== readme) {
    process.stderr.write("docs/architecture.md: the package graph is not the code's; run npm run graph\n");
    process.exitCode = 1;
  }
} else if (updated !== readme) {
  writeFileSync(README, updated);
}
