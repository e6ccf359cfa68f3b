/**
 * The one place the bucket may differ from `build` (docs/site.md, "Corrections are visible"): the updated
 * times of corrected stories, and the feed dates that follow from them.
 */
export function withoutUpdatedTimes(body: string): string {
  return body
    .replace(/<updated>[^<]*<\/updated>/g, '<updated/>')
    .replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/g, '<lastBuildDate/>')
    .replace(/,"date_modified":"[^"]*"/g, '')
    .replace(/<p class="updated">.*?<\/p>\n?/g, '');
}
