import { endsWithPeriod, isFooterStart, isHeadlineLike, isQuickHits, labelTopic } from './classify.ts';
import { type DateLine, parseDateLine } from './date-line.ts';
import { DigestError } from './errors.ts';
import { formatInstant, formatWallDate, instantFormatter } from './format-time.ts';
import { isSpaceCode, type Line, scanLines } from './lines.ts';
import { isListItem } from './list.ts';
import type { Digest, ParseOptions, Story } from './model.ts';
import { storyIdFor, topicSlugFor } from './slug.ts';
import { resolveTimeZone, wallTimeToInstant } from './time-zone.ts';

/** A section: its label's topic and the non-blank lines up to the next label. */
interface Section {
  readonly topic: string;
  readonly lines: Line[];
  caption: string | null;
}

/** What a story is made of before ids and times are given out. */
interface Draft {
  readonly topic: string;
  readonly topicSlug: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly related: readonly string[];
  readonly imageCaption: string | null;
}

/** Captions are one-sentence descriptions of a photo; a longer line is running text. */
const MAX_CAPTION_LENGTH = 300;
/** Gaps of this many blank lines or more are counted together when finding the usual gap. */
const MAX_COUNTED_GAP = 15;

/**
 * How a digest spaces its blocks. The newsletter puts one blank line between blocks and three
 * before a caption, but editors' mail clients and converters double every line break (or drop the
 * blank lines), so what sets a caption apart is a gap wider than the digest's usual one, not a
 * fixed count.
 */
interface Spacing {
  /** The most common number of blank lines before a line (ties go to the wider gap). */
  readonly usualGap: number;
  /** Blank lines from which a line stands apart as a caption: one more than the usual gap. */
  readonly captionGap: number;
  /** Whether any line stands apart so, i.e. the digest marks its captions with the wider gap. */
  readonly marksCaptions: boolean;
}

/** The {@link Spacing} of a digest from the counts of lines by the blank lines before them. */
function spacingOf(gapCounts: readonly number[]): Spacing {
  let usualGap = 0;
  for (let gap = 1; gap < gapCounts.length; gap++) {
    if ((gapCounts[gap] ?? 0) >= (gapCounts[usualGap] ?? 0)) usualGap = gap;
  }
  const captionGap = usualGap + 1;
  let marksCaptions = false;
  for (let gap = captionGap; gap < gapCounts.length; gap++) {
    if ((gapCounts[gap] ?? 0) > 0) marksCaptions = true;
  }
  return { usualGap, captionGap, marksCaptions };
}

const DATE_EXAMPLE = "'Dec 01, 2020 09:19 AM'";

/** Quotes a piece of the input in a one-line message, shortened. */
function quote(text: string, max = 60): string {
  const flat = text.replace(/\p{Cc}/gu, ' ');
  return `'${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}'`;
}

/** A character of a summary line as compared with its copy: quotes straightened, ASCII lower-cased. */
function foldForComparison(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c === 0x2018 || c === 0x2019 || c === 0x60 || c === 0xb4) return 0x27;
  if (c === 0x201c || c === 0x201d || c === 0x201e) return 0x22;
  return c;
}

/**
 * True when two copies of the summary differ in nothing anybody would call an edit: straight or
 * curly quotes, letter case, runs of spaces. One pass, no allocation.
 */
function sameSummary(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isSpaceCode(ca) && isSpaceCode(cb)) {
      while (i < a.length && isSpaceCode(a.charCodeAt(i))) i++;
      while (j < b.length && isSpaceCode(b.charCodeAt(j))) j++;
      continue;
    }
    if (foldForComparison(ca) !== foldForComparison(cb)) return false;
    i++;
    j++;
  }
  return i === a.length && j === b.length;
}

/**
 * True when `b` reads as an edited copy of `a`: what the two share at the start and at the end
 * (quotes and case folded as in {@link sameSummary}) is at least 60% of the longer one. "Athletes,
 * staff and journalists will…" and "Athletes, staff and reporters will…" are; a photo caption and
 * the summary are not. One pass from each end, no allocation.
 */
