import { createHash } from 'node:crypto';
import { ISSUES_INDEX_PATH } from './archive-paths.ts';
import type { SiteConfig } from './config.ts';
import { iconPath } from './identity.ts';
import { relativeHref } from './page-links.ts';
import { escapeAttribute, escapeMarkup } from './text.ts';

/** The search page; every page's search box submits to it (`GET search.html?q=…`). */
export const SEARCH_PAGE_PATH = 'search.html';
/** The query parameter of the search page: the words searched for. */
export const SEARCH_QUERY_PARAM = 'q';

// Text first in a face every system has; CJK faces after the Latin ones, so Latin keeps its own shapes
// and Chinese, Japanese and Korean text falls back to a face made for it rather than to a box.
const SANS =
  'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"PingFang SC","Hiragino Sans","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif';
const SERIF =
  'Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"Noto Serif","Songti SC","Noto Serif CJK SC","Source Han Serif SC",serif';

// One small inline stylesheet; the page needs no script, font or image from anywhere else.
const STYLE = [
  ':root{color-scheme:light dark;--fg:#1b1b1b;--muted:#595959;--bg:#fff;--card:#f5f4f0;--line:#ddd;--link:#0b57d0;--accent:#a8201a}',
  '@media(prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#ababab;--bg:#141414;--card:#1f1f1f;--line:#3a3a3a;--link:#8ab4f8;--accent:#f28b82}}',
  `*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.65 ${SANS};overflow-wrap:break-word}`,
  '.bar,main,body>footer{max-width:44rem;margin:0 auto;padding:0 1rem}',
  'a{color:var(--link)}h1,h2,h3{line-height:1.25;margin:1.4em 0 .5em}',
  `h1,h2,h3,.brand{font-family:${SERIF}}h1{font-size:clamp(1.6rem,5vw,2.2rem)}h2{font-size:1.35rem}`,
  'body>header{border-bottom:1px solid var(--line);margin-bottom:1rem}',
  '.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem 1rem}',
  '.brand{font-size:1.3rem;font-weight:700;color:var(--fg);text-decoration:none;margin-right:auto}',
  '.bar nav a{margin-right:.75rem}.bar form{display:flex;gap:.25rem}',
  'input,button{font:inherit;font-size:.95rem;padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}',
  'button{cursor:pointer;background:var(--card)}',
  '.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
  'time,.meta,.subscribe,body>footer,figcaption,.count{color:var(--muted);font-size:.9rem}',
  '.meta a{color:var(--accent);font-weight:600;text-decoration:none;text-transform:uppercase;letter-spacing:.04em;font-size:.8rem}',
  '.lede{font-size:1.15rem;color:var(--muted)}',
  'figure{margin:1.25rem 0;padding:.75rem 1rem;background:var(--card);border-left:4px solid var(--accent)}',
  'ul,ol{padding-left:1.2rem}li{margin:.35rem 0}',
  'section{border-top:1px solid var(--line);margin-top:2rem}',
  '.stories{list-style:none;padding:0}.stories li{margin:0 0 1.1rem}.stories p{margin:.15rem 0}',
  '.stories h3{font-size:1.15rem;margin:.1rem 0}.stories h3 a,h2 a{color:var(--fg);text-decoration:none}',
  '.stories h3 a:hover,h2 a:hover{text-decoration:underline}',
  'article ol>li{margin-bottom:1.1rem}article ol>li>p{margin:.15rem 0}',
  'main>nav{border-top:1px solid var(--line);margin-top:2rem}main>nav ul{list-style:none;padding:0}',
  '.topics{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}.topics li{margin:0}',
  '.topics a{display:inline-block;padding:.2rem .6rem;border:1px solid var(--line);border-radius:1rem;text-decoration:none}',
  '.feeds code{font-size:.85rem;background:var(--card);padding:.1rem .3rem;border-radius:3px;user-select:all}',
  'body>footer{border-top:1px solid var(--line);margin-top:2.5rem;padding-bottom:2rem}',
  '@media print{body{font:11pt/1.5 Georgia,"Noto Serif CJK SC",serif;color:#000;background:#fff}',
  'body>header form,body>header nav,nav,.subscribe,body>footer{display:none}a{color:#000}',
  'figure{border-left-color:#000;background:none}h1,h2,h3{break-after:avoid}li{break-inside:avoid}}',
].join('');

// The policy lists the stylesheet by hash, so even an injected <style> or <script> would not apply.
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // As the header's policy (response-headers.ts): with no script, only a tool's fetch of the site's own files.
  "connect-src 'self'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

// The search page alone runs a script: its own module from the site and Pagefind's, which compiles its
// WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval'), starts a worker and fetches the index, all from
// the site itself. Every other page keeps the policy above, with no script at all.
const SEARCH_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** A `<link rel="alternate">` for feed autodiscovery. */
export interface AlternateLink {
  readonly type: string;
  readonly title: string;
  readonly href: string;
}

/** What a shared link's card says beyond title and description: Open Graph's article fields. */
export interface ShareCard {
  /** RFC 3339. */
  readonly publishedTime: string;
  /** RFC 3339. */
  readonly modifiedTime: string;
  readonly section: string;
}

