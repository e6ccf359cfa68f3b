import { App } from 'aws-cdk-lib';
import { addFeedwrightStack } from '../lib/feedwright-app.ts';

const app = new App({ outdir: '/tmp/fw-infra-try/out2', context: { 'aws:cdk:bundling-stacks': [] } });
const stack = addFeedwrightStack(app, {
  ingestEntry: '/tmp/fw-infra-try/ingest.ts',
  renderEntry: '/tmp/fw-infra-try/render.ts',
  projectRoot: '/tmp/fw-infra-try',
  depsLockFilePath: '/tmp/fw-infra-try/package-lock.json',
});
for (const c of stack.node.findAll()) {
  for (const m of c.node.metadata)
    if (m.type.includes('ack')) console.log(c.node.path, JSON.stringify(m.data).slice(0, 200));
}
