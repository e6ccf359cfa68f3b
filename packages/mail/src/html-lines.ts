import { labelTopic } from '@feedwright/digest';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Elements whose content no reader of the e-mail sees (or that hold no text at all). */
const UNSEEN = new Set([
  'head',
  'title',
  'style',
  'script',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'map',
  'input',
  'select',
  'textarea',
  'button',
]);

/** Elements that stand on lines of their own. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);

/** Padding that e-mail services put after a preheader, and other characters that show nothing. */
const INVISIBLE = /^(?:[\s\u00a0\u00ad\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]|\u034f)*$/;

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

/** `display:none; max-height:0` → its declarations, names lower case. */
function declarations(style: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const piece of style.split(';')) {
    const colon = piece.indexOf(':');
    if (colon <= 0) continue;
    map.set(
      piece.slice(0, colon).trim().toLowerCase(),
      piece
        .slice(colon + 1)
        .replace(/!important/i, '')
        .trim()
        .toLowerCase(),
    );
  }
  return map;
}

const ZERO = /^[-+]?0*\.?0*(?:px|em|rem|pt|%)?$/;

/**
 * Whether declarations hide what they style: `display:none`, `visibility:hidden`, `opacity:0`,
 * Outlook's `mso-hide:all`, or a height (or width) of 0 with the overflow hidden: the ways e-mail
 * templates hide a preheader or a copy meant for another screen.
 */
function hides(style: ReadonlyMap<string, string>): boolean {
  if (style.get('display') === 'none') return true;
  const visibility = style.get('visibility');
  if (visibility === 'hidden' || visibility === 'collapse') return true;
  const opacity = style.get('opacity');
  if (opacity !== undefined && ZERO.test(opacity)) return true;
  if (style.get('mso-hide') === 'all') return true;
  if (style.get('overflow') === 'hidden') {
    for (const size of ['max-height', 'height', 'max-width', 'width']) {
      const value = style.get(size);
      if (value !== undefined && ZERO.test(value)) return true;
    }
  }
  return false;
}

/**
 * Class and id selectors that the message's own style sheets hide outside any `@media` rule
 * (`.preheader { display: none }`). Rules inside `@media` apply to some screens only, so they are
 * left out: what shows on a desktop reader counts.
 */
