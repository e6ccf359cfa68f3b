import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * Source rewrites applied while the Lambda bundles are built (`lambda-bundling.ts`). Each one gives
 * esbuild code that evaluates to exactly what the original evaluates to, so that its tree shaking can
 * drop what the functions never reach; none changes what the bundled code does. And one substitution:
 * the X-Ray SDK's modules that the Tracer never calls.
 */

/** A file of an AWS SDK v3 client's schemas: one array per shape and operation of the whole API. */
const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** An AWS SDK v3 client's `package.json`, which its runtime configuration imports for its version. */
const SDK_CLIENT_PACKAGE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/** A module of aws-xray-sdk-core's own code (`dist/lib/…`). */
const XRAY_SDK_MODULE = /[\\/]aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]/;

/**
 * The modules of aws-xray-sdk-core that its entry module (and its middleware helper, for centralized
 * sampling) `require`s and the Powertools Tracer never calls, as they are required.
 */
const XRAY_UNUSED =
  /^\.\/(?:segments\/plugins\/(?:ec2|ecs|elastic_beanstalk)_plugin|patchers\/(?:aws|promise)_p|database\/sql_data|sampling\/default_sampler)$/;

/** What stands in for them: `infra/lambda/xray-unused.ts`, each export throwing if ever called. */
const XRAY_STAND_IN = fileURLToPath(new URL('../lambda/xray-unused.ts', import.meta.url));

/** `const _abc = "…";` at the top of a schemas file: the shape and trait names, each declared once. */
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;

/**
 * A schemas file with each trait key that names one of the file's string constants written as that
 * string: `{ [_hE]: 403 }` becomes `{ "httpError": 403 }`, the same object.
 *
 * Why: esbuild keeps any object literal with a computed key that is not a literal (converting the key
 * to a string could run code, as far as it knows), and with it the schema array that holds it. An S3
 * client's schemas file then stays whole, every operation of the S3 API (~66 KB minified), when the
 * functions send seven; with the keys written out, the schemas that no command reaches are dropped.
 *
 * Returns the source unchanged when one of those names could be bound anywhere else in the file (a
 * parameter, a second declaration), where the key might not be the constant.
 */
export function inlineSchemaTraitKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) {
    constants.set(name as string, literal as string);
  }
  // Where a name could be bound again (a function or an arrow with parameters, a second declaration),
  // a key that reads it might not be the constant: leave such a file as it is.
  if (/\bfunction\s*\w*\s*\(\s*[^)\s]|(?:\w|\([^()]+\))\s*=>/.test(source)) return source;
  for (const name of constants.keys()) {
    if (source.match(new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`, 'g'))?.length !== 1) return source;
  }
  return source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? key : `${literal}:`;
  });
}

/**
 * An SDK client's `package.json` as its code uses it: `{ name, version }` (its runtime configuration
 * reads `version`, for the User-Agent header). The whole file, scripts, dependencies and all, would
 * otherwise be bundled as an object literal (~2.5 KB per client).
 */
export function sdkClientPackageJson(source: string): string {
  const { name, version } = JSON.parse(source) as { name?: unknown; version?: unknown };
  if (typeof version !== 'string') throw new Error('an AWS SDK client package.json without a version');
  return JSON.stringify({ name, version });
}

/**
 * The esbuild plugin that applies the rewrites above, and puts `infra/lambda/xray-unused.ts` in place
 * of the X-Ray SDK modules the Tracer never calls ({@link XRAY_UNUSED}).
 */
export function lambdaPlugins(): Plugin[] {
  return [
    {
      name: 'feedwright-sdk-rewrites',
      setup(build) {
        build.onLoad({ filter: SDK_SCHEMAS }, async (args) => ({
          contents: inlineSchemaTraitKeys(await readFile(args.path, 'utf8')),
          loader: 'js',
        }));
        build.onResolve({ filter: XRAY_UNUSED }, (args) =>
          XRAY_SDK_MODULE.test(args.importer) ? { path: XRAY_STAND_IN } : undefined,
        );
        build.onLoad({ filter: SDK_CLIENT_PACKAGE }, async (args) => ({
          contents: sdkClientPackageJson(await readFile(args.path, 'utf8')),
          loader: 'json',
        }));
      },
    },
  ];
}
