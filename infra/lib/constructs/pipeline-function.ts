import { dirname } from 'node:path';
import { METRIC_NAMESPACE } from '@feedwright/pipeline/metrics';
import { AssetHashType, type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleLambda, LAMBDA_ENTRY_FILE, LAMBDA_NODE_OPTIONS } from '../lambda-bundling.ts';

/** Properties of a {@link PipelineFunction}. */
export interface PipelineFunctionProps {
  /** Absolute path of the handler module (TypeScript), exporting `handler`. */
  readonly entry: string;
  /** Directory esbuild runs in (where `node_modules` is, as `npm ci` installed it from the lock file). */
  readonly projectRoot: string;
  /** What the function is for, shown in the console. */
  readonly description: string;
  /** `POWERTOOLS_SERVICE_NAME`, also the log and metric dimension. */
  readonly serviceName: string;
  /** Memory in MB (CPU scales with it). */
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Function-specific environment, merged over the Powertools defaults. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The instruction set. A function that runs a native binary needs the one its binary was built for.
   * @default Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Files copied into the bundle beside the handler (absolute path → name in the bundle), e.g. a native
   * binary the function runs; they land in `/var/task/<name>` with their file mode.
   * @default - none
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
  /**
   * Concurrent executions reserved for the function, which are also its ceiling.
   * @default - none: the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Async-invocation settings (ingest only: S3 invokes asynchronously).
   * @default - Lambda's defaults: 2 retries, 6 h event age, no destination
   */
  readonly asyncInvoke?: {
    readonly retryAttempts: number;
    readonly maxEventAge: Duration;
    readonly onFailure: lambda.IDestination;
  };
}

/**
 * A Node.js 22 arm64 Lambda bundled by local esbuild, with its own log group and an execution role
 * that holds nothing but the right to write to that log group: every other permission is granted
 * explicitly by the stack, so what the template shows is exactly what the function may do.
 */
export class PipelineFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // Operational logs, not editors' data; leaving them behind would only collide with a redeploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of the default one, which attaches the AWS-managed AWSLambdaBasicExecutionRole
    // (logs:CreateLogGroup on every log group in the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      handler: `${LAMBDA_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // X-Ray: the handlers' Powertools Tracer annotates each trace with the digest key and story ids.
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Render's result and reconcile's list every path: too large and too dull for trace metadata.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        ...props.environment,
      },
      // Bundled by local esbuild (Docker is neither needed nor available) into ES module chunks:
      // `index.mjs` and the chunks it imports are loaded at init, the rest when first needed.
      // NodejsFunction cannot do this: it passes esbuild `--outfile`, which splitting refuses.
      code: lambda.Code.fromAsset(dirname(props.entry), {
        // The hash of the bundle, not of the sources: one source change changes it, an unrelated
        // file in the folder does not.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always succeeds or throws. Required by the API.
          image: lambda.Runtime.NODEJS_22_X.bundlingImage,
          local: {
            tryBundle(outputDir: string): boolean {
              // Bundle the AWS SDK v3 instead of using the runtime's copy: the deployed code then runs
              // the exact client versions package-lock.json pins and the tests exercised, and a
              // runtime SDK update can't change behaviour underneath us (docs/performance.md).
              bundleLambda(props.entry, outputDir, {
                workingDir: props.projectRoot,
                files: props.bundledFiles ?? {},
              });
              return true;
            },
          },
        },
      }),
      ...(props.asyncInvoke === undefined
        ? {}
        : {
            retryAttempts: props.asyncInvoke.retryAttempts,
            maxEventAge: props.asyncInvoke.maxEventAge,
            onFailure: props.asyncInvoke.onFailure,
          }),
    });
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords, added by active tracing, support no resource-level permissions; every other statement of this role names its resources.',
    });
  }
}
