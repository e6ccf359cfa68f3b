/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (see `lambda-bundling.ts`).
 *
 * Lambda hands every invocation its execution role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). The SDK's default chain would find
 * them there first too, but it also bundles every other source it might try (SSO, STS web identity,
 * ini files, process, IMDS): about 100 KB of code that a Lambda function never runs and that every
 * cold start would load.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The provider the SDK clients ask for, by the name the replaced module exports.
 * @public (imported through esbuild's alias, which knip cannot see)
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
