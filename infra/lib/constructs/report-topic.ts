import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of a {@link ReportTopic}. */
export interface ReportTopicProps {
  /** The one role allowed to publish: ingest's. */
  readonly publisher: iam.IRole;
  /**
   * Subscribe this address (the subscription must be confirmed from the inbox).
   * @default - no subscription; subscribe editors or tools to the topic later
   */
  readonly editorEmail?: string;
}

/**
 * The topic ingest publishes every processing report to: `Published: <file> (N stories)` or
 * `Rejected: <file>: <reason>` with a readable summary and the JSON report. Encrypted with its own
 * KMS key; its policy denies `sns:Publish` to every principal but the publisher role, and TLS is
 * required.
 */
export class ReportTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReportTopicProps) {
    super(scope, id);
    // A customer-managed key: the AWS-managed aws/sns key cannot be granted in a key policy, and
    // reports name unpublished files and their rejection reasons.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'feedwright report topic encryption',
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'feedwright reports',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyIngestPublishes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.publisher.roleArn } },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'IngestPublishes',
        principals: [new iam.ArnPrincipal(props.publisher.roleArn)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    // grantPublish would grant kms:GenerateDataKey*; SNS needs exactly these two to encrypt a message.
    props.publisher.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    props.publisher.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
      }),
    );
    if (props.editorEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.editorEmail));
    }
  }
}
