import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addFeedwrightStack, type FeedwrightAppOptions } from '../../infra/lib/feedwright-app.ts';
import type { FeedwrightStack } from '../../infra/lib/feedwright-stack.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

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
  const stack = addFeedwrightStack(app, handlerEntries(outdir));
  const template = Template.fromStack(stack);
  return { app, stack, template, outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/**
 * The real handlers once both exist; until then minimal stand-ins in a temp project root (the
 * repository's node_modules linked in, so esbuild and the SDK resolve) so the stack still bundles.
 */
function handlerEntries(outdir: string): FeedwrightAppOptions {
  const real = ['ingest', 'render'].map((name) => join(REPO_ROOT, 'functions', name, 'handler.ts'));
  if (real.every((entry) => existsSync(entry))) return {};
  const root = join(outdir, 'stand-in');
  mkdirSync(root, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  writeFileSync(
    join(root, 'ingest.ts'),
    "import { S3Client } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport const handler = async () => { void s3; };\n",
  );
  writeFileSync(join(root, 'render.ts'), 'export const handler = async () => ({ batchItemFailures: [] });\n');
  return {
    ingestEntry: join(root, 'ingest.ts'),
    renderEntry: join(root, 'render.ts'),
    projectRoot: root,
    depsLockFilePath: join(root, 'package-lock.json'),
  };
}