function nearlySameSummary(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (
    prefix < shorter &&
    foldForComparison(a.charCodeAt(prefix)) === foldForComparison(b.charCodeAt(prefix))
  )
    prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    foldForComparison(a.charCodeAt(a.length - 1 - suffix)) ===
      foldForComparison(b.charCodeAt(b.length - 1 - suffix))
  )
    suffix++;
  return prefix + suffix >= 0.6 * Math.max(a.length, b.length);
}

function countReplacementChars(text: string): { count: number; first: number } {
  let count = 0;
  const first = text.indexOf('\uFFFD');
  for (let i = first; i >= 0; i = text.indexOf('\uFFFD', i + 1)) count++;
  return { count, first };
}

/**
 * Whether the last line of a section is the caption of the photo that heads the next section.
 *
 * The newsletter sets a caption apart from the story before it with a wider gap (three blank
 * lines, where everything else has one; in general more than the digest's usual gap, see
 * {@link Spacing}), and that is the main signal. Only in a digest that never uses the wider gap
 * (its blank lines collapsed), a line is still a caption when it cannot be anything else: a
 * sentence ending in "." after a run of headline-like lines, where only a caption can stand (a
 * quick hit or a related headline is not followed by running text). In a digest that does mark
 * its captions, a last line without the gap is never one: a quick hit ending in "." stays a quick
 * hit. A section's first line is its story's title, never a caption.
 */
function isTrailingCaption(section: Section, spacing: Spacing): boolean {
  const lines = section.lines;
  const candidate = lines[lines.length - 1];
  const before = lines[lines.length - 2];
  if (candidate === undefined || before === undefined) return false;
  if (candidate.text.length > MAX_CAPTION_LENGTH) return false;
  if (candidate.gap >= spacing.captionGap) return true;
  if (spacing.marksCaptions) return false;
  // "Didi lists in the U.S." ends in a period, yet reads as a headline: not a caption.
  // A list item is body, and running text may follow body: only a headline-like line that is not
  // a list item makes the sentence after it a caption.
  if (
    !endsWithPeriod(candidate.text) ||
    isHeadlineLike(candidate.text) ||
    !isHeadlineLike(before.text) ||
    isListItem(before.text) ||
    isListItem(candidate.text)
  ) {
    return false;
  }
  // In a story, title + first paragraph + related headline(s) come before; the first paragraph
  // is always body, so the line before the candidate must be at least the third of the section.
  return isQuickHits(section.topic) || lines.length >= 4;
}

/**
 * Splits a story's lines (its title first) into body paragraphs and related headlines.
 *
 * The related headlines are the trailing run of headline-like lines (see {@link isHeadlineLike}):
 * short, with no sentence-final punctuation, possibly with a colon inside or a "?" at the end.
 * The first line after the title is always body, whatever it looks like (a story opening with a
 * short question), and so is every line before the last running-text line ("?" lines included).
 *
 * Lists are read as an editor reads them: a line starting with a list marker (see `listMarker`:
 * `•`, `·`, `▪`, `◦`, `–`, `—`, `-` or `*` and a space, or `1.`, `2)`…) is a body paragraph, kept
 * verbatim with its marker, wherever it stands, however short and unpunctuated; and a line ending
 * in `:` (which introduces a list or a quote) is body too, as is everything before it. So the
 * related headlines start only after the last list item or colon line, never among the items.
 */
function splitBody(lines: readonly Line[]): { paragraphs: string[]; related: string[] } {
  // lines[0] is the story's title; lines[1] its first paragraph, always body. A colon line is not
  // headline-like (see isHeadlineLike), so it stops the run too.
  let split = lines.length;
  while (split > 2) {
    const text = (lines[split - 1] as Line).text;
    if (!isHeadlineLike(text) || isListItem(text)) break;
    split--;
  }
  const paragraphs: string[] = [];
  const related: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    (i < split ? paragraphs : related).push((lines[i] as Line).text);
  }
  return { paragraphs, related };
}

