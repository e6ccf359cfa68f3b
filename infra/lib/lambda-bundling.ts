import { chmodSync, copyFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/**
 * The module-scope `require` that some CommonJS dependencies (bundled into an ESM file) still call;
 * without it esbuild's ESM output throws "Dynamic require of … is not supported" at cold start.
 * Every chunk gets it: each is a module of its own.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __feedwrightCreateRequire } from 'node:module'; const require = __feedwrightCreateRequire(import.meta.url);";

/**
 * Module substitutions in the Lambda bundles: the SDK's default credential chain becomes the
 * environment-only provider that Lambda needs (`infra/lambda/credentials-from-env.ts`).
 */
const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../lambda/credentials-from-env.ts',
  ),
};

/** The handler module in every bundle: Lambda's handler setting is `index.handler`. */
export const LAMBDA_ENTRY_FILE = 'index.mjs';

/**
 * How a handler is bundled, in esbuild's own terms: the CDK stack ({@link bundleLambda}, called by
 * `PipelineFunction`) and the benchmark (`bench/bundles.ts`) both use exactly these settings, so the
 * bundle the benchmark measures is the deployed one.
 *
 * Split into ES module chunks: the handler (`index.mjs`) imports at init only the chunks it needs
 * statically; what a handler loads with `import()` (mail parsing, the SNS and CloudFront clients) is a
 * chunk of its own beside it, read from `/var/task` the first time an invocation needs it.
 */
const LAMBDA_ESBUILD = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  // ESM because @middy/core 6 ships ESM only, and because only ESM output can be split into chunks;
  // the banner restores `require` for CJS dependencies.
  format: 'esm',
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  alias: LAMBDA_ALIASES,
  // For stack traces, not for reading code: leaving the sources out halves the maps.
  sourcemap: true,
  sourcesContent: false,
} as const satisfies BuildOptions;

/** What {@link bundleLambda} wrote. */
export interface LambdaBundle {
  /** The handler module, `<outDir>/index.mjs`. */
  readonly entry: string;
  /** esbuild's account of every output file and what went into it (`analyzeMetafile` reads it). */
  readonly metafile: Metafile;
}

/**
 * Bundles a handler (`entry`, a TypeScript module exporting `handler`) into `outDir`: `index.mjs`,
 * its `chunk-*.mjs`, their source maps, and any `files` copied beside them (absolute path → name,
 * with their mode, e.g. a native binary the function runs). Synchronous, as CDK's local bundling is.
 */
export function bundleLambda(
  entry: string,
  outDir: string,
  options: {
    readonly files?: Readonly<Record<string, string>>;
    /** Where esbuild runs (paths in the metafile and source maps are relative to it). @default process.cwd() */
    readonly workingDir?: string;
    /** @default 'warning': a size summary of every bundle on every synth would be noise */
    readonly logLevel?: BuildOptions['logLevel'];
  } = {},
): LambdaBundle {
  const result = buildSync({
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    entryPoints: { [path.basename(LAMBDA_ENTRY_FILE, '.mjs')]: entry },
    outdir: outDir,
    metafile: true,
    ...(options.workingDir === undefined ? {} : { absWorkingDir: options.workingDir }),
    logLevel: options.logLevel ?? 'warning',
  });
  for (const [from, name] of Object.entries(options.files ?? {})) {
    const to = path.join(outDir, name);
    copyFileSync(from, to);
    chmodSync(to, statSync(from).mode);
  }
  return { entry: path.join(outDir, LAMBDA_ENTRY_FILE), metafile: result.metafile };
}

/**
 * The output files a module loads before its first line runs: itself and, transitively, every chunk
 * it imports statically (not those it loads with `import()`). Paths as in the metafile.
 */
export function staticallyLoaded(metafile: Metafile, output: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(output);
  return [...seen];
}

/**
 * NODE_OPTIONS of the deployed functions: stack traces point at the TypeScript sources through the
 * bundled source map. It costs some cold-start time (the benchmark measures with it).
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';