function hiddenSelectors(root: Node): { classes: Set<string>; ids: Set<string> } {
  const classes = new Set<string>();
  const ids = new Set<string>();
  const visit = (node: Node): void => {
    if (node.nodeName === 'style') {
      const css = ('childNodes' in node ? node.childNodes : [])
        .map((child) => ('value' in child ? child.value : ''))
        .join('')
        .replace(/\/\*[\s\S]*?\*\//g, '');
      // Drops @media and other at-rule blocks (one level of nesting).
      const flat = css.replace(/@[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '');
      for (const [, selectors, body] of flat.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
        if (!hides(declarations(body as string))) continue;
        for (const selector of (selectors as string).split(',')) {
          const simple = /^\s*[a-z0-9]*([.#])([\w-]+)\s*$/i.exec(selector);
          if (simple?.[1] === '.') classes.add(simple[2] as string);
          if (simple?.[1] === '#') ids.add(simple[2] as string);
        }
      }
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return { classes, ids };
}

/** How far apart two lines stand: on consecutive lines, a blank line apart, or a photo apart. */
const Gap = { None: 0, Line: 1, Block: 2, Photo: 3 } as const;
type Gap = (typeof Gap)[keyof typeof Gap];

/** The largest size, in CSS pixels, of an image that is an icon, a spacer or a tracking pixel. */
const MAX_ICON_SIZE = 32;

function pixels(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** Whether an image is a photo (set apart like one) rather than a tracking pixel, spacer or icon. */
function isPhoto(element: Element, style: ReadonlyMap<string, string>): boolean {
  const sizes = [
    pixels(attribute(element, 'width')),
    pixels(attribute(element, 'height')),
    pixels(style.get('width')),
    pixels(style.get('height')),
  ];
  return !sizes.some((size) => size !== undefined && size <= MAX_ICON_SIZE);
}

/** Builds the lines: inline text joined, blocks on lines of their own, gaps as the digest has them. */
class LineWriter {
  readonly lines: string[] = [];
  private current = '';
  private prefix = '';
  private gap: Gap = Gap.None;
  private lastWasBreak = false;
  private underQuickHits = false;

  text(value: string, preformatted: boolean): void {
    if (preformatted) {
      const pieces = value.split(/\r\n|\r|\n/);
      pieces.forEach((piece, i) => {
        if (i > 0) this.end(Gap.Line);
        this.current += piece;
      });
    } else {
      this.current += value.replace(/[ \t\n\r\f]+/g, ' ');
    }
    if (!INVISIBLE.test(value)) this.lastWasBreak = false;
  }

  /** A `<br>`: a new line; two in a row, a new block. */
  lineBreak(): void {
    this.end(this.lastWasBreak ? Gap.Block : Gap.Line);
    this.lastWasBreak = true;
  }

  /** A table cell's edge: cells of one row stay on one line, a space apart. */
  cell(): void {
    if (this.current.length > 0 && !this.current.endsWith(' ')) this.current += ' ';
  }

  /** Ends the current line, if it has any text, and asks for at least `gap` before the next. */
  end(gap: Gap): void {
    const line = this.current.replace(/^[ \t]+|[ \t]+$/g, '');
    this.current = '';
    if (!INVISIBLE.test(line)) {
      if (this.lines.length > 0) {
        if (this.gap >= Gap.Block) this.lines.push('');
        if (this.gap === Gap.Photo) this.lines.push('', '');
      }
      this.lines.push(this.prefix + line);
      const topic = labelTopic(line);
      if (topic !== undefined) this.underQuickHits = /^quick[\s-]*hits?$/i.test(topic);
      this.gap = Gap.None;
      this.lastWasBreak = false;
    }
    this.prefix = '';
    if (gap > this.gap) this.gap = gap;
  }

  /** A list item's marker, put in front of the item's line (none under "Quick hits /"). */
  listItem(marker: string): void {
    this.end(Gap.Block);
    this.prefix = this.underQuickHits ? '' : marker;
  }

  /** A photo: the digest sets the caption after it apart with a wider gap. */
  photo(): void {
    this.end(Gap.Line);
    if (this.lines.length > 0) this.gap = Gap.Photo;
  }
}

interface WalkState {
  readonly hidden: { classes: Set<string>; ids: Set<string> };
  readonly out: LineWriter;
  preformatted: boolean;
}

function isHidden(element: Element, style: ReadonlyMap<string, string>, state: WalkState): boolean {
  if (UNSEEN.has(element.tagName)) return true;
  if (attribute(element, 'hidden') !== undefined) return true;
  if (hides(style)) return true;
  const id = attribute(element, 'id');
  if (id !== undefined && state.hidden.ids.has(id)) return true;
  const classes = attribute(element, 'class')?.split(/\s+/) ?? [];
  return classes.some((name) => state.hidden.classes.has(name));
}

/** Whether a list item is only a link (a list of headlines, which carry no list marker). */
function isLinkOnly(element: Element): boolean {
  const meaningful = element.childNodes.filter(
    (child) => !(child.nodeName === '#text' && 'value' in child && INVISIBLE.test(child.value)),
  );
  return meaningful.length === 1 && meaningful[0]?.nodeName === 'a';
}

function walk(node: Node, state: WalkState): void {
  if (node.nodeName === '#text') {
    if ('value' in node) state.out.text(node.value, state.preformatted);
    return;
  }
  if (node.nodeName === '#comment' || !('childNodes' in node)) return;
  if (!('tagName' in node)) {
    for (const child of node.childNodes) walk(child, state);
    return;
  }
  const element = node;
  const style = declarations(attribute(element, 'style') ?? '');
  if (isHidden(element, style, state)) return;
  const tag = element.tagName;
  const out = state.out;
  if (tag === 'br') {
    out.lineBreak();
    return;
  }
  if (tag === 'img') {
    if (isPhoto(element, style)) out.photo();
    return;
  }
  if (tag === 'td' || tag === 'th') {
    out.cell();
    for (const child of element.childNodes) walk(child, state);
    out.cell();
    return;
  }
  const display = style.get('display');
  const block = BLOCKS.has(tag) || display === 'block' || display === 'list-item' || display === 'table';
  if (tag === 'li') {
    const list = element.parentNode && 'tagName' in element.parentNode ? element.parentNode : undefined;
    let marker = '• ';
    if (list?.tagName === 'ol') {
      const items = list.childNodes.filter((child) => child.nodeName === 'li');
      marker = `${Number(attribute(list, 'start') ?? 1) + items.indexOf(element)}. `;
    }
    out.listItem(isLinkOnly(element) ? '' : marker);
  } else if (block) {
    out.end(Gap.Block);
  }
  const wasPreformatted = state.preformatted;
  if (tag === 'pre') state.preformatted = true;
  for (const child of element.childNodes) walk(child, state);
  state.preformatted = wasPreformatted;
  if (block) out.end(Gap.Block);
}

/**
 * Turns the HTML part of a newsletter into the digest's lines, walking its DOM (parse5) with the
 * digest's rules rather than a generic HTML-to-text pass:
 *
 * - block elements, table rows and list items stand on lines of their own, a blank line apart;
 *   `<br>` starts a new line (two in a row, a new block); the cells of one row share a line;
 * - no wrapping: a title or paragraph is one line however long; white space collapses as a
 *   browser collapses it (`<pre>` kept);
 * - list items are lines: `1. ` in front of an ordered list's items and `• ` in front of others,
 *   except under "Quick hits /" and for items that are only a link (headlines, not a list);
 * - what a reader of the e-mail cannot see is left out: `<head>`, `<style>`, `<script>`,
 *   `<template>`, `<noscript>`, `<iframe>` and the like, elements with the `hidden` attribute or
 *   hidden by their style (`display:none`, `visibility:hidden`, `opacity:0`, `mso-hide:all`, a zero
 *   height with the overflow hidden) or by a class or id the message's style sheet hides, and
 *   Outlook's conditional comments;
 * - images give no text (no alt text); a photo sets the line after it apart by three blank lines,
 *   as the digest sets a caption apart, while tracking pixels, spacers and icons (32 px or less)
 *   count for nothing;
 * - lines of only white space, NBSPs or zero-width characters (a preheader's `&zwnj;&nbsp;`
 *   padding) are no lines.
 *
 * Pure. Returns the lines joined with `\n`.
 */
export function htmlToDigestLines(html: string): string {
  const document = parse(html);
  const state: WalkState = { hidden: hiddenSelectors(document), out: new LineWriter(), preformatted: false };
  walk(document, state);
  state.out.end(Gap.None);
  return state.out.lines.join('\n');
}
