/**
 * Stands in, in the Lambda bundles, for the modules of aws-xray-sdk-core that the Powertools Tracer
 * never calls (see `infra/lib/lambda-plugins.ts`): the EC2, ECS and Elastic Beanstalk plugins, the
 * AWS SDK v2 patcher (`captureAWS`, `captureAWSClient`: the functions trace v3 clients, with
 * `captureAWSv3Client`), the promise patcher, the SQL data class, and centralized sampling (its rule
 * and target pollers), which the SDK itself switches off in Lambda for the local sampler, since Lambda
 * decides sampling. The SDK's entry module loads them all, as CommonJS, so esbuild cannot leave them
 * out by itself: ~15 KB of every function's init.
 *
 * Each export throws, naming what is missing, if it is ever called: nothing in the functions calls it.
 */

function notBundled(what: string): never {
  throw new Error(
    `aws-xray-sdk-core's ${what} is not in the Lambda bundles: the functions trace with the Powertools Tracer, which never uses it (infra/lambda/xray-unused.ts)`,
  );
}

/**
 * The plugins' `getData` and `originName` (`AWSXRay.config([plugin])`).
 * @public (imported through an esbuild plugin, which knip cannot see)
 */
export const getData = (): never => notBundled('EC2/ECS/Elastic Beanstalk plugin');

/**
 * The AWS SDK v2 patcher's exports.
 * @public (as above)
 */
export const captureAWS = (): never => notBundled('AWS SDK v2 patcher (captureAWS)');

/** @public (as above) */
export const captureAWSClient = (): never => notBundled('AWS SDK v2 patcher (captureAWSClient)');

/**
 * The promise patcher's export.
 * @public (as above)
 */
export const capturePromise = (): never => notBundled('promise patcher (capturePromise)');

/**
 * Centralized sampling's `shouldSample`, `setLocalRules` and `start` (the middleware of an HTTP server
 * calls them, never a Lambda function).
 * @public (as above)
 */
export const shouldSample = (): never => notBundled('centralized sampling');

/** @public (as above) */
export const setLocalRules = (): never => notBundled('centralized sampling');

/** @public (as above) */
export const start = (): never => notBundled('centralized sampling');