export interface PageOptions {
  readonly config: SiteConfig;
  /** The page's own site path ('index.html', 'stories/x.html'): links from it are relative to its folder. */
  readonly path: string;
  readonly title: string;
  readonly description: string | null;
  readonly canonical: string;
  readonly alternates: readonly AlternateLink[];
  /** The site has its archive (issue pages): the header links them. @default true */
  readonly archive?: boolean;
  /** The header holds the search box. @default true */
  readonly searchBox?: boolean;
  /** Given, the page is an article: Open Graph `article`, its times and section. @default a website */
  readonly article?: ShareCard;
  /** Structured data (schema.org), embedded as JSON-LD with every `<` escaped. */
  readonly jsonLd?: unknown;
  /** Trusted HTML after the site header (`<main>`, a footer): every text in it must already be escaped. */
  readonly body: string;
  /**
   * A module script of the site that the page loads (its relative URL, and its Subresource Integrity
   * hash); only the search page has one, and only a page with one gets a policy that lets scripts run.
   * @default undefined - no script
   */
  readonly script?: { readonly src: string; readonly integrity: string };
  /**
   * The page stands for another one (a redirect page): search engines are told not to index it, and a
   * browser goes on to `refresh` at once (`<meta http-equiv="refresh">`, which needs no script).
   * @default undefined - an ordinary page
   */
  readonly refresh?: string;
}

/** `../` once per folder of `path`: the way from a page back to the top of the site. */
const prefixOf = (path: string): string => '../'.repeat(path.split('/').length - 1);

/**
 * JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` as \u escapes (so no text can
 * close the element or open a comment), and U+2028/U+2029, which some parsers take for line ends.
 */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The header of every page: the publication linking home, the issues, and the search form. */
function siteHeader(config: SiteConfig, prefix: string, archive: boolean, searchBox: boolean): string {
  const nav = archive
    ? `<nav aria-label="Site"><a href="${relativeHref(prefix, ISSUES_INDEX_PATH)}">Issues</a><a href="${relativeHref(prefix, 'topics/all/index.html')}">All stories</a></nav>`
    : '';
  const search = `<form role="search" action="${relativeHref(prefix, SEARCH_PAGE_PATH)}" method="get"><label class="vh" for="q">Search stories</label><input type="search" id="q" name="${SEARCH_QUERY_PARAM}" placeholder="Search stories"><button type="submit">Search</button></form>`;
  return `<header><div class="bar"><a class="brand" href="${relativeHref(prefix, 'index.html')}">${escapeMarkup(config.siteTitle)}</a>${nav}${searchBox ? search : ''}</div></header>`;
}

/**
 * A complete HTML page: readable without JavaScript, with the site header, canonical and autodiscovery
 * links, the site's icon, a share card (Open Graph, Twitter) and a CSP.
 */
export function htmlPage(page: PageOptions): string {
  const a = escapeAttribute;
  const { config } = page;
  const prefix = prefixOf(page.path);
  const description = page.description === null ? null : page.description.trim();
  const image = config.logo ?? config.icon;
  const meta = (property: string, content: string): string =>
    `<meta property="${property}" content="${a(content)}">`;
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${a(page.script === undefined ? CONTENT_SECURITY_POLICY : SEARCH_PAGE_CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="strict-origin-when-cross-origin">',
    ...(page.refresh === undefined
      ? []
      : [
          '<meta name="robots" content="noindex">',
          `<meta http-equiv="refresh" content="${a(`0; url=${page.refresh}`)}">`,
        ]),
    `<title>${escapeMarkup(page.title)}</title>`,
    ...(description === null || description === ''
      ? []
      : [`<meta name="description" content="${a(description)}">`]),
    `<meta name="author" content="${a(config.author)}">`,
    `<link rel="canonical" href="${a(page.canonical)}">`,
    `<link rel="icon" href="${relativeHref(prefix, iconPath(config))}"${iconPath(config).endsWith('.svg') ? ' type="image/svg+xml"' : ''}>`,
    ...page.alternates.map(
      (link) =>
        `<link rel="alternate" type="${a(link.type)}" title="${a(link.title)}" href="${a(link.href)}">`,
    ),
    meta('og:site_name', config.siteTitle),
    meta('og:type', page.article === undefined ? 'website' : 'article'),
    meta('og:title', page.title),
    ...(description === null || description === '' ? [] : [meta('og:description', description)]),
    meta('og:url', page.canonical),
    ...(image === null ? [] : [meta('og:image', `${config.baseUrl}${image}`)]),
    ...(page.article === undefined
      ? []
      : [
          meta('article:published_time', page.article.publishedTime),
          meta('article:modified_time', page.article.modifiedTime),
          meta('article:section', page.article.section),
        ]),
    // A wide logo makes the large card; a square icon, or none, the small one.
    `<meta name="twitter:card" content="${config.logo === null ? 'summary' : 'summary_large_image'}">`,
    `<style>${STYLE}</style>`,
    ...(page.jsonLd === undefined
      ? []
      : [`<script type="application/ld+json">${scriptSafeJson(page.jsonLd)}</script>`]),
    ...(page.script === undefined
      ? []
      : [
          `<script type="module" src="${a(page.script.src)}" integrity="${a(page.script.integrity)}"></script>`,
        ]),
  ];
  const header = siteHeader(config, prefix, page.archive !== false, page.searchBox !== false);
  return `<!doctype html>\n<html lang="${a(config.language)}">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${header}\n${page.body}\n</body>\n</html>\n`;
}
