import { createLambdaContext, isDigestFile } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

describe('Function: isDigestFile', () => {
  it.each([
    ['cx-daily-2020-12-01.txt', true],
    ['Weekly Digest.TXT', true],
    ['.cx-daily.txt.swp', false],
    ['.hidden.txt', false],
    ['notes.md', false],
    ['digest.txt~', false],
  ])('treats %s as a digest file: %s', (name, expected) => {
    // Act
    const result = isDigestFile(name);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('Function: createLambdaContext', () => {
  it('names the function by ARN and counts its time down from the start', () => {
    // Prepare
    let now = 1_000;
    const fn = {
      functionName: 'feedwright-ingest',
      region: 'us-east-1',
      accountId: '123456789012',
      timeoutMs: 5_000,
    };

    // Act
    const context = createLambdaContext(fn, () => now);
    now += 1_500;

    // Assess
    expect(context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:feedwright-ingest',
    );
    expect(context.getRemainingTimeInMillis()).toBe(3_500);
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
