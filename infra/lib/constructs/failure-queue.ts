import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of a {@link FailureQueue}. */
export interface FailureQueueProps {
  /** Whose failures land here, for the acknowledgement reason (e.g. "ingest's failed S3 events"). */
  readonly holds: string;
}

/**
 * The terminal queue where a function's exhausted invocations are parked until someone redrives
 * them: encrypted, TLS-only, and kept for SQS's maximum of 14 days.
 */
export class FailureQueue extends Construct {
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter destination for ${props.holds}; nothing consumes it automatically, so a further DLQ behind it could never receive a message.`,
    });
  }
}
