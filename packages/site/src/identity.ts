import type { SiteConfig } from './config.ts';
import { CACHE_CONTROL_STORY, CONTENT_TYPES, type SiteFile } from './site-file.ts';

/** Where the site's own icon is written when the operator gives none. */
const DEFAULT_ICON_PATH = 'favicon.svg';

// A feed mark on the accent colour of the pages: small, square, readable at 16 px.
const DEFAULT_ICON = [
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
  '<rect width="64" height="64" rx="14" fill="#a8201a"/>',
  '<circle cx="19" cy="45" r="6" fill="#fff"/>',
  '<path d="M13 27a24 24 0 0 1 24 24M13 13a38 38 0 0 1 38 38" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round"/>',
  '</svg>',
  '',
].join('\n');

/** The site path of the icon the pages and feeds name: the operator's, or the site's own. */
export const iconPath = (config: Pick<SiteConfig, 'icon'>): string => config.icon ?? DEFAULT_ICON_PATH;

/** favicon.svg, the site's own icon: written only when the operator gives no icon of their own. */
export function defaultIconFiles(config: Pick<SiteConfig, 'icon'>): SiteFile[] {
  if (config.icon !== null) return [];
  return [
    {
      path: DEFAULT_ICON_PATH,
      body: DEFAULT_ICON,
      contentType: CONTENT_TYPES.svg,
      cacheControl: CACHE_CONTROL_STORY,
    },
  ];
}

/** The identity every feed format carries, as absolute URLs. */
export interface FeedIdentity {
  /** A square icon: the operator's or the site's own (Atom `<icon>`, JSON Feed `favicon`). */
  readonly icon: string;
  /** The operator's own square icon, null when none (JSON Feed `icon`, which readers show large). */
  readonly ownIcon: string | null;
  /** The operator's wide logo, null when none (Atom `<logo>`). */
  readonly logo: string | null;
  /**
   * RSS `<image>`: the logo, else the operator's icon; null when neither (RSS 2.0 wants a GIF, JPEG or
   * PNG there, which the site's own SVG is not).
   */
  readonly rssImage: string | null;
}

/** Absolute URLs of the icon and logo. */
export function feedIdentity(config: Pick<SiteConfig, 'baseUrl' | 'icon' | 'logo'>): FeedIdentity {
  const url = (path: string | null): string | null => (path === null ? null : `${config.baseUrl}${path}`);
  return {
    icon: `${config.baseUrl}${iconPath(config)}`,
    ownIcon: url(config.icon),
    logo: url(config.logo),
    rssImage: url(config.logo ?? config.icon),
  };
}
