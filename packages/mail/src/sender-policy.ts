/** A verdict status as SES reports it in a receipt (`receipt.spfVerdict.status` and so on). */
export type SesVerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

/** One verdict of a receipt, as SES shapes it: `{ "status": "PASS" }`. */
export interface SesVerdict {
  readonly status: SesVerdictStatus;
}

/**
 * The verdicts of an SES receipt, in the shape SES gives them (the `receipt` object of its Lambda
 * and SNS notifications), plus the domains the SPF and DKIM checks authenticated, which the
 * receipt object does not carry but the `Authentication-Results` header SES adds does.
 */
export interface SesReceiptVerdicts {
  readonly spfVerdict?: SesVerdict;
  readonly dkimVerdict?: SesVerdict;
  readonly dmarcVerdict?: SesVerdict;
  readonly spamVerdict?: SesVerdict;
  readonly virusVerdict?: SesVerdict;
  /** Domain of the envelope sender that SPF checked (`envelope-from=` / `smtp.mailfrom=`). */
  readonly spfDomain?: string;
  /** Domains of the DKIM signatures that passed (`header.d=` / `header.i=`). */
  readonly dkimDomains?: readonly string[];
  /** The From domain DMARC was evaluated for (`dmarc=pass header.from=…`). */
  readonly dmarcDomain?: string;
}

/** One header of a message, in document order (postal-mime's shape: lower-case `key`). */
export interface MailHeader {
  readonly key: string;
  readonly value: string;
}

const STATUSES: readonly SesVerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'];

function toStatus(value: string | undefined): SesVerdictStatus | undefined {
  const upper = value
    ?.trim()
    .toUpperCase()
    .replace(/[^A-Z_].*$/, '');
  if (upper === undefined) return undefined;
  if ((STATUSES as readonly string[]).includes(upper)) return upper as SesVerdictStatus;
  // Authentication-Results spells results in lower case and has more of them (RFC 8601).
  if (upper === 'NONE' || upper === 'NEUTRAL' || upper === 'SOFTFAIL') return 'GRAY';
  if (upper === 'TEMPERROR' || upper === 'PERMERROR') return 'PROCESSING_FAILED';
  return undefined;
}

function domainOf(value: string): string {
  const at = value.lastIndexOf('@');
  return (at >= 0 ? value.slice(at + 1) : value)
    .trim()
    .replace(/[>;,\s].*$/, '')
    .toLowerCase();
}

/**
 * Reads the verdicts SES wrote into a message it received (what its S3 action stores): the
 * `X-SES-Spam-Verdict` and `X-SES-Virus-Verdict` headers and the `Authentication-Results:
 * amazonses.com; spf=…; dkim=…; dmarc=…` header.
 *
 * SES adds its headers above the sender's, so only the first of each counts: a sender who writes
 * `X-SES-Spam-Verdict: PASS` or an `amazonses.com` result into their own message gets it placed
 * below SES's real one, which wins.
 */
