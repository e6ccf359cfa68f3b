import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { lambdaPlugins } from './lambda-plugins.ts';

/**
 * The module-scope `require` that some CommonJS dependencies (bundled into an ESM file) still call;
 * without it esbuild's ESM output throws "Dynamic require of … is not supported" at cold start.
 * Every chunk gets it: each is a module of its own. (`getBuiltinModule`, not an `import`, for the
 * reason given at {@link builtinAliases}.)
 */
const ESM_REQUIRE_BANNER =
  "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);";

const LAMBDA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lambda');

/**
 * Module substitutions in the Lambda bundles: the SDK's default credential chain becomes the
 * environment-only provider that Lambda needs (`infra/lambda/credentials-from-env.ts`). (The X-Ray
 * SDK's modules that the Tracer never calls are replaced by the plugin of `lambda-plugins.ts`: they
 * are required by relative paths, which aliases do not reach.)
 */
const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.join(LAMBDA_DIR, 'credentials-from-env.ts'),
};

/**
 * Node's built-in modules (`http`, `node:stream`, …), each aliased to a one-line CommonJS module that
 * returns it with `process.getBuiltinModule`, so that the bundles never `import` one. An ES module
 * import of a built-in makes Node build an ES module facade of it, reading every export, and
 * `node:http`'s exports include getters that load Node's own fetch implementation (undici): ~20 ms
 * of CPU at every cold start for `import … from 'node:http'` alone, against ~2 ms for the same module
 * taken as a CommonJS one (Node.js 22). The module objects are the very ones `require` returns.
 * The shims are written once under `node_modules/.cache` of `workingDir`, at fixed paths, so that
 * the bundles (and their asset hashes) do not change from one synth to the next.
 */
function builtinAliases(workingDir: string): Record<string, string> {
  const dir = path.join(workingDir, 'node_modules', '.cache', 'feedwright-lambda-builtins');
  mkdirSync(dir, { recursive: true });
  const aliases: Record<string, string> = {};
  // Internal ones (`_http_agent`, …) are left as they are: no dependency imports them.
  for (const name of builtinModules.filter((builtin) => !builtin.startsWith('_'))) {
    const file = path.join(dir, `${name.replaceAll('/', '-')}.cjs`);
    const contents = `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${name}`)});\n`;
    if (!existsSync(file) || readFileSync(file, 'utf8') !== contents) writeFileSync(file, contents);
    aliases[name] = file;
    aliases[`node:${name}`] = file;
  }
  return aliases;
}

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
 *
 * With the plugins of `lambda-plugins.ts` ({@link buildLambda}): rewrites of SDK files that evaluate
 * to the same values but let esbuild drop what no function reaches.
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
  const workingDir = options.workingDir ?? process.cwd();
  const metafile = buildInWorker({
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    alias: { ...builtinAliases(workingDir), ...LAMBDA_ESBUILD.alias },
    entryPoints: { [path.basename(LAMBDA_ENTRY_FILE, '.mjs')]: entry },
    outdir: outDir,
    absWorkingDir: workingDir,
    logLevel: options.logLevel ?? 'warning',
  });
  for (const [from, name] of Object.entries(options.files ?? {})) {
    const to = path.join(outDir, name);
    copyFileSync(from, to);
    chmodSync(to, statSync(from).mode);
  }
  return { entry: path.join(outDir, LAMBDA_ENTRY_FILE), metafile };
}

/**
 * Runs esbuild with {@link LAMBDA_ESBUILD}'s plugins: `options` as {@link bundleLambda} made them.
 * Asynchronous, as esbuild's plugins are; {@link bundleLambda} runs it in a worker thread.
 * @public (called by that worker's code, a string, which knip cannot see)
 */
export async function buildLambda(options: BuildOptions): Promise<Metafile> {
  return (await build({ ...options, metafile: true, plugins: lambdaPlugins() })).metafile;
}

/** Longest wait for one bundle, far beyond a slow machine's seconds: a hung worker fails the synth. */
const BUILD_TIMEOUT_MS = 10 * 60_000;

/**
 * {@link buildLambda}, synchronously: CDK's local bundling is synchronous, and esbuild runs plugins in
 * its asynchronous API only. A worker thread builds while this thread waits on a shared flag.
 */
function buildInWorker(options: BuildOptions): Metafile {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(
    `const { workerData: { module, options, port, done } } = require('node:worker_threads');
     import(module)
       .then((bundling) => bundling.buildLambda(options))
       .then((metafile) => port.postMessage({ metafile }), (error) => port.postMessage({ error: String(error?.stack ?? error) }))
       .finally(() => { Atomics.store(done, 0, 1); Atomics.notify(done, 0); });`,
    {
      eval: true,
      workerData: { module: import.meta.url, options, port: port2, done },
      transferList: [port2],
    },
  );
  try {
    if (Atomics.wait(done, 0, 0, BUILD_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`bundling ${JSON.stringify(options.entryPoints)} took over ${BUILD_TIMEOUT_MS} ms`);
    }
    const reply = receiveMessageOnPort(port1)?.message as
      | { readonly metafile: Metafile }
      | { readonly error: string }
      | undefined;
    if (reply === undefined) throw new Error('the bundling worker ended without an answer');
    if ('error' in reply) throw new Error(reply.error);
    return reply.metafile;
  } finally {
    port1.close();
    void worker.terminate();
  }
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
