import {
  Annotations,
  Aws,
  type CfnElement,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * Regions where SES receives mail (its `inbound-smtp.<region>.amazonaws.com` endpoints), as listed
 * in the AWS General Reference when this was written; a stack elsewhere gets a synth warning.
 */
const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

/** A function that reads the stored messages (with its own role, to grant to). */
export interface MailReader {
  readonly function: lambda.Function;
  readonly role: iam.Role;
}

/** The ingest function that reads the stored messages, and who may publish through it. */
export interface MailIngest extends MailReader {
  /** The allow-list as ingest reads it (`a@x.com,@example.com`). */
  readonly allowedSenders: string;
}

/** Properties of {@link MailReceiving}. */
export interface MailReceivingProps {
  /** The domain whose mail SES receives (`digests.example.com`); its MX record must point at SES. */
  readonly mailDomain: string;
  /** The bucket each message is stored in. */
  readonly bucket: s3.IBucket;
  /** The key prefix messages are stored under (`mail/`); SES may write nothing else. */
  readonly prefix: string;
  /**
   * The function stored messages go to: notified of `mail/` objects created or removed, allowed to
   * read `mail/*`, and told the allowed senders (`ALLOWED_SENDERS`).
   * @default - none (the messages are only stored)
   */
  readonly ingest?: MailIngest;
  /**
   * Other functions that read the stored messages under ingest's rule (reconcile): allowed to read
   * `mail/*` and told the same `ALLOWED_SENDERS`, not notified.
   * @default - none
   */
  readonly readers?: readonly MailReader[];
  /**
   * Name of the receipt rule set (an account has one active set per region).
   * @default `${stackName}-mail`
   */
  readonly ruleSetName?: string;
  /**
   * Name of the rule that stores messages.
   * @default 'store-in-incoming-bucket'
   */
  readonly ruleName?: string;
}

/**
 * Mail in through Amazon SES: a receipt rule set, activated by the stack, with one rule that takes
 * every message for `mailDomain` (spam and virus scanning on, TLS required) and stores it in the
 * bucket under `prefix`, and the bucket policy statement that lets SES write there and nowhere
 * else, only for this account and this rule.
 *
 * CloudFormation can create a rule set but not make it the active one, so a custom resource calls
 * `SetActiveReceiptRuleSet` on create and update, and deactivates it (no active set) on delete.
 */
export class MailReceiving extends Construct {
  public readonly ruleSet: ses.ReceiptRuleSet;
  public readonly rule: ses.ReceiptRule;
  /** The ARN of {@link rule}, which the bucket policy names as the only allowed source. */
  public readonly ruleArn: string;
  /** The domain whose mail is received. */
  public readonly mailDomain: string;

  constructor(scope: Construct, id: string, props: MailReceivingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.mailDomain = props.mailDomain;
    const ruleSetName = props.ruleSetName ?? `${stack.stackName}-mail`;
    const ruleName = props.ruleName ?? 'store-in-incoming-bucket';

    if (
      !Token.isUnresolved(stack.region) &&
      !(SES_RECEIVING_REGIONS as readonly string[]).includes(stack.region)
    ) {
      Annotations.of(this).addWarningV2(
        'feedwright:ses-receiving-region',
        `SES receives mail only in some regions (${SES_RECEIVING_REGIONS.join(', ')} when this was written); ${stack.region} may not be one.`,
      );
    }

    // Built from the names, not from the rule's attributes: the rule must depend on the policy
    // (SES test-writes into the bucket when the rule is created), so the policy cannot depend on it.
    this.ruleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`;

    const added = props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToStoreMailOnly',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${props.prefix}*`)],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID, 'AWS:SourceArn': this.ruleArn },
        },
      }),
    );

    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.rule = this.ruleSet.addRule('StoreInBucket', {
      receiptRuleName: ruleName,
      recipients: [props.mailDomain],
      enabled: true,
      // Spam and virus verdicts are what ingest checks; without scanning SES gives none.
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [
        {
          // Not aws-ses-actions' S3, which adds its own, wider statement (any rule of the account).
          bind: () => ({ s3Action: { bucketName: props.bucket.bucketName, objectKeyPrefix: props.prefix } }),
        },
      ],
    });
    if (added.policyDependable !== undefined) this.rule.node.addDependency(added.policyDependable);

    const activatorLogs = new logs.LogGroup(this, 'ActivatorLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const activatorRole = new iam.Role(this, 'ActivatorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Makes the feedwright mail receipt rule set the active one',
    });
    activatorLogs.grantWrite(activatorRole);
    const activate: cr.AwsSdkCall = {
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: ruleSetName },
      physicalResourceId: cr.PhysicalResourceId.of(ruleSetName),
    };
    const activation = new cr.AwsCustomResource(this, 'Activate', {
      onCreate: activate,
      onUpdate: activate,
      // No RuleSetName: no active set, so the deleted stack's domain stops taking mail.
      onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
      ]),
      role: activatorRole,
      logGroup: activatorLogs,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    activation.node.addDependency(this.rule);

    if (props.ingest !== undefined) {
      for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
        props.bucket.addEventNotification(event, new s3n.LambdaDestination(props.ingest.function), {
          prefix: props.prefix,
        });
      }
      for (const reader of [props.ingest, ...(props.readers ?? [])]) {
        this.letRead(reader, props.ingest.allowedSenders, props.bucket, props.prefix);
      }
    }

    Validations.of(activation).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:SetActiveReceiptRuleSet supports no resource-level permissions; this role only activates the rule set during deploys.',
    });
  }

  private letRead(reader: MailReader, allowedSenders: string, bucket: s3.IBucket, prefix: string): void {
    reader.function.addEnvironment('ALLOWED_SENDERS', allowedSenders);
    reader.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(reader.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason: `Reads every message SES stores (each under its own SES message id), as ingest does; the wildcard is confined to the ${prefix} prefix.`,
    });
  }
}
