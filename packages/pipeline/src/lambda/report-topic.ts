import type { SNSClient } from '@aws-sdk/client-sns';
import { madeOnce } from '@feedwright/storage/made-once';
import type { IngestReport } from '../report.ts';
import { reportNotification } from '../report.ts';

/** Where ingest sends each written report for editors. */
export interface ReportNotifier {
  notify(report: IngestReport): Promise<void>;
}

/**
 * Loads the SNS SDK's client and publish command (a chunk of their own in the Lambda bundle): for a
 * handler that makes its client lazily, e.g. wrapped for tracing.
 */
export const loadSnsSdk = (): Promise<typeof import('./sns-sdk.ts')> => import('./sns-sdk.ts');

/** Options of {@link SnsReportNotifier}. */
export interface SnsReportNotifierOptions {
  /**
   * The SNS client, or a function that makes it when the first report is sent: the SNS SDK is then
   * loaded after that report's stories are written, not before every digest (docs/performance.md).
   */
  readonly client: SNSClient | (() => SNSClient | Promise<SNSClient>);
  readonly topicArn: string;
}

/** Publishes reports to an SNS topic (e-mail subscribers get the subject and the readable body). */
export class SnsReportNotifier implements ReportNotifier {
  readonly #client: () => Promise<SNSClient>;
  readonly #topicArn: string;

  constructor(options: SnsReportNotifierOptions) {
    this.#client = madeOnce<SNSClient>(options.client);
    this.#topicArn = options.topicArn;
  }

  async notify(report: IngestReport): Promise<void> {
    const { subject, message } = reportNotification(report);
    const [client, { PublishCommand }] = await Promise.all([this.#client(), loadSnsSdk()]);
    await client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: { status: { DataType: 'String', StringValue: report.status } },
      }),
    );
  }
}
