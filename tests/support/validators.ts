/**
 * Checks of the site's outputs with tools nobody on this project wrote: libxml2 (xmllint-wasm) for XML
 * well-formedness, the RFC 4287 RELAX NG schema and the XPath of its Schematron rules; ajv with the
 * JSON Feed 1.1 schema from `jsonfeed-schema`; parse5 (the WHATWG HTML parser) and html-validate (the
 * HTML standard's content models, document structure and accessibility rules) for pages; feedsmith and
 * @rowanmanning/feed-parser to read feeds back. Any test may import these.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEARCH_PAGE_PATH, SEARCH_SCRIPT_PATH } from '@feedwright/site';
import { parseFeed as rowanParseFeed } from '@rowanmanning/feed-parser';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import jsonFeedSchemaV11 from 'jsonfeed-schema/schema-v1.1.json' with { type: 'json' };
import { type DefaultTreeAdapterTypes, parse as parseHtml } from 'parse5';
import { memoryPages, validateXML } from 'xmllint-wasm';

type HtmlNode = DefaultTreeAdapterTypes.Node;
type HtmlElement = DefaultTreeAdapterTypes.Element;

const schemaPath = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/schemas/${name}`, import.meta.url));
const ATOM_RNG = readFileSync(schemaPath('atom.rng'), 'utf8');
const ATOM_SCH = readFileSync(schemaPath('atom.sch'), 'utf8');
const ATOM_NS = 'http://www.w3.org/2005/Atom';
const XMLLINT_MEMORY = { maxMemoryPages: 256 * memoryPages.MiB };

/** A file to check: its site path (used to pick the checks) and its text. */
export interface CheckedFile {
  readonly path: string;
  readonly body: string;
}

// xmllint refuses names that look like flags, and wants plain names in its in-memory file system.
const xmllintName = (index: number, path: string): string =>
  `f${index}-${path.replace(/[^A-Za-z0-9.]+/g, '_').slice(-80)}`;

/** libxml2's well-formedness errors for each file (all files in one xmllint run). */
export async function xmlWellFormednessProblems(files: readonly CheckedFile[]): Promise<string[]> {
  if (files.length === 0) return [];
  const result = await validateXML({
    xml: files.map((file, index) => ({ fileName: xmllintName(index, file.path), contents: file.body })),
    schema: [],
    ...XMLLINT_MEMORY,
  });
  return result.valid ? [] : [result.rawOutput.trim()];
}

/** Errors of Atom documents against the RFC 4287 RELAX NG grammar (tests/fixtures/schemas/atom.rng). */
export async function atomRelaxNgProblems(files: readonly CheckedFile[]): Promise<string[]> {
  if (files.length === 0) return [];
  const result = await validateXML({
    xml: files.map((file, index) => ({ fileName: xmllintName(index, file.path), contents: file.body })),
    schema: { fileName: 'atom.rng', contents: ATOM_RNG },
    extension: 'relaxng',
    ...XMLLINT_MEMORY,
  });
  return result.valid ? [] : [result.rawOutput.trim()];
}

interface SchematronAssertion {
  readonly context: string;
  readonly test: string;
  readonly message: string;
}

const decodeXmlAttribute = (value: string): string =>
  value
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The assertions of atom.sch (RFC 4287 Appendix B), read from the file rather than retyped. */
export const ATOM_SCHEMATRON: readonly SchematronAssertion[] = [
  ...ATOM_SCH.matchAll(/<sch:rule context="([^"]+)">\s*<sch:assert test="([^"]+)">([^<]*)<\/sch:assert>/g),
].map(([, context = '', test = '', message = '']) => ({
  context: decodeXmlAttribute(context),
  test: decodeXmlAttribute(test),
  message: message.trim(),
}));

// xmllint's --xpath has no way to bind a prefix, so `atom:x` becomes a namespace-checked name test.
const unprefixed = (xpath: string): string =>
  xpath.replace(/atom:([A-Za-z]+)/g, `*[local-name()='$1' and namespace-uri()='${ATOM_NS}']`);

/**
 * Violations of the three Schematron rules of atom.sch, evaluated as XPath 1.0 by libxml2: for each
 * rule, the number of context nodes (anywhere in the document) whose test is false.
 */
