/**
 * The one place the bucket may differ from `build` (docs/site.md, "Corrections are visible"): the updated
 * times of corrected stories, and the feed and page dates that follow from them.
 */
export function withoutUpdatedTimes(body: string): string {
  return (
    body
      .replace(/<updated>[^<]*<\/updated>/g, '<updated/>')
      .replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/g, '<lastBuildDate/>')
      .replace(/,"date_modified":"[^"]*"/g, '')
      .replace(/<p class="updated">.*?<\/p>\n?/g, '')
      // A story page's share card and structured data say when it last changed too.
      .replace(/<meta property="article:modified_time" content="[^"]*">/g, '')
      .replace(/"dateModified":"[^"]*"/g, '')
  );
}
