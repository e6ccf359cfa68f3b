import { readFileSync } from 'node:fs';
import {
  acceptMailDigest,
  checkSender,
  parseAllowedSenders,
  readMail,
  type SesReceiptVerdicts,
  sesVerdictsFromHeaders,
} from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { digestErrorOfAsync, eml, rawMessage, TEXT_DIR } from './mail-fixtures.ts';

const ALLOWED = parseAllowedSenders('editor@x.com, @newsletter.example.com');
const SES = { allowedSenders: ALLOWED, verdicts: 'ses' } as const;

/** The `receipt` verdicts of an SES notification, all passing, for the From: domain. */
const PASSING: SesReceiptVerdicts = {
  spfVerdict: { status: 'PASS' },
  dkimVerdict: { status: 'PASS' },
  dmarcVerdict: { status: 'PASS' },
  spamVerdict: { status: 'PASS' },
  virusVerdict: { status: 'PASS' },
  spfDomain: 'newsletter.example.com',
  dkimDomains: ['newsletter.example.com'],
};

/** The headers SES puts on top of a message it stores in S3 (from its documented examples). */
const SES_HEADERS = [
  'Return-Path: <bounce@mail.newsletter.example.com>',
  'Received: from mail.newsletter.example.com by inbound-smtp.us-east-1.amazonaws.com with SMTP id abc for digests@digests.example.com',
  'X-SES-Spam-Verdict: PASS',
  'X-SES-Virus-Verdict: PASS',
  'Received-SPF: pass (spfCheck: domain of mail.newsletter.example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=bounce@mail.newsletter.example.com; helo=mail.newsletter.example.com;',
  'Authentication-Results: amazonses.com;',
  ' spf=pass (spfCheck: domain of mail.newsletter.example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=bounce@mail.newsletter.example.com; helo=mail.newsletter.example.com;',
  ' dkim=pass header.i=@newsletter.example.com;',
  ' dmarc=pass header.from=newsletter.example.com;',
  'X-SES-RECEIPT: AEFBQUFBQUFB',
];

describe('Function: parseAllowedSenders', () => {
  it('reads addresses and @domains separated by commas or spaces, in any case', () => {
    // Act
    const allowed = parseAllowedSenders(' A@X.com,@News.Example.com  b@y.org ');

    // Assess
    expect([...allowed.addresses]).toEqual(['a@x.com', 'b@y.org']);
    expect([...allowed.domains]).toEqual(['news.example.com']);
  });

  it('refuses an entry that is neither, naming it', () => {
    // Act + Assess
    expect(() => parseAllowedSenders('a@x.com,example.com')).toThrow(/"example.com" is neither an address/);
  });
});

describe('Function: sesVerdictsFromHeaders', () => {
  it('reads the verdicts and authenticated domains SES adds to a stored message', () => {
    // Prepare
    const headers = rawHeaders(SES_HEADERS);

    // Act
    const verdicts = sesVerdictsFromHeaders(headers);

    // Assess
    expect(verdicts).toEqual({
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      spfDomain: 'mail.newsletter.example.com',
      dkimDomains: ['newsletter.example.com'],
      dmarcDomain: 'newsletter.example.com',
    });
  });

  it("takes SES's own headers, the first ones, over copies the sender wrote lower down", () => {
    // Prepare
    const headers = rawHeaders([
      'X-SES-Spam-Verdict: FAIL',
      'X-SES-Virus-Verdict: PASS',
      'Authentication-Results: amazonses.com; spf=fail (spfCheck: …) envelope-from=x@evil.example; dkim=none; dmarc=none;',
      'X-SES-Spam-Verdict: PASS',
      'Authentication-Results: amazonses.com; spf=pass envelope-from=a@newsletter.example.com; dkim=pass header.i=@newsletter.example.com; dmarc=pass;',
    ]);

    // Act
    const verdicts = sesVerdictsFromHeaders(headers);

    // Assess
    expect(verdicts.spamVerdict).toEqual({ status: 'FAIL' });
    expect(verdicts.spfVerdict).toEqual({ status: 'FAIL' });
    expect(verdicts.dkimVerdict).toEqual({ status: 'GRAY' });
    expect(verdicts.dkimDomains).toBeUndefined();
  });

  it('ignores Authentication-Results of other servers', () => {
    // Prepare
    const headers = rawHeaders(['Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=a@x.com']);

    // Act
    const verdicts = sesVerdictsFromHeaders(headers);

    // Assess
    expect(verdicts).toEqual({});
  });

  it('is what readMail returns for a message stored by SES', async () => {
    // Prepare
    const raw = Buffer.concat([Buffer.from(`${SES_HEADERS.join('\r\n')}\r\n`), eml('cx-daily-2020-12-01')]);

    // Act
    const mail = await readMail(raw);

    // Assess
    expect(mail.verdicts.spfVerdict).toEqual({ status: 'PASS' });
    expect(checkSender(mail.from, mail.verdicts, SES)).toBeUndefined();
  });
});