export function sesVerdictsFromHeaders(headers: readonly MailHeader[]): SesReceiptVerdicts {
  const first = (key: string): string | undefined => headers.find((h) => h.key.toLowerCase() === key)?.value;
  const spam = toStatus(first('x-ses-spam-verdict'));
  const virus = toStatus(first('x-ses-virus-verdict'));
  const results = headers.find(
    (h) => h.key.toLowerCase() === 'authentication-results' && /^\s*amazonses\.com\s*;/i.test(h.value),
  )?.value;
  const verdicts: {
    -readonly [K in keyof SesReceiptVerdicts]: SesReceiptVerdicts[K];
  } = {};
  if (spam) verdicts.spamVerdict = { status: spam };
  if (virus) verdicts.virusVerdict = { status: virus };
  if (results === undefined) return verdicts;
  const dkimDomains: string[] = [];
  // "amazonses.com; spf=pass (…) client-ip=…; envelope-from=a@x.com; helo=…; dkim=pass header.i=@x.com; dmarc=pass header.from=x.com;"
  const clauses = results
    .replace(/\([^)]*\)/g, ' ')
    .split(';')
    .slice(1)
    .map((clause) => clause.trim());
  let current: 'spf' | 'dkim' | 'dmarc' | undefined;
  for (const clause of clauses) {
    const method = /^(spf|dkim|dmarc)\s*=\s*([a-z_]+)/i.exec(clause);
    if (method) {
      current = (method[1] as string).toLowerCase() as 'spf' | 'dkim' | 'dmarc';
      const status = toStatus(method[2]);
      if (current === 'spf' && status && verdicts.spfVerdict === undefined) verdicts.spfVerdict = { status };
      if (current === 'dmarc' && status && verdicts.dmarcVerdict === undefined) {
        verdicts.dmarcVerdict = { status };
      }
      if (current === 'dkim' && status) {
        // Several signatures give several dkim= results: PASS if any passed.
        if (verdicts.dkimVerdict?.status !== 'PASS') verdicts.dkimVerdict = { status };
      }
    }
    for (const [, property, value] of clause.matchAll(
      /\b(envelope-from|smtp\.mailfrom|header\.(?:from|[di]))=(\S+)/gi,
    )) {
      const domain = domainOf(value as string);
      if (domain.length === 0) continue;
      const name = (property as string).toLowerCase();
      if (current === 'dmarc' && name === 'header.from' && verdicts.dmarcDomain === undefined) {
        verdicts.dmarcDomain = domain;
      }
      if (current === 'spf' && (name === 'envelope-from' || name === 'smtp.mailfrom')) {
        if (verdicts.spfDomain === undefined) verdicts.spfDomain = domain;
      }
      if (
        current === 'dkim' &&
        (name === 'header.d' || name === 'header.i') &&
        /^dkim\s*=\s*pass\b/i.test(clause)
      ) {
        dkimDomains.push(domain);
      }
    }
  }
  if (dkimDomains.length > 0) verdicts.dkimDomains = dkimDomains;
  return verdicts;
}

/** Which senders may publish: exact addresses and whole domains (`@newsletter.example.com`). */
export interface AllowedSenders {
  readonly addresses: ReadonlySet<string>;
  readonly domains: ReadonlySet<string>;
}

/**
 * Reads an allow-list as written in `-c allowedSenders=…` or `--allowed-senders …`: entries
 * separated by commas or white space, each an address (`a@x.com`) or a domain (`@x.com`), compared
 * without regard to case. A domain entry takes that domain only, not its subdomains.
 *
 * @throws {Error} naming the entry that is neither.
 */
export function parseAllowedSenders(list: string): AllowedSenders {
  const addresses = new Set<string>();
  const domains = new Set<string>();
  for (const raw of list.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry.length === 0) continue;
    if (/^@[^\s@]+\.[^\s@]+$/.test(entry)) domains.add(entry.slice(1));
    else if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(entry)) addresses.add(entry);
    else {
      throw new Error(
        `allowed senders: "${raw}" is neither an address (a@example.com) nor a domain (@example.com)`,
      );
    }
  }
  return { addresses, domains };
}

/** Who may publish by mail, and how far the message's own claims are trusted. */
export interface SenderPolicy {
  /** Only these senders; every sender when undefined (the local stack without `--allowed-senders`). */
  readonly allowedSenders?: AllowedSenders;
  /**
   * `ses`: the message came through SES, whose verdicts must pass (see {@link checkSender});
   * `trusted`: the local SMTP server, where nobody authenticates mail and the sender is believed.
   */
  readonly verdicts: 'ses' | 'trusted';
}

/** Why a sender may not publish; `undefined` from {@link checkSender} when it may. */
export interface SenderRefusal {
  readonly reason: string;
}

/**
 * Whether `domain` and the From domain belong together: equal, or one a subdomain of the other
 * (DMARC's relaxed alignment, with the organisational domain approximated by the shorter name).
 */
