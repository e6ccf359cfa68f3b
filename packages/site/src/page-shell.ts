import { createHash } from 'node:crypto';
import { escapeAttribute, escapeMarkup } from './text.ts';

// One small inline stylesheet; the page needs no script, font or image from anywhere.
const STYLE = [
  'body{margin:0 auto;max-width:42rem;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif;color:#1b1b1b;background:#fff}',
  'a{color:#0b57d0}header a{font-weight:600;text-decoration:none}',
  'h1{line-height:1.25}time,.meta,.subscribe,footer{color:#555;font-size:.9rem}',
  'figure{margin:1rem 0;font-style:italic;color:#444}ul{padding-left:1.2rem}',
  'section{border-top:1px solid #ddd;margin-top:1.5rem}',
].join('');

// The policy lists the stylesheet by hash, so even an injected <style> or <script> would not apply.
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
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

export interface PageOptions {
  readonly language: string;
  readonly title: string;
  readonly description: string | null;
  readonly canonical: string;
  readonly alternates: readonly AlternateLink[];
  /** Trusted HTML: every text in it must already be escaped. */
  readonly body: string;
  /**
   * A module script of the site that the page loads (its relative URL, and its Subresource Integrity
   * hash); only the search page has one, and only a page with one gets a policy that lets scripts run.
   * @default undefined - no script
   */
  readonly script?: { readonly src: string; readonly integrity: string };
}

/** A complete HTML page: readable without JavaScript, with canonical and autodiscovery links and a CSP. */
export function htmlPage(page: PageOptions): string {
  const a = escapeAttribute;
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${a(page.script === undefined ? CONTENT_SECURITY_POLICY : SEARCH_PAGE_CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="strict-origin-when-cross-origin">',
    `<title>${escapeMarkup(page.title)}</title>`,
    ...(page.description === null ? [] : [`<meta name="description" content="${a(page.description)}">`]),
    `<link rel="canonical" href="${a(page.canonical)}">`,
    ...page.alternates.map(
      (link) =>
        `<link rel="alternate" type="${a(link.type)}" title="${a(link.title)}" href="${a(link.href)}">`,
    ),
    `<style>${STYLE}</style>`,
    ...(page.script === undefined
      ? []
      : [
          `<script type="module" src="${a(page.script.src)}" integrity="${a(page.script.integrity)}"></script>`,
        ]),
  ];
  return `<!doctype html>\n<html lang="${a(page.language)}">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${page.body}\n</body>\n</html>\n`;
}
