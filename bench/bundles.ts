import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleLambda, LAMBDA_NODE_OPTIONS, staticallyLoaded } from '../infra/lib/lambda-bundling.ts';
import { median } from './measure.ts';

/** Every Lambda function; `search_index` in the results is `search-index`. */
export const HANDLERS = ['ingest', 'render', 'reconcile', 'search-index'] as const;
export type HandlerName = (typeof HANDLERS)[number];

/** What {@link bundleHandler} measured of one function's bundle. */
export interface BundleSize {
  /** The handler module (`index.mjs`), what a cold start imports. */
  readonly entry: string;
  /** Bytes Lambda loads at init: `index.mjs` and every chunk it imports statically, transitively. */
  readonly initBytes: number;
  /** Bytes of every JavaScript file of the asset, the chunks loaded with `import()` included. */
  readonly totalBytes: number;
}

/**
 * Bundles a handler exactly as the CDK stack does (`bundleLambda` of `infra/lib/lambda-bundling.ts`)
 * and measures it. Source maps are written beside it, as deployed, but not counted: Node.js reads
 * them only when it needs a stack trace. search-index's Pagefind binary is not copied: Lambda runs it
 * as a process of its own, never loads it as code.
 */
export function bundleHandler(root: string, name: HandlerName, outDir: string): BundleSize {
  const dir = path.join(outDir, name);
  const { entry, metafile } = bundleLambda(path.join(root, 'functions', name, 'handler.ts'), dir, {
    workingDir: root,
    logLevel: 'silent',
  });
  const js = Object.keys(metafile.outputs).filter((file) => file.endsWith('.mjs'));
  const bytes = (files: readonly string[]) =>
    files.reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0);
  const entryOutput = js.find((file) => path.resolve(root, file) === entry);
  if (entryOutput === undefined) throw new Error(`esbuild wrote no ${entry} for ${name}`);
  return { entry, initBytes: bytes(staticallyLoaded(metafile, entryOutput)), totalBytes: bytes(js) };
}

/**
 * Time for a fresh Node.js process to import a module and exit, median of `runs`: what a cold
 * start adds on top of the runtime's own start, compared with an empty module.
 */
export function coldInitMs(modulePath: string, runs = 7): number {
  const script = `const t=performance.now();await import(${JSON.stringify(modulePath)});process.stdout.write(String(performance.now()-t));`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      // The deployed functions' environment, so module scope initialises as it would there.
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        TABLE_NAME: 'bench',
        SITE_BUCKET: 'bench',
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
      },
    });
    if (result.status !== 0) throw new Error(`importing ${modulePath} failed: ${result.stderr}`);
    samples.push(Number(result.stdout));
  }
  return median(samples);
}

export async function emptyModule(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'empty.mjs');
  await writeFile(file, 'export const handler = async () => {};\n');
  return file;
}
