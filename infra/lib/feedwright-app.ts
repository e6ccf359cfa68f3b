import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FeedwrightConfigError, FeedwrightStack, type FeedwrightStackProps } from './feedwright-stack.ts';

/** The context keys `cdk synth/deploy -c key=value` accepts, all optional. */
const CONTEXT_KEYS = [
  'domainName',
  'certificateArn',
  'alarmEmail',
  'webAclArn',
  'siteTitle',
  'digestTimezone',
  'mailDomain',
  'allowedSenders',
  'reconcileSchedule',
  'editorEmail',
  'hubUrl',
] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Options that are not deploy-time choices (tests point the stack at stand-in handlers). */
export type FeedwrightAppOptions = Pick<
  FeedwrightStackProps,
  'ingestEntry' | 'renderEntry' | 'reconcileEntry' | 'projectRoot' | 'depsLockFilePath'
> & {
  /** @default 'Feedwright' */
  readonly stackName?: string;
};

/** Reads one optional string context value; empty means absent, anything but a string is an error. */
function readContext(app: App, key: ContextKey): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new FeedwrightConfigError(
      `Context value ${key} must be a string (pass it as -c ${key}=…); got ${JSON.stringify(value)}.`,
    );
  }
  return value.trim();
}

/**
 * Adds the feedwright stack to `app`, configured from its context, and registers cdk-nag's
 * AwsSolutions checks so a synth with any unacknowledged finding fails.
 */
export function addFeedwrightStack(app: App, options: FeedwrightAppOptions = {}): FeedwrightStack {
  const context: Partial<Record<ContextKey, string>> = {};
  for (const key of CONTEXT_KEYS) {
    const value = readContext(app, key);
    if (value !== undefined) context[key] = value;
  }
  const { stackName, ...entries } = options;
  const stack = new FeedwrightStack(app, stackName ?? 'Feedwright', {
    description: 'feedwright: digests in, RSS / Atom / JSON Feed out',
    ...context,
    ...entries,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
