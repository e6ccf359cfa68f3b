import { type ListMarker, listMarker, type Story } from '@feedwright/digest';
import { cleanText, escapeCleanText } from './text.ts';

/** A story's paragraphs with text left after cleaning: an all-control-character line is no paragraph. */
function bodyParagraphs(story: Story): string[] {
  return story.paragraphs.map(cleanText).filter((paragraph) => paragraph.trim() !== '');
}

/** Plain-text summary of a story: its first paragraph, or null for a quick hit. */
export function storySummary(story: Story): string | null {
  return bodyParagraphs(story)[0] ?? null;
}

/** Summary and HTML body together, cleaning each paragraph once (feeds render many stories often). */
export function storySummaryAndBody(story: Story): { summary: string | null; bodyHtml: string | null } {
  const paragraphs = bodyParagraphs(story);
  return { summary: paragraphs[0] ?? null, bodyHtml: bodyHtml(story, paragraphs) };
}

/**
 * The whole story as an HTML fragment, shared by the feeds' content and the story page: the image
 * caption (it stands above the story in the digest), the paragraphs, then the related headlines as a
 * list. A run of consecutive list-item paragraphs (see `listMarker` in `@feedwright/digest`) becomes
 * one `<ul>`, or `<ol>` for numbered items (with `start`/`value` where the numbers do not simply
 * count up from 1); a change between bullets and numbers starts a new list. The marker is dropped
 * from the rendered item (the model keeps it). Every piece of text is escaped. Null when there is
 * nothing beyond the headline (a quick hit).
 */
export function storyBodyHtml(story: Story): string | null {
  return bodyHtml(story, bodyParagraphs(story));
}

function bodyHtml(story: Story, paragraphs: readonly string[]): string | null {
  const x = escapeCleanText;
  const parts: string[] = [];
  const caption = story.imageCaption === null ? '' : cleanText(story.imageCaption).trim();
  // The digest's caption describes a photo the text has no copy of: shown as a photo's caption, so that
  // it is not read as the story's standfirst.
  if (caption !== '')
    parts.push(`<figure><figcaption><strong>Photo:</strong> ${x(caption)}</figcaption></figure>`);
  pushParagraphs(parts, paragraphs);
  const related = story.related.map(cleanText).filter((line) => line.trim() !== '');
  if (related.length > 0) {
    parts.push('<p><strong>Related:</strong></p>');
    parts.push(`<ul>${related.map((line) => `<li>${x(line)}</li>`).join('')}</ul>`);
  }
  return parts.length === 0 ? null : parts.join('\n');
}

/** Paragraphs as `<p>`, and each run of list items as one `<ul>` or `<ol>` of `<li>`. */
function pushParagraphs(parts: string[], paragraphs: readonly string[]): void {
  const x = escapeCleanText;
  let list: string[] | null = null;
  let listKind: ListMarker['kind'] | null = null;
  let next = 1;
  const close = () => {
    if (list === null) return;
    parts.push(`${list.join('')}</${listKind === 'ordered' ? 'ol' : 'ul'}>`);
    list = null;
    listKind = null;
  };
  for (const paragraph of paragraphs) {
    const marker = listMarker(paragraph);
    if (marker === undefined) {
      close();
      parts.push(`<p>${x(paragraph)}</p>`);
      continue;
    }
    if (marker.kind !== listKind) close();
    const text = x(paragraph.slice(marker.textStart));
    if (list === null) {
      listKind = marker.kind;
      const start = marker.number !== undefined && marker.number !== 1 ? ` start="${marker.number}"` : '';
      list = [marker.kind === 'ordered' ? `<ol${start}>` : '<ul>'];
      next = marker.number ?? 1;
    }
    // An item numbered out of turn ("1. 2. 5.") keeps its number.
    const value = marker.number !== undefined && marker.number !== next ? ` value="${marker.number}"` : '';
    list.push(`<li${value}>${text}</li>`);
    next = (marker.number ?? next) + 1;
  }
  close();
}