/**
 * Parses the text of a digest (one issue of the daily newsletter) into its stories.
 *
 * The format, in order:
 * 1. the date line, "Dec 01, 2020 09:19 AM" (see `parseDateLine` for the variants accepted),
 *    read as a wall time in `options.timezone`;
 * 2. the digest's title line;
 * 3. the summary, usually given twice on consecutive lines (kept once; a warning if the copies
 *    differ);
 * 4. optionally the caption of the photo heading the first section;
 * 5. sections: a label line ending in " /" ("Personal data /"), then the story's title, its body
 *    paragraphs, and related headlines (see {@link splitBody}); the caption of the next section's
 *    photo stands last, after a wider gap (see {@link isTrailingCaption}), and belongs to that
 *    section's first story. Under "Quick hits /" every line is a story with no paragraphs.
 * 6. the footer from "Thanks for reading" (or "Thank you for reading", "Share this article",
 *    "Open WeChat and scan the QR code") on, dropped.
 *
 * Blank lines are read relative to the digest: the usual gap between blocks is the most common
 * number of blank lines before a line (one in the newsletter), and a caption is set apart by more
 * than that (three in the newsletter). So a digest whose line breaks were all doubled on the way
 * (a mail client's export: two or three blank lines between blocks, six or seven before a
 * caption) or whose blank lines were dropped (none between blocks, one before a caption) parses
 * the same as the original.
 *
 * Decisions on text that could be read two ways, each with a test:
 * - a short question after the last body paragraph, with nothing after it or only headline-like
 *   lines, is a related headline ("Is the digital yuan ready?"): related headlines are often
 *   questions, and a story's excerpt rarely ends on one. A question anywhere before the last
 *   running-text line, or as the first paragraph, is body;
 * - a line made of two sentences ("Critics were unconvinced. Why now?") is body, whatever its end;
 * - in a digest that marks captions with the wider gap, a last line without it is never a caption
 *   (a quick hit ending in "." stays a quick hit; a one-sentence last paragraph stays body);
 * - a list item (a line opening with `•`, `–`, `-`, `*`… and a space, or `1.`, `2)`) is body
 *   wherever it stands, even short and unpunctuated at the end of a story, and so is a line ending
 *   in `:` that introduces it: related headlines start after the last of them (see
 *   {@link splitBody}). Under "Quick hits /" every line is still a story of its own.
 *
 * Lines are trimmed at both ends (spaces, tabs, NBSPs, ideographic and zero-width spaces); a line
 * of only those is blank. Text is otherwise kept verbatim (curly quotes, inner NBSPs, CJK). LF,
 * CRLF and lone CR line ends and a leading BOM are all accepted. One pass over the text, no
 * backtracking regular expressions on whole lines, so the cost is linear in the size of the input.
 *
 * Each story gets a {@link storyIdFor} id (suffixed -2, -3 when a topic and title repeat) and the
 * digest's instant minus its 0-based position in seconds as its own time, so that readers sorting
 * by time keep the digest's order.
 *
 * Pure: no I/O. Same text and options → same result.
 *
 * @throws {DigestError} `EMPTY`, `BLANK`, `NUL_BYTES`, `NO_DATE`, `BAD_DATE`, `NO_TITLE`,
 *   `NO_SECTIONS`, `NO_STORIES` or `BAD_TIMEZONE`, each with a message a person can act on.
 */
export function parseDigest(text: string, options: ParseOptions = {}): Digest {
  const timezone = resolveTimeZone(options.timezone ?? 'UTC');
  const lines = readLines(text);
  const dateLine = lines[0] as Line;
  const warnings: string[] = [];
  const replaced = countReplacementChars(text);
  if (replaced.count > 0) {
    warnings.push(
      `${replaced.count} character(s) could not be read (invalid bytes replaced with U+FFFD); check the text near line ${scanLines(text.slice(0, replaced.first + 1)).at(-1)?.lineNo ?? 1}`,
    );
  }
  const { wall, epochMs } = readDateLine(dateLine, timezone, warnings);
  const { sections, firstLabel, spacing } = splitSections(lines);
  const preamble = lines.slice(1, firstLabel);
  const titleLine = preamble[0];
  if (titleLine === undefined) {
    throw new DigestError(
      'NO_TITLE',
      'no title: the line after the date must be the digest title, but the first section starts there',
    );
  }
  const summary = readSummary(preamble, spacing, warnings);
  attachTrailingCaptions(sections, spacing);
  const drafts = draftStories(sections, summary.caption, warnings);
  const digestDate = formatWallDate(wall);
  return {
    title: titleLine.text,
    summary: summary.text,
    publishedAt: formatInstant(epochMs),
    date: digestDate,
    timezone,
    stories: finishStories(drafts, digestDate, epochMs, warnings),
    warnings,
  };
}

