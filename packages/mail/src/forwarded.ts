/**
 * The separator lines mail clients put above a forwarded message: Gmail's "---------- Forwarded
 * message ---------", Thunderbird's "-------- Forwarded Message --------", Outlook's "-----Original
 * Message-----", Apple Mail's "Begin forwarded message:".
 */
const FORWARD_MARKER =
  /^(?:>\s?)*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:)\s*$/i;

/** A header line of the forwarded message's header block ("From: …", "Subject: …", "Date: …"). */
const HEADER_LINE = /^(?:>\s?)*[A-Za-z][A-Za-z-]{0,30}:\s/;

/**
 * A rule above a forwarded header block: Outlook's underscores above "From: / Sent: / To:", and the
 * dashes postal-mime itself puts around the headers of an inline `message/rfc822` part.
 */
const RULE = /^(?:>\s?)*(?:_{10,}|-{10,})\s*$/;

const QUOTE = /^>\s?/;

function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** Index just past the forwarded header block starting at `from` (blank lines before it skipped). */
function skipHeaderBlock(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && isBlank((lines[i] as string).replace(QUOTE, ''))) i++;
  const start = i;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (HEADER_LINE.test(line)) {
      i++;
      continue;
    }
    // A folded header line (a long To: list) continues with leading white space.
    if (i > start && /^(?:>\s?)*[ \t]+\S/.test(line)) {
      i++;
      continue;
    }
    break;
  }
  return i;
}

/** Strips one level of `>` quoting when every non-blank line has it; otherwise returns the lines as they are. */
function unquote(lines: readonly string[]): { lines: string[]; unquoted: boolean } {
  const nonBlank = lines.filter((line) => !isBlank(line));
  if (nonBlank.length === 0 || !nonBlank.every((line) => QUOTE.test(line))) {
    return { lines: [...lines], unquoted: false };
  }
  return { lines: lines.map((line) => line.replace(QUOTE, '')), unquoted: true };
}

/** What {@link unwrapForwarded} did. */
export interface Unwrapped {
  /** The newsletter's own text. */
  readonly text: string;
  /** Whether a forwarding preamble, a forwarded header block or `>` quoting was removed. */
  readonly unwrapped: boolean;
}

/**
 * Unwraps a newsletter that reached the address as a forward: drops what the forwarder wrote above
 * the "Forwarded message" marker (or a rule above a header block, as Outlook and postal-mime's
 * rendering of an inline `message/rfc822` part have), the marker and the forwarded header block
 * (From:, Date:, Subject:, To:), then one level of `>` quoting if every remaining line carries it (Apple Mail and
 * plain-text clients quote what they forward). Forwards of forwards are unwrapped to the innermost.
 * Text without a marker is returned as it is unless all of it is `>`-quoted.
 *
 * Pure; line ends are kept as `\n`.
 */
export function unwrapForwarded(text: string): Unwrapped {
  let lines = text.split(/\r\n|\r|\n/);
  let unwrapped = false;
  for (let round = 0; round < 8; round++) {
    const marker = lines.findIndex((line) => FORWARD_MARKER.test(line));
    let bodyStart = -1;
    if (marker >= 0) {
      bodyStart = skipHeaderBlock(lines, marker + 1);
    } else {
      const rule = lines.findIndex(
        (line, i) => RULE.test(line) && /^(?:>\s?)*(?:from|subject|date):\s/i.test(lines[i + 1] ?? ''),
      );
      if (rule >= 0) {
        bodyStart = skipHeaderBlock(lines, rule + 1);
        if (RULE.test(lines[bodyStart] ?? '')) bodyStart++;
      }
    }
    if (bodyStart < 0) {
      const { lines: plain, unquoted } = unquote(lines);
      if (!unquoted) break;
      lines = plain;
      unwrapped = true;
      continue;
    }
    lines = unquote(lines.slice(bodyStart)).lines;
    while (lines.length > 1 && isBlank(lines[0] as string)) lines.shift();
    unwrapped = true;
  }
  return { text: lines.join('\n'), unwrapped };
}
