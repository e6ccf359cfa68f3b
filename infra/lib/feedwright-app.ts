import { ConfigError, readContext } from '@feedwright/config';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FeedwrightConfigError, FeedwrightStack, type FeedwrightStackProps } from './feedwright-stack.ts';

/** Options that are not deploy-time choices (tests point the stack at stand-in handlers). */
export type FeedwrightAppOptions = Pick<
  FeedwrightStackProps,
  'ingestEntry' | 'renderEntry' | 'reconcileEntry' | 'projectRoot'
> & {
  /** @default 'Feedwright' */
  readonly stackName?: string;
};

/**
 * Adds the feedwright stack to `app`, configured from its context (`-c name=value`, each a setting
 * of `@feedwright/config`; an unknown name fails the synth with the nearest known one), and
 * registers cdk-nag's AwsSolutions checks so a synth with any unacknowledged finding fails.
 */
export function addFeedwrightStack(app: App, options: FeedwrightAppOptions = {}): FeedwrightStack {
  let settings: ReturnType<typeof readContext>;
  try {
    settings = readContext(app.node.getAllContext());
  } catch (error) {
    if (error instanceof ConfigError) throw new FeedwrightConfigError(`${error.message}.`);
    throw error;
  }
  const { baseUrl: _derived, ...deployable } = settings;
  const { stackName, ...entries } = options;
  const stack = new FeedwrightStack(app, stackName ?? 'Feedwright', {
    description: 'feedwright: digests in, RSS / Atom / JSON Feed out',
    settings: deployable,
    ...entries,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