describe('Function: checkSender', () => {
  it('lets an allowed, authenticated sender publish', () => {
    // Act + Assess
    expect(checkSender('Daily@Newsletter.Example.com', PASSING, SES)).toBeUndefined();
    expect(
      checkSender('editor@x.com', { ...PASSING, spfDomain: 'x.com', dmarcVerdict: undefined }, SES),
    ).toBeUndefined();
  });

  it('refuses a sender not on the list, saying how to allow it', () => {
    // Act
    const refusal = checkSender('someone@other.example', PASSING, SES);

    // Assess
    expect(refusal?.reason).toBe(
      'the sender someone@other.example is not on the allowed senders list: add it (or @other.example) to allowedSenders to let it publish',
    );
  });

  it('takes an @domain entry for that domain only, not its subdomains', () => {
    // Act + Assess
    expect(checkSender('a@evil.newsletter.example.com', PASSING, SES)?.reason).toMatch(/not on the allowed/);
  });

  it('refuses a message with no From: address', () => {
    // Act + Assess
    expect(checkSender(undefined, PASSING, SES)?.reason).toMatch(/no From: address/);
  });

  it.each([
    ['spamVerdict', /spam/],
    ['virusVerdict', /virus/],
  ] as const)('refuses a message whose %s is FAIL', (verdict, reason) => {
    // Act
    const refusal = checkSender(
      'daily@newsletter.example.com',
      { ...PASSING, [verdict]: { status: 'FAIL' } },
      SES,
    );

    // Assess
    expect(refusal?.reason).toMatch(reason);
  });

  it.each(['GRAY', 'PROCESSING_FAILED'] as const)(
    'lets a %s spam verdict through (only FAIL refuses)',
    (status) => {
      // Act + Assess
      expect(
        checkSender('daily@newsletter.example.com', { ...PASSING, spamVerdict: { status } }, SES),
      ).toBeUndefined();
    },
  );

  it('accepts SPF alone, or DKIM alone, when aligned with the From: domain', () => {
    // Prepare
    const none = { status: 'FAIL' } as const;
    const spfOnly = { ...PASSING, dkimVerdict: none, dmarcVerdict: none, dkimDomains: undefined };
    const dkimOnly = { ...PASSING, spfVerdict: none, dmarcVerdict: none };

    // Act + Assess
    expect(checkSender('daily@newsletter.example.com', spfOnly, SES)).toBeUndefined();
    expect(checkSender('daily@newsletter.example.com', dkimOnly, SES)).toBeUndefined();
  });

  it('refuses a forged From: whose SPF and DKIM passed for another domain', () => {
    // Prepare
    const forged: SesReceiptVerdicts = {
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'FAIL' },
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfDomain: 'attacker.example',
      dkimDomains: ['attacker.example'],
    };

    // Act
    const refusal = checkSender('daily@newsletter.example.com', forged, SES);

    // Assess
    expect(refusal?.reason).toMatch(/^the From: address daily@newsletter.example.com is not authenticated/);
    expect(refusal?.reason).toMatch(/a forged sender cannot publish/);
  });

  it('refuses a message with no SES verdicts at all (not received through SES)', () => {
    // Act + Assess
    expect(checkSender('daily@newsletter.example.com', {}, SES)?.reason).toMatch(/SPF missing, DKIM missing/);
  });

  it('trusts local mail, applying only the list when there is one', () => {
    // Act + Assess
    expect(checkSender('anyone@anywhere.example', {}, { verdicts: 'trusted' })).toBeUndefined();
    expect(
      checkSender('anyone@anywhere.example', {}, { verdicts: 'trusted', allowedSenders: ALLOWED }),
    ).toBeDefined();
    expect(checkSender('editor@x.com', {}, { verdicts: 'trusted', allowedSenders: ALLOWED })).toBeUndefined();
  });
});