function aligned(domain: string, fromDomain: string): boolean {
  return domain === fromDomain || fromDomain.endsWith(`.${domain}`) || domain.endsWith(`.${fromDomain}`);
}

/**
 * Decides whether a message's sender may publish.
 *
 * 0. The message must have exactly one `From:` address: two `From:` headers, or one naming two
 *    mailboxes, let a message claim an allowed sender and another at once, and which one a mail
 *    reader shows is anyone's guess.
 * 1. The `From:` address must be on the allow-list (when there is one).
 * 2. Through SES: the spam and virus verdicts must not be `FAIL`, and the `From:` address must be
 *    authenticated: DMARC passed for the From domain itself (`header.from=` equal to it), or SPF
 *    passed for an envelope domain aligned with the `From:` domain, or a DKIM signature of an
 *    aligned domain passed. DMARC, SPF or DKIM passing for some other domain is what a forged
 *    `From:` looks like, so it does not count.
 *
 * `from` is the message's `From:` addresses (one string for a message known to have one).
 */
export function checkSender(
  from: string | readonly string[] | undefined,
  verdicts: SesReceiptVerdicts,
  policy: SenderPolicy,
): SenderRefusal | undefined {
  const addresses = from === undefined ? [] : typeof from === 'string' ? [from] : from;
  if (addresses.length > 1) {
    return {
      reason: `the message has ${addresses.length} From: addresses (${addresses.join(', ')}): a message that claims more than one sender cannot publish; send it from one address`,
    };
  }
  const address = addresses[0]?.trim().toLowerCase();
  if (address === undefined || !/^[^\s@]+@[^\s@]+$/.test(address)) {
    return { reason: 'the message has no From: address, so its sender cannot be checked' };
  }
  const fromDomain = domainOf(address);
  const allowed = policy.allowedSenders;
  if (allowed && !allowed.addresses.has(address) && !allowed.domains.has(fromDomain)) {
    return {
      reason: `the sender ${address} is not on the allowed senders list: add it (or @${fromDomain}) to allowedSenders to let it publish`,
    };
  }
  if (policy.verdicts === 'trusted') return undefined;
  if (verdicts.spamVerdict?.status === 'FAIL') {
    return { reason: `SES judged the message from ${address} to be spam (spam verdict FAIL)` };
  }
  if (verdicts.virusVerdict?.status === 'FAIL') {
    return { reason: `SES found a virus in the message from ${address} (virus verdict FAIL)` };
  }
  if (verdicts.dmarcVerdict?.status === 'PASS' && verdicts.dmarcDomain === fromDomain) return undefined;
  const spfPass =
    verdicts.spfVerdict?.status === 'PASS' &&
    verdicts.spfDomain !== undefined &&
    aligned(verdicts.spfDomain, fromDomain);
  const dkimPass =
    verdicts.dkimVerdict?.status === 'PASS' &&
    (verdicts.dkimDomains ?? []).some((domain) => aligned(domain, fromDomain));
  if (spfPass || dkimPass) return undefined;
  const spf = verdicts.spfVerdict?.status ?? 'missing';
  const dkim = verdicts.dkimVerdict?.status ?? 'missing';
  const dmarc =
    verdicts.dmarcVerdict === undefined
      ? ''
      : `, DMARC ${verdicts.dmarcVerdict.status}${verdicts.dmarcDomain ? ` for ${verdicts.dmarcDomain}` : ''}`;
  return {
    reason: `the From: address ${address} is not authenticated (SPF ${spf}${verdicts.spfDomain ? ` for ${verdicts.spfDomain}` : ''}, DKIM ${dkim}${verdicts.dkimDomains ? ` for ${verdicts.dkimDomains.join(', ')}` : ''}${dmarc}): a forged sender cannot publish; the sender's domain needs SPF, DKIM or DMARC for ${fromDomain}`,
  };
}
