import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addFeedwrightStack } from '../../infra/lib/feedwright-app.ts';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The feature flags in cdk.json, which the CLI applies and a bare `new App()` would not. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...cdkJson.context };
}

export interface Synthesized {
  readonly app: App;
  readonly stack: FeedwrightStack;
  readonly template: Template;
  /** The cloud assembly directory (bundled function code lives in `asset.<hash>/`). */
  readonly outdir: string;
  readonly cleanup: () => void;
}

export interface SynthOptions {
  /** `-c key=value` pairs, as the CLI would pass them. */
  readonly context?: Record<string, unknown>;
  /** Skip esbuild, for tests that only need the construct tree. @default false */
  readonly skipBundling?: boolean;
}

/**
 * Builds the app as `infra/bin/app.ts` does (cdk.json flags, context, cdk-nag registered) and
 * synthesizes it once into a temp dir; `Template.fromStack` re-uses that synthesis.
 */
export function synthFeedwright(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'feedwright-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      ...options.context,
      ...(options.skipBundling === true ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  // The real handlers (functions/*/handler.ts), bundled as `cdk synth` bundles them.
  const stack = addFeedwrightStack(app);
  const template = Template.fromStack(stack);
  return { app, stack, template, outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}