/** postal-mime's header list for header lines (folded lines joined), via a real parse. */
function rawHeaders(lines: readonly string[]) {
  const unfolded: { key: string; value: string }[] = [];
  for (const line of lines) {
    if (/^\s/.test(line) && unfolded.length > 0) {
      const last = unfolded[unfolded.length - 1] as { key: string; value: string };
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    unfolded.push({ key: line.slice(0, colon).toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return unfolded;
}

describe('Function: sesVerdictsFromHeaders, on headers read by postal-mime', () => {
  it('gives the same verdicts as on the hand-unfolded headers', async () => {
    // Prepare
    const raw = rawMessage([...SES_HEADERS, 'From: daily@newsletter.example.com'], 'x');

    // Act
    const mail = await readMail(raw);

    // Assess
    expect(mail.verdicts).toEqual(sesVerdictsFromHeaders(rawHeaders(SES_HEADERS)));
    expect(mail.verdicts.dkimDomains).toEqual(['newsletter.example.com']);
  });
});

describe('Function: checkSender, on a message with more than one From: address', () => {
  it('refuses two addresses, naming both, even when the first is allowed', () => {
    // Act
    const refusal = checkSender(['editor@x.com', 'evil@attacker.example'], PASSING, {
      verdicts: 'trusted',
      allowedSenders: ALLOWED,
    });

    // Assess
    expect(refusal?.reason).toBe(
      'the message has 2 From: addresses (editor@x.com, evil@attacker.example): a message that claims more than one sender cannot publish; send it from one address',
    );
  });

  it('refuses it when no allow-list is set too', () => {
    // Act + Assess
    expect(checkSender(['a@x.com', 'b@y.com'], {}, { verdicts: 'trusted' })?.reason).toMatch(
      /2 From: addresses/,
    );
  });
});

describe('Function: acceptMailDigest, on a message with more than one From: address', () => {
  const digest = readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`, 'utf8');
  const policies = {
    trusted: { verdicts: 'trusted', allowedSenders: parseAllowedSenders('editor@example.com') },
    ses: { verdicts: 'ses', allowedSenders: parseAllowedSenders('editor@example.com') },
  } as const;
  const sesHeaders = [
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    'Authentication-Results: amazonses.com; spf=pass envelope-from=bounce@example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;',
  ];

  it.each([
    ['two From: headers', ['From: editor@example.com', 'From: evil@attacker.com']],
    ['one From: header with two addresses', ['From: editor@example.com, evil@attacker.com']],
    ['one From: header with a group of two', ['From: Editors: editor@example.com, evil@attacker.com;']],
    ['the forged address first', ['From: evil@attacker.com', 'From: editor@example.com']],
  ])('refuses %s, locally and through SES', async (_, fromHeaders) => {
    for (const [name, policy] of Object.entries(policies)) {
      // Prepare
      const raw = rawMessage(
        [...(name === 'ses' ? sesHeaders : []), ...fromHeaders, 'Subject: Daily'],
        digest,
      );

      // Act
      const error = await digestErrorOfAsync(acceptMailDigest(raw, { policy }));

      // Assess
      expect(error.code).toBe('SENDER_REFUSED');
      expect(error.message).toMatch(/^the message has 2 From: addresses \(.*evil@attacker\.com.*\)/);
    }
  });

  it('accepts the same message with one From: address', async () => {
    // Prepare
    const raw = rawMessage([...sesHeaders, 'From: Editor <editor@example.com>', 'Subject: Daily'], digest);

    // Act
    const { digest: parsed } = await acceptMailDigest(raw, { policy: policies.ses });

    // Assess
    expect(parsed.stories.length).toBeGreaterThan(0);
  });
});

describe('Function: checkSender, on the DMARC verdict', () => {
  it('refuses dmarc=pass for another domain than the From: domain', () => {
    // Prepare
    const headers = rawHeaders([
      'X-SES-Spam-Verdict: PASS',
      'X-SES-Virus-Verdict: PASS',
      'Authentication-Results: amazonses.com; spf=pass envelope-from=bounce@attacker.com; dkim=pass header.i=@attacker.com; dmarc=pass header.from=attacker.com;',
    ]);
    const verdicts = sesVerdictsFromHeaders(headers);

    // Act
    const refusal = checkSender('editor@x.com', verdicts, SES);

    // Assess
    expect(verdicts.dmarcDomain).toBe('attacker.com');
    expect(refusal?.reason).toMatch(
      /^the From: address editor@x.com is not authenticated \(.*DMARC PASS for attacker\.com\)/,
    );
  });

  it('accepts dmarc=pass for the From: domain itself, with SPF and DKIM for a mailing service', () => {
    // Prepare
    const verdicts = sesVerdictsFromHeaders(
      rawHeaders([
        'Authentication-Results: amazonses.com; spf=pass envelope-from=bounce@mcsv.example; dkim=pass header.i=@mcsv.example; dmarc=pass header.from=x.com;',
      ]),
    );

    // Act + Assess
    expect(checkSender('editor@x.com', verdicts, SES)).toBeUndefined();
  });

  it('does not take a DMARC pass that names no domain for the From: domain', () => {
    // Act
    const refusal = checkSender(
      'editor@x.com',
      { dmarcVerdict: { status: 'PASS' }, spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'FAIL' } },
      SES,
    );

    // Assess
    expect(refusal?.reason).toMatch(/not authenticated/);
  });
});
