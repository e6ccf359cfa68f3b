import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The module-scope `require` that some CommonJS dependencies (bundled into an ESM file) still call;
 * without it esbuild's ESM output throws "Dynamic require of … is not supported" at cold start.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __feedwrightCreateRequire } from 'node:module'; const require = __feedwrightCreateRequire(import.meta.url);";

/**
 * Module substitutions in the Lambda bundles: the SDK's default credential chain becomes the
 * environment-only provider that Lambda needs (`infra/lambda/credentials-from-env.ts`).
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../lambda/credentials-from-env.ts',
  ),
};

/**
 * How a handler is bundled, in esbuild's own terms: the CDK stack passes these to NodejsFunction and
 * the benchmark (`bench/bundles.ts`) to esbuild directly, so the bundle it measures is the deployed one.
 */
export const LAMBDA_ESBUILD = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  // ESM because @middy/core 6 ships ESM only; the banner restores `require` for CJS dependencies.
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  alias: LAMBDA_ALIASES,
} as const;

/**
 * NODE_OPTIONS of the deployed functions: stack traces point at the TypeScript sources through the
 * bundled source map. It costs some cold-start time (the benchmark measures with it).
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';
