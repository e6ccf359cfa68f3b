import { spawnSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_ESBUILD, LAMBDA_NODE_OPTIONS } from '../infra/lib/lambda-bundling.ts';
import { median } from './measure.ts';

export const HANDLERS = ['ingest', 'render'] as const;
export type HandlerName = (typeof HANDLERS)[number];

/**
 * Bundles a handler with the CDK stack's own esbuild settings (`infra/lib/lambda-bundling.ts`) and
 * returns the bundle's path and size. The source map is written beside it, as deployed, but not
 * counted: it is a separate file that Node.js reads only when it needs a stack trace.
 */
export async function bundleHandler(root: string, name: HandlerName, outDir: string) {
  await mkdir(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    entryPoints: [path.join(root, 'functions', name, 'handler.ts')],
    outfile,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'silent',
  });
  return { outfile, bytes: (await stat(outfile)).size };
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
