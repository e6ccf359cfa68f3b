import type { Story } from '@feedwright/digest';
import { cleanText, escapeCleanText } from './text.ts';

/** A story's paragraphs with text left after cleaning: an all-control-character line is no paragraph. */
export function bodyParagraphs(story: Story): string[] {
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
 * list. Every piece of text is escaped. Null when there is nothing beyond the headline (a quick hit).
 */
export function storyBodyHtml(story: Story): string | null {
  return bodyHtml(story, bodyParagraphs(story));
}

function bodyHtml(story: Story, paragraphs: readonly string[]): string | null {
  const x = escapeCleanText;
  const parts: string[] = [];
  const caption = story.imageCaption === null ? '' : cleanText(story.imageCaption).trim();
  if (caption !== '') parts.push(`<figure><figcaption>${x(caption)}</figcaption></figure>`);
  for (const paragraph of paragraphs) parts.push(`<p>${x(paragraph)}</p>`);
  const related = story.related.map(cleanText).filter((line) => line.trim() !== '');
  if (related.length > 0) {
    parts.push('<p><strong>Related:</strong></p>');
    parts.push(`<ul>${related.map((line) => `<li>${x(line)}</li>`).join('')}</ul>`);
  }
  return parts.length === 0 ? null : parts.join('\n');
}
