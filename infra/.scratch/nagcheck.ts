import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';

const app = new App();
const stack = new Stack(app, 'S');
new s3.Bucket(stack, 'B');
const r = new AwsSolutionsChecks(undefined, {}).validateScope(app);
console.log(r.violations.map((v) => v.ruleName));
