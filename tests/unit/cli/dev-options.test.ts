import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../packages/cli/src/command.ts';
import { parseDevOptions } from '../../../packages/cli/src/commands/dev-options.ts';

describe('Function: parseDevOptions', () => {
  it('leaves every option to its default when no flag is given', () => {
    // Act
    const options = parseDevOptions([]);

    // Assess
    expect(Object.values(options).every((value) => value === undefined)).toBe(true);
  });

  it('reads ports, folders and the settings (base URL, hub, time zone)', () => {
    // Act
    const options = parseDevOptions([
      '--site-port',
      '0',
      '--s3-port=4570',
      '--dynamo-port',
      '4568',
      '--data-dir',
      '/tmp/fw',
      '--digests',
      'samples',
      '--inbox',
      'drop',
      '--base-url',
      'https://feeds.example.com',
      '--timezone',
      'Asia/Shanghai',
      '--hub',
      'http://127.0.0.1:9/hub',
    ]);

    // Assess
    expect(options).toEqual({
      sitePort: 0,
      s3Port: 4570,
      dynamoPort: 4568,
      dataDir: '/tmp/fw',
      digestsDir: 'samples',
      inboxDir: 'drop',
      site: { baseUrl: 'https://feeds.example.com/', hubUrl: 'http://127.0.0.1:9/hub' },
      digestTimezone: 'Asia/Shanghai',
    });
  });

  it("writes the functions' logs as CloudWatch's JSON with --json-logs", () => {
    expect(parseDevOptions(['--json-logs']).handlerLogs).toBe('json');
    expect(parseDevOptions([]).handlerLogs).toBeUndefined();
  });

  it('reads the SMTP port and the allowed senders', () => {
    // Act
    const options = parseDevOptions([
      '--smtp-port',
      '0',
      '--allowed-senders',
      'a@x.com,@newsletter.example.com',
    ]);

    // Assess
    expect(options).toMatchObject({ smtpPort: 0, allowedSenders: 'a@x.com,@newsletter.example.com' });
  });

  it.each([
    [['--site-port', 'eighty'], /--site-port must be a port number/],
    [['--s3-port', '70000'], /--s3-port must be a port number/],
    [['--base-url', 'feeds.example.com'], /--base-url: baseUrl 'feeds.example.com' is not an absolute URL/],
    [
      ['--base-url', 'ftp://example.com/'],
      /--base-url: baseUrl 'ftp:\/\/example.com\/' must use http or https/,
    ],
    [['--timezone', 'Mars/Olympus'], /--timezone: unknown time zone 'Mars\/Olympus': use an IANA name/],
    [['--items', '0'], /--items: itemsPerFeed must be a whole number from 1 to 1000, not 0/],
    [['--hub', 'hub.example.net'], /--hub: hubUrl 'hub.example.net' is not an absolute URL/],
    [['--smtp-port', 'smtp'], /--smtp-port must be a port number/],
    [['--allowed-senders', 'example.com'], /--allowed-senders: allowed senders: "example.com" is neither/],
    [['--allowed-senders', ','], /--allowed-senders names nobody/],
    [['--verbose'], /^unknown option '--verbose'$/],
    [['--site-prot', '0'], /^unknown option '--site-prot' \(did you mean '--site-port'\?\)$/],
    [['--data-dir'], /^option '--data-dir' needs a value: --data-dir DIR$/],
    [['extra'], /^unexpected argument 'extra'$/],
  ])('refuses %j with a usage error', (argv, message) => {
    // Act
    const parse = () => parseDevOptions(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
