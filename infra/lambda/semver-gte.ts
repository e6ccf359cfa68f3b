/**
 * Stands in for `semver` in the Lambda bundles (see `lambda-bundling.ts`).
 *
 * Its one importer there is aws-xray-sdk-core's patcher of the AWS SDK v2, which calls
 * `semver.gte(AWS.VERSION, minimum)` when asked to trace a v2 client; the functions trace v3
 * clients only, yet all of semver (~26 KB minified, its regular expressions compiled at load) was
 * loaded at every cold start for it. This is that one function, for `major.minor.patch` versions;
 * anything else throws rather than answer wrongly.
 */

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

function parts(version: string): [number, number, number] {
  const match = VERSION.exec(version.trim());
  if (match === null) {
    throw new TypeError(`semver-gte: '${version}' is not a plain major.minor.patch version`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether version `a` is at least version `b`, as `semver.gte` answers for plain versions.
 * @public (imported through esbuild's alias, which knip cannot see)
 */
export function gte(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return (x[i] as number) > (y[i] as number);
  }
  return true;
}