/** The text's non-blank lines, after refusing an empty text, NUL characters and a blank text. */
function readLines(text: string): Line[] {
  if (text.length === 0) {
    throw new DigestError(
      'EMPTY',
      `the digest is empty: it should start with a date line like ${DATE_EXAMPLE}`,
    );
  }
  // lastIndexOf: indexOf('\0') is slow on UTF-16 strings, where half of all bytes are zero.
  if (text.lastIndexOf('\0') >= 0) {
    const nul = text.indexOf('\0');
    throw new DigestError(
      'NUL_BYTES',
      `the digest contains NUL characters (the first at character ${nul}): it is corrupted or not plain text`,
    );
  }
  const lines = scanLines(text);
  if (lines.length === 0) {
    throw new DigestError(
      'BLANK',
      'the digest has only blank lines (spaces, tabs or non-breaking spaces): it has no date, title or stories',
    );
  }
  return lines;
}

/** The first line as the digest's wall time and instant in `timezone`; oddities become warnings. */
function readDateLine(
  line: Line,
  timezone: string,
  warnings: string[],
): { wall: DateLine['wall']; epochMs: number } {
  const date = parseDateLine(line.text);
  if (date === undefined) {
    throw new DigestError(
      'NO_DATE',
      `no date line: the first line must be a date like ${DATE_EXAMPLE}, not ${quote(line.text)}`,
    );
  }
  if (!date.hasTime) warnings.push('the date line has no time of day; read as 00:00');
  const instant = wallTimeToInstant(date.wall, timezone);
  if (instant.note !== undefined) warnings.push(instant.note);
  return { wall: date.wall, epochMs: instant.epochMs };
}

/** Section boundaries, the footer and the spacing, in one pass over the lines after the date. */
function splitSections(lines: readonly Line[]): {
  sections: Section[];
  firstLabel: number;
  spacing: Spacing;
} {
  const sections: Section[] = [];
  const gapCounts = new Array<number>(MAX_COUNTED_GAP + 1).fill(0);
  let firstLabel = -1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (firstLabel >= 0 && isFooterStart(line.text)) break;
    const counted = Math.min(line.gap, MAX_COUNTED_GAP);
    gapCounts[counted] = (gapCounts[counted] ?? 0) + 1;
    const topic = labelTopic(line.text);
    if (topic !== undefined) {
      if (firstLabel < 0) firstLabel = i;
      sections.push({ topic, lines: [], caption: null });
    } else if (firstLabel >= 0) {
      (sections[sections.length - 1] as Section).lines.push(line);
    }
  }
  if (firstLabel < 0) {
    throw new DigestError(
      'NO_SECTIONS',
      "no sections: no line is a section label like 'Personal data /' (a topic followed by ' /' on a line of its own)",
    );
  }
  return { sections, firstLabel, spacing: spacingOf(gapCounts) };
}

/** Moves a caption standing at the end of a section (after a wider gap) to the next section. */
function attachTrailingCaptions(sections: Section[], spacing: Spacing): void {
  for (let k = 1; k < sections.length; k++) {
    const previous = sections[k - 1] as Section;
    if (isTrailingCaption(previous, spacing)) {
      (sections[k] as Section).caption = (previous.lines.pop() as Line).text;
    }
  }
}

/**
 * The stories of the sections in text order: one per section, or one per line under "Quick hits /";
 * each caption goes to the first story after it. `caption` is the one before the first section.
 */
