import type { SNSClient } from '@aws-sdk/client-sns';
import { type IngestReport, reportNotification, SnsReportNotifier } from '@feedwright/pipeline';
import { describe, expect, it } from 'vitest';

const OK: IngestReport = {
  status: 'ok',
  key: 'digests/cx-daily-2020-12-01.txt',
  sequencer: '0055AED6DCD9028000',
  stories: { total: 15, added: 12, updated: 1, withdrawn: 2, unchanged: 2 },
  warnings: ['the summary is given twice with different words'],
  digest: { title: 'CX Daily: Personal Data', date: '2020-12-01', publishedAt: '2020-12-01T09:19:00Z' },
  processedAt: '2020-12-01T09:30:00.000Z',
};

describe('Function: reportNotification', () => {
  it('titles a published digest with its file and story count, and carries the summary and the JSON report', () => {
    // Act
    const { subject, message } = reportNotification(OK);

    // Assess
    expect(subject).toBe('Published: cx-daily-2020-12-01.txt (15 stories)');
    expect(message).toContain(
      'cx-daily-2020-12-01.txt is published: 15 stories (12 added, 1 updated, 2 withdrawn, 2 unchanged).',
    );
    expect(message).toContain('- the summary is given twice with different words');
    expect(JSON.parse(message.slice(message.indexOf('{')))).toEqual(OK);
  });

  it('tells which stories show another digest’s text and what to do, and which headlines changed', () => {
    // Prepare
    const report: IngestReport = {
      ...OK,
      key: 'digests/weekly-2024-05-07v2.txt',
      held: [
        {
          storyId: '2024-05-07-economy-rates-hold',
          title: 'Rates hold',
          shownFrom: 'digests/weekly-2024-05-07.txt',
          because: 'name-first',
        },
      ],
      renamed: [
        {
          from: { storyId: '2024-05-07-city-mayor-resigns', title: 'Mayor resigns' },
          to: { storyId: '2024-05-07-city-mayor-quits', title: 'Mayor quits' },
        },
      ],
    };

    // Act
    const { message } = reportNotification(report);

    // Assess
    expect(message).toContain(
      "1 story shows the text of weekly-2024-05-07.txt, not this file's (the same date line, and its name sorts first):\n- Rates hold\n" +
        "To show this file's text: withdraw weekly-2024-05-07.txt, or upload this file as weekly-2024-05-07.txt.",
    );
    expect(message).toContain('Headline changed: Mayor resigns -> Mayor quits');
  });

  it('titles a rejection with its reason, in ASCII and under 100 characters as SNS requires', () => {
    // Prepare
    const report: IngestReport = {
      ...OK,
      key: 'digests/财新 “daily”.txt',
      status: 'rejected',
      stories: { total: 0, added: 0, updated: 0, withdrawn: 0, unchanged: 0 },
      reason: `the file has no date line such as "Dec 01, 2020 09:19 AM" ${'x'.repeat(120)}`,
    };

    // Act
    const { subject, message } = reportNotification(report);

    // Assess
    expect(subject).toMatch(/^Rejected: \?\? "daily"\.txt: the file has no date line/);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(message).toContain('the previously published version (if any) stays live');
  });

  it('titles a withdrawal with the stories that left', () => {
    // Act
    const { subject } = reportNotification({
      ...OK,
      status: 'withdrawn',
      stories: { ...OK.stories, withdrawn: 1 },
    });

    // Assess
    expect(subject).toBe('Withdrawn: cx-daily-2020-12-01.txt (1 story)');
  });
});

describe('Class: SnsReportNotifier', () => {
  it('publishes the subject and message to the topic with the status as an attribute', async () => {
    // Prepare
    const sent: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => sent.push(command.input),
    } as unknown as SNSClient;
    const notifier = new SnsReportNotifier({
      client,
      topicArn: 'arn:aws:sns:us-east-1:123456789012:reports',
    });

    // Act
    await notifier.notify(OK);

    // Assess
    expect(sent).toEqual([
      {
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:reports',
        Subject: 'Published: cx-daily-2020-12-01.txt (15 stories)',
        Message: reportNotification(OK).message,
        MessageAttributes: { status: { DataType: 'String', StringValue: 'ok' } },
      },
    ]);
  });

  it('makes a client given as a function once, when the first report is sent', async () => {
    // Prepare
    const sent: unknown[] = [];
    let made = 0;
    const notifier = new SnsReportNotifier({
      client: () => {
        made += 1;
        return {
          send: async (command: { input: unknown }) => sent.push(command.input),
        } as unknown as SNSClient;
      },
      topicArn: 'arn:aws:sns:us-east-1:123456789012:reports',
    });
    const madeBeforeAnyReport = made;

    // Act
    await notifier.notify(OK);
    await notifier.notify({ ...OK, status: 'rejected', reason: 'the date line is missing' });

    // Assess
    expect(madeBeforeAnyReport).toBe(0);
    expect(made).toBe(1);
    expect(sent).toHaveLength(2);
  });
});
