import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addFeedwrightStack } from '../lib/feedwright-app.ts';

(Validations.prototype as unknown as { acknowledge: () => void }).acknowledge = () => {};
const ctx = process.env.CTX ? JSON.parse(process.env.CTX) : {};
const app = new App({ outdir: '/tmp/fw-infra-try/out2', context: { 'aws:cdk:bundling-stacks': [], ...ctx } });
addFeedwrightStack(app, {
  ingestEntry: '/tmp/fw-infra-try/ingest.ts',
  renderEntry: '/tmp/fw-infra-try/render.ts',
  projectRoot: '/tmp/fw-infra-try',
  depsLockFilePath: '/tmp/fw-infra-try/package-lock.json',
});
const r = new AwsSolutionsChecks(undefined, {}).validateScope(app);
for (const v of r.violations)
  console.log(v.ruleName, v.severity, v.violatingResources.map((x) => x.constructPath).join(','));
