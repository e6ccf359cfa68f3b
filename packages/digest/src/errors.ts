/**
 * Why a digest was rejected. Each code names one class of bad input; the message says what to do.
 *
 * - `TOO_LARGE`: more bytes than the configured limit.
 * - `EMPTY`: no bytes at all (or only a byte order mark).
 * - `BLANK`: only whitespace, non-breaking spaces or empty lines.
 * - `BINARY`: an image, PDF, archive or other non-text data.
 * - `NUL_BYTES`: text with NUL (0x00) bytes in it.
 * - `INVALID_UTF8`: too many bytes that are not UTF-8 to repair (e.g. a Windows-1252 file).
 * - `INVALID_UTF16`: a UTF-16 byte order mark followed by an odd number of bytes.
 * - `NO_DATE`: the first line is not a date like "Dec 01, 2020 09:19 AM".
 * - `BAD_DATE`: the date line names a day or time that does not exist (Feb 30, 13:75).
 * - `NO_TITLE`: no headline line between the date line and the first section.
 * - `NO_SECTIONS`: no section label ("Topic /") anywhere.
 * - `NO_STORIES`: section labels, but not one story under them.
 * - `BAD_TIMEZONE`: the time zone is not an IANA name the runtime knows.
 * - `TOO_MANY_STORIES`: more stories than one digest may have (`STORY_LIMITS`).
 * - `STORY_TOO_LARGE`: one story over the bytes a table item can hold (`STORY_LIMITS`).
 * - `UNRENDERABLE_STORY`: a story whose id, slug or time the site could not use (a parser bug).
 * - `NO_TEXT`: an e-mail message with neither a plain-text nor an HTML part (only attachments).
 * - `SENDER_REFUSED`: an e-mail message whose sender may not publish (not on the allow-list, or
 *   not authenticated by SPF or DKIM, or judged spam or a virus).
 * - `UNREADABLE`: the file could not be read at all (missing, a directory, no permission); raised
 *   by callers that do the reading, so that every reason to reject a digest has one type.
 */
export type DigestErrorCode =
  | 'TOO_LARGE'
  | 'EMPTY'
  | 'BLANK'
  | 'BINARY'
  | 'NUL_BYTES'
  | 'INVALID_UTF8'
  | 'INVALID_UTF16'
  | 'NO_DATE'
  | 'BAD_DATE'
  | 'NO_TITLE'
  | 'NO_SECTIONS'
  | 'NO_STORIES'
  | 'BAD_TIMEZONE'
  | 'TOO_MANY_STORIES'
  | 'STORY_TOO_LARGE'
  | 'UNRENDERABLE_STORY'
  | 'NO_TEXT'
  | 'SENDER_REFUSED'
  | 'UNREADABLE';

/**
 * A digest that cannot be turned into stories. `message` is one line a person can act on; callers
 * that know the file name prefix it (`feedwright: <file>: <message>`).
 */
export class DigestError extends Error {
  override readonly name = 'DigestError';
  readonly code: DigestErrorCode;

  constructor(code: DigestErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A story the site cannot render safely: an id or topic slug that is not URL-safe (it becomes a path),
 * a publishedAt that is not an instant, or a topic slug clashing with the reserved 'all'.
 */
export class InvalidStoryError extends Error {
  override readonly name = 'InvalidStoryError';
}
