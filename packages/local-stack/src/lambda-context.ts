import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** What the local stack knows of the function it pretends to run. */
export interface LocalFunction {
  readonly functionName: string;
  readonly region: string;
  readonly accountId: string;
  /** @default 1024 */
  readonly memoryMB?: number;
  /** @default 30_000 */
  readonly timeoutMs?: number;
}

/**
 * A Lambda `Context` for one local invocation, with the fields Powertools' logger reads
 * (function name, ARN, memory, request id) and a deadline counting down from the start.
 */
export function createLambdaContext(fn: LocalFunction, now: () => number = Date.now): Context {
  const deadline = now() + (fn.timeoutMs ?? 30_000);
  const requestId = randomUUID();
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is the old callback API; local handlers must return a promise`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.functionName}`,
    memoryLimitInMB: String(fn.memoryMB ?? 1024),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${new Date(now()).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
