import { App } from 'aws-cdk-lib';
import { addFeedwrightStack } from '../lib/feedwright-app.ts';
import { FeedwrightConfigError } from '../lib/feedwright-stack.ts';

// The CDK announces "Bundling asset <path>..." for every function on every synth, even with
// `cdk synth -q`; esbuild's own warnings and errors (logLevel WARNING) still come through.
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
  typeof chunk === 'string' && chunk.startsWith('Bundling asset ')
    ? true
    : (writeStderr as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stderr.write;

// Environment-agnostic on purpose: no account, region or lookups, so `cdk synth` works offline.
const app = new App();
try {
  addFeedwrightStack(app);
} catch (error) {
  // A setting that cannot work is the operator's to fix: its sentence, not a stack trace.
  if (!(error instanceof FeedwrightConfigError)) throw error;
  process.stderr.write(`feedwright: ${error.message}\n`);
  process.exit(1);
}
app.synth();