export async function atomSchematronProblems(file: CheckedFile): Promise<string[]> {
  const counts = ATOM_SCHEMATRON.map(
    (rule) => `count(//${unprefixed(rule.context)}[not(${unprefixed(rule.test)})])`,
  );
  const expression = `concat(${counts.join(", ',', ")})`;
  const fileName = xmllintName(0, file.path);
  const result = await validateXML({
    xml: { fileName, contents: file.body },
    schema: [],
    ...XMLLINT_MEMORY,
    modifyArguments: (args) => [
      ...args.filter((arg) => arg !== '--noout' && arg !== fileName),
      '--xpath',
      expression,
      fileName,
    ],
  });
  const violations = result.normalized.trim().split(',').map(Number);
  if (ATOM_SCHEMATRON.length !== 3 || violations.length !== 3 || violations.some(Number.isNaN)) {
    return [`could not evaluate atom.sch rules (${ATOM_SCHEMATRON.length} read): ${result.rawOutput}`];
  }
  return ATOM_SCHEMATRON.flatMap((rule, index) =>
    (violations[index] ?? 0) > 0 ? [`${violations[index]} × ${rule.message}`] : [],
  );
}

// jsonfeed-schema 0.5 ships the 1.1 schema (authors, language, item authors), but its version enum
// also admits 1.0; feedwright promises 1.1, so the version is pinned to exactly 1.1 here.
const JSON_FEED_1_1_ONLY = {
  ...jsonFeedSchemaV11,
  properties: {
    ...jsonFeedSchemaV11.properties,
    version: { type: 'string', const: 'https://jsonfeed.org/version/1.1' },
  },
};
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validateJsonFeed11 = ajv.compile(JSON_FEED_1_1_ONLY);

const describeAjvError = (error: ErrorObject): string =>
  `${error.instancePath || '/'} ${error.message ?? ''}`;

/** JSON syntax and JSON Feed 1.1 schema errors (version exactly 1.1). */
export function jsonFeedProblems(body: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  return validateJsonFeed11(data) ? [] : (validateJsonFeed11.errors ?? []).map(describeAjvError);
}

function* walk(node: HtmlNode): Generator<HtmlElement> {
  if ('tagName' in node) yield node;
  if ('childNodes' in node) for (const child of node.childNodes) yield* walk(child);
  if ('content' in node && node.nodeName === 'template') yield* walk(node.content);
}

/** Elements of a parsed HTML document, depth first. */
export function htmlElements(body: string): HtmlElement[] {
  return [...walk(parseHtml(body))];
}

export const attr = (element: HtmlElement, name: string): string | undefined =>
  element.attrs.find((attribute) => attribute.name === name)?.value;

export function textOf(node: HtmlNode): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

// html-validate's presets for a conforming, accessible document; its style-only rules (doctype case,
// title length) are left out with the `recommended` preset, since they judge taste, not validity.
const htmlValidator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document', 'html-validate:a11y'],
});

/** html-validate's findings for one page: `rule: message (line:column)`; empty means valid. */
export function htmlValidatorProblems(body: string): string[] {
  const report = htmlValidator.validateStringSync(body);
  return report.results.flatMap((result) =>
    result.messages.map(
      (message) => `${message.ruleId}: ${message.message} (${message.line}:${message.column})`,
    ),
  );
}

/** What a page may hold beyond plain HTML. */
export interface HtmlAllowance {
  /**
   * The page is the search page: its one script, the site's own `search.js` as a module with an
   * integrity hash, is expected.
   * @default false
   */
  readonly searchPage?: boolean;
}

/** A search box: a GET form to the site's own search page, which navigates and runs nothing. */
function isSearchForm(element: HtmlElement): boolean {
  const attribute = (name: string) => element.attrs.find((attr) => attr.name === name)?.value;
  return (
    (attribute('method') ?? 'get').toLowerCase() === 'get' &&
    (attribute('action') ?? '').split('/').pop() === SEARCH_PAGE_PATH
  );
}

/** The search page's script: `<script type="module" src="search.js" integrity="sha384-…">`, empty. */
function isSearchScript(element: HtmlElement): boolean {
  const attribute = (name: string) => element.attrs.find((attr) => attr.name === name)?.value;
  return (
    attribute('type') === 'module' &&
    attribute('src') === SEARCH_SCRIPT_PATH &&
    /^sha384-[A-Za-z0-9+/]+=*$/.test(attribute('integrity') ?? '') &&
    element.childNodes.length === 0
  );
}

/**
 * A `<script type="application/ld+json">` is a data block (the browser never runs it): fine if it is
 * the page's only one and holds JSON in which no `<` could end the element early.
 */
function isDataBlock(element: HtmlElement): boolean {
  if (attr(element, 'type') !== 'application/ld+json') return false;
  const text = textOf(element);
  try {
    JSON.parse(text);
  } catch {
    return false;
  }
  return !text.includes('<');
}

