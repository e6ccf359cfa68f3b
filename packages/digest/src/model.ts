/** One story of a digest, in text order. */
export interface Story {
  /** Stable, URL-safe id derived from the digest date, the topic and the title. */
  readonly storyId: string;
  /** 0-based position of the story in the digest's text order. */
  readonly position: number;
  /** Section label as written ("Personal data"), without the trailing " /". */
  readonly topic: string;
  /** Slug of the topic ("personal-data"). */
  readonly topicSlug: string;
  /** Verbatim headline, kicker included ("Cover Story: ..."). */
  readonly title: string;
  /** Body paragraphs, verbatim; empty for a quick hit. */
  readonly paragraphs: readonly string[];
  /** Related-headline lines that follow the body. */
  readonly related: readonly string[];
  /** The image caption standing before the story's section, or null. */
  readonly imageCaption: string | null;
  /**
   * ISO 8601 instant of the story: the digest's time minus `position` seconds, so that readers
   * that sort by time keep the digest's order.
   */
  readonly publishedAt: string;
  /**
   * When an upload last corrected the story's text (ISO 8601). Never set by the parser: the pipeline
   * adds it to stories it reads back, and the site shows it (Atom `<updated>`, JSON Feed
   * `date_modified`, an "Updated" line on the page).
   */
  readonly updatedAt?: string;
}

/** The parser's output: one digest file. */
export interface Digest {
  /** The digest's headline line. */
  readonly title: string;
  /** The one-sentence standfirst (given twice in the source: once here). */
  readonly summary: string;
  /** ISO 8601 instant (UTC, `Z`): the digest's wall time read in `timezone`. */
  readonly publishedAt: string;
  /** The digest's local calendar date, YYYY-MM-DD, as written on its date line. */
  readonly date: string;
  /** IANA time zone the wall time was read in. */
  readonly timezone: string;
  readonly stories: readonly Story[];
  /** Things the parser tolerated but an editor may want to know about. */
  readonly warnings: readonly string[];
}

export interface ParseOptions {
  /** IANA zone in which the date line's wall time is read. @default 'UTC' */
  readonly timezone?: string;
}
