import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { IngestReport } from '../report.ts';
import { reportNotification } from '../report.ts';

/** Where ingest sends each written report for editors. */
export interface ReportNotifier {
  notify(report: IngestReport): Promise<void>;
}

/** Publishes reports to an SNS topic (e-mail subscribers get the subject and the readable body). */
export class SnsReportNotifier implements ReportNotifier {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: { readonly client: SNSClient; readonly topicArn: string }) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  async notify(report: IngestReport): Promise<void> {
    const { subject, message } = reportNotification(report);
    await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: { status: { DataType: 'String', StringValue: report.status } },
      }),
    );
  }
}