/**
 * What a browser would run or load from a page, read with parse5 (the WHATWG parsing algorithm): any
 * <script>, inline event handler, javascript: URL, embedded object or frame, and any HTML parse error;
 * plus every html-validate finding. A search box (a GET form to the search page) is not live, nor is one
 * JSON-LD data block, and the search page's own script is expected there (see {@link HtmlAllowance}).
 */
export function htmlProblems(body: string, allow: HtmlAllowance = {}): string[] {
  const problems: string[] = [...htmlValidatorProblems(body)];
  const document = parseHtml(body, {
    onParseError: (error) => problems.push(`parse error ${error.code} at line ${error.startLine}`),
  });
  let styles = 0;
  let scripts = 0;
  let dataBlocks = 0;
  for (const element of walk(document)) {
    const expected =
      (element.tagName === 'form' && isSearchForm(element)) ||
      (element.tagName === 'script' && isDataBlock(element) && ++dataBlocks === 1) ||
      (element.tagName === 'script' &&
        allow.searchPage === true &&
        isSearchScript(element) &&
        ++scripts === 1);
    if (
      !expected &&
      ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'form', 'base'].includes(element.tagName)
    ) {
      problems.push(`live <${element.tagName}> element`);
    }
    if (element.tagName === 'style') styles += 1;
    for (const attribute of element.attrs) {
      if (attribute.name.startsWith('on'))
        problems.push(`event handler ${attribute.name} on <${element.tagName}>`);
      if (/^\s*javascript:/i.test(attribute.value)) problems.push(`javascript: URL on <${element.tagName}>`);
    }
  }
  if (styles > 1) problems.push(`${styles} <style> elements, expected only the page's own`);
  return problems;
}

/** A feed item as an independent reader sees it. */
export interface ReadItem {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** Milliseconds since the epoch. */
  readonly published: number;
  readonly contentHtml: string | undefined;
  readonly summary: string | undefined;
}

/** A feed as an independent reader sees it. */
export interface ReadFeed {
  readonly title: string;
  readonly selfUrl: string | undefined;
  /** The WebSub hub the feed advertises. */
  readonly hubUrl?: string | undefined;
  readonly homeUrl: string | undefined;
  readonly updated: number | undefined;
  readonly language: string | undefined;
  readonly items: readonly ReadItem[];
}

const timeOf = (date: string | undefined): number => (date === undefined ? Number.NaN : Date.parse(date));

/** Reads a feed back with feedsmith, which keeps each format's own fields. */
export function readWithFeedsmith(format: 'rss' | 'atom' | 'json', body: string): ReadFeed {
  if (format === 'rss') {
    const feed = parseRssFeed(body);
    return {
      title: feed.title ?? '',
      selfUrl: feed.atom?.links?.find((link) => link.rel === 'self')?.href,
      hubUrl: feed.atom?.links?.find((link) => link.rel === 'hub')?.href,
      homeUrl: feed.link,
      updated: feed.lastBuildDate === undefined ? undefined : timeOf(feed.lastBuildDate),
      language: feed.language,
      items: (feed.items ?? []).map((item) => ({
        id: item.guid?.value ?? '',
        title: item.title ?? '',
        url: item.link ?? '',
        published: timeOf(item.pubDate),
        contentHtml: item.content?.encoded,
        summary: item.description,
      })),
    };
  }
  if (format === 'atom') {
    const feed = parseAtomFeed(body);
    const textOfConstruct = (value: unknown): string =>
      typeof value === 'string' ? value : ((value as { value?: string } | undefined)?.value ?? '');
    return {
      title: textOfConstruct(feed.title),
      selfUrl: feed.links?.find((link) => link.rel === 'self')?.href,
      hubUrl: feed.links?.find((link) => link.rel === 'hub')?.href,
      homeUrl: feed.links?.find((link) => link.rel === 'alternate')?.href,
      updated: timeOf(feed.updated),
      language: feed.xml?.lang,
      items: (feed.entries ?? []).map((entry) => ({
        id: entry.id ?? '',
        title: textOfConstruct(entry.title),
        url: entry.links?.find((link) => (link.rel ?? 'alternate') === 'alternate')?.href ?? '',
        published: timeOf(entry.published),
        contentHtml: entry.content === undefined ? undefined : textOfConstruct(entry.content),
        summary: entry.summary === undefined ? undefined : textOfConstruct(entry.summary),
      })),
    };
  }
  const feed = parseJsonFeed(JSON.parse(body));
  return {
    title: feed.title ?? '',
    selfUrl: feed.feed_url,
    hubUrl: feed.hubs?.find((hub) => hub.type === 'WebSub')?.url,
    homeUrl: feed.home_page_url,
    updated: undefined,
    language: feed.language,
    items: (feed.items ?? []).map((item) => ({
      id: item.id ?? '',
      title: item.title ?? '',
      url: item.url ?? '',
      published: timeOf(item.date_published),
      contentHtml: item.content_html,
      summary: item.summary,
    })),
  };
}

