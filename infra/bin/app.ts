import { App } from 'aws-cdk-lib';
import { addFeedwrightStack } from '../lib/feedwright-app.ts';

// Environment-agnostic on purpose: no account, region or lookups, so `cdk synth` works offline.
const app = new App();
addFeedwrightStack(app);
app.synth();