function draftStories(sections: readonly Section[], caption: string | null, warnings: string[]): Draft[] {
  const drafts: Draft[] = [];
  const slugOwners = new Map<string, string>();
  let pendingCaption = caption;
  for (const section of sections) {
    if (section.caption !== null) {
      if (pendingCaption !== null) {
        warnings.push(`the caption ${quote(pendingCaption)} has no story to go with; dropped`);
      }
      pendingCaption = section.caption;
    }
    if (section.lines.length === 0) {
      warnings.push(`section '${section.topic}' has no stories`);
      continue;
    }
    const topicSlug = topicSlugFor(section.topic);
    const owner = slugOwners.get(topicSlug);
    if (owner === undefined) {
      slugOwners.set(topicSlug, section.topic);
    } else if (owner !== section.topic && owner.toLowerCase() !== section.topic.toLowerCase()) {
      warnings.push(`topics '${owner}' and '${section.topic}' share the slug '${topicSlug}' and so one feed`);
    }
    if (isQuickHits(section.topic)) {
      for (const line of section.lines) {
        drafts.push({
          topic: section.topic,
          topicSlug,
          title: line.text,
          paragraphs: [],
          related: [],
          imageCaption: pendingCaption,
        });
        pendingCaption = null;
      }
      continue;
    }
    const title = section.lines[0] as Line;
    const { paragraphs, related } = splitBody(section.lines);
    if (paragraphs.length === 0) warnings.push(`story ${quote(title.text)} has no paragraphs`);
    drafts.push({
      topic: section.topic,
      topicSlug,
      title: title.text,
      paragraphs,
      related,
      imageCaption: pendingCaption,
    });
    pendingCaption = null;
  }
  if (pendingCaption !== null) {
    warnings.push(`the caption ${quote(pendingCaption)} has no story to go with; dropped`);
  }
  if (drafts.length === 0) {
    throw new DigestError(
      'NO_STORIES',
      'no stories: the digest has section labels but no story under any of them (a title line follows each label)',
    );
  }
  return drafts;
}

/**
 * The summary and the caption before the first section, from the lines between the title and the
 * first label. The summary is the line after the title; copies of it (the newsletter repeats it on
 * the next line) are dropped, and a next line that differs is taken for an edited copy and
 * reported when it is closer to the summary than the usual gap or reads as an edit of it (see
 * {@link nearlySameSummary}), whatever the blank lines between. The last other line is the caption of the first section's
 * photo (whatever its gap: nothing else stands there); any further lines are reported and ignored.
 */
function readSummary(
  preamble: readonly Line[],
  spacing: Spacing,
  warnings: string[],
): { text: string; caption: string | null } {
  const first = preamble[1];
  if (first === undefined) {
    warnings.push('no summary line after the title');
    return { text: '', caption: null };
  }

  const rest: Line[] = [];
  for (let i = 2; i < preamble.length; i++) {
    const line = preamble[i] as Line;
    if (sameSummary(line.text, first.text)) continue;
    const closeBy = line.gap === 0 || line.gap < spacing.usualGap;
    if (rest.length === 0 && i === 2 && (closeBy || nearlySameSummary(first.text, line.text))) {
      // The second copy of the summary, edited: keep the first.
      warnings.push(`the two summary lines differ; kept the first, ${quote(first.text)}`);
      continue;
    }
    rest.push(line);
  }
  const caption = rest.pop();
  for (const line of rest)
    warnings.push(`ignored line ${line.lineNo} before the first section: ${quote(line.text)}`);
  return { text: first.text, caption: caption === undefined ? null : caption.text };
}

/** Gives each story its position, id (unique within the digest) and instant. */
function finishStories(drafts: readonly Draft[], date: string, epochMs: number, warnings: string[]): Story[] {
  const format = instantFormatter();
  const taken = new Set<string>();
  // Next suffix to try per base id, so that many repeats of one title stay linear.
  const nextSuffix = new Map<string, number>();
  const stories: Story[] = [];
  for (let position = 0; position < drafts.length; position++) {
    const draft = drafts[position] as Draft;
    const topicSlug = draft.topicSlug;
    const base = storyIdFor(date, topicSlug, draft.title);
    let storyId = base;
    if (taken.has(base)) {
      let n = nextSuffix.get(base) ?? 2;
      while (taken.has(`${base}-${n}`)) n++;
      storyId = `${base}-${n}`;
      nextSuffix.set(base, n + 1);
      warnings.push(
        `story ${quote(draft.title)} repeats an earlier story's topic and title; its id is ${storyId}`,
      );
    }
    taken.add(storyId);
    stories.push({
      storyId,
      position,
      topic: draft.topic,
      topicSlug,
      title: draft.title,
      paragraphs: draft.paragraphs,
      related: draft.related,
      imageCaption: draft.imageCaption,
      publishedAt: format(epochMs - position * 1000),
    });
  }
  return stories;
}