/**
 * Reads an RSS or Atom feed back with @rowanmanning/feed-parser, a lenient reader tested on real-world
 * feeds. It decodes HTML entities in text fields (as many readers do), so compare it on plain text only.
 */
export function readWithRowan(body: string): ReadFeed {
  const feed = rowanParseFeed(body);
  return {
    title: feed.title ?? '',
    selfUrl: feed.self ?? undefined,
    homeUrl: feed.url ?? undefined,
    updated: feed.updated?.getTime(),
    language: feed.language ?? undefined,
    items: feed.items.map((item) => ({
      id: item.id ?? '',
      title: item.title ?? '',
      url: item.url ?? '',
      published: item.published?.getTime() ?? Number.NaN,
      contentHtml: item.content ?? undefined,
      summary: item.description ?? undefined,
    })),
  };
}

/** Outlines of an OPML file as feedsmith reads them. */
export function readOpml(
  body: string,
): { text: string; xmlUrl: string | undefined; type: string | undefined }[] {
  const opml = parseOpml(body);
  return (opml.body?.outlines ?? []).map((outline) => ({
    text: outline.text ?? '',
    xmlUrl: outline.xmlUrl,
    type: outline.type,
  }));
}

/**
 * Every check that applies to a site file, chosen by its path: XML well-formedness for .xml and .opml,
 * RELAX NG and Schematron for Atom, the JSON Feed 1.1 schema for feed.json, parse5 for pages; plus
 * reading each feed back with feedsmith. Returns `path: problem` lines; empty means all passed.
 */
export async function siteProblems(files: readonly CheckedFile[]): Promise<string[]> {
  const xml = files.filter((file) => file.path.endsWith('.xml') || file.path.endsWith('.opml'));
  const atom = files.filter((file) => isAtom(file.path));
  const problems: string[] = [...(await xmlWellFormednessProblems(xml))];
  if (problems.length > 0) return problems;
  problems.push(...(await atomRelaxNgProblems(atom)));
  for (const file of atom)
    problems.push(...(await atomSchematronProblems(file)).map((p) => `${file.path}: ${p}`));
  for (const file of files) {
    const local = (found: string[]): void => {
      problems.push(...found.map((problem) => `${file.path}: ${problem}`));
    };
    try {
      if (isJsonFeed(file.path)) {
        local(jsonFeedProblems(file.body));
        readWithFeedsmith('json', file.body);
      } else if (file.path.endsWith('/rss.xml')) {
        local(rssProblems(readWithFeedsmith('rss', file.body)));
      } else if (isAtom(file.path)) {
        readWithFeedsmith('atom', file.body);
      } else if (file.path.endsWith('.opml')) {
        if (readOpml(file.body).length === 0) local(['no outlines']);
      } else if (file.path.endsWith('.html')) {
        local(htmlProblems(file.body, { searchPage: file.path === SEARCH_PAGE_PATH }));
      }
    } catch (error) {
      local([`unreadable: ${(error as Error).message}`]);
    }
  }
  return problems;
}

/** Atom documents: subscription feeds and RFC 5005 archive documents (feeds/<slug>/archive/*.xml). */
const isAtom = (path: string): boolean =>
  path.endsWith('/atom.xml') || (path.includes('/archive/') && path.endsWith('.xml'));
/** JSON Feeds: subscription feeds and their next_url pages (feeds/<slug>/archive/*.json). */
const isJsonFeed = (path: string): boolean =>
  path.endsWith('/feed.json') || (path.includes('/archive/') && path.endsWith('.json'));

/** The RSS 2.0 requirements an XML check cannot see: channel title, link, self link; item dates and ids. */
function rssProblems(feed: ReadFeed): string[] {
  const problems: string[] = [];
  if (feed.title === '' || feed.homeUrl === undefined) problems.push('channel without title or link');
  if (feed.selfUrl === undefined) problems.push('no atom:link rel="self"');
  for (const item of feed.items) {
    if (item.title === '') problems.push(`item ${item.id} without title`);
    if (item.id === '') problems.push(`item ${item.title} without guid`);
    if (Number.isNaN(item.published)) problems.push(`item ${item.id} without a valid pubDate`);
  }
  return problems;
}
