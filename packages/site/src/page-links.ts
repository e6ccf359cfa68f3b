import { escapeAttribute } from './text.ts';
import { encodePath } from './urls.ts';

/** A relative link from a page `prefix` deep in the tree to a site path (each segment percent-encoded). */
export const relativeHref = (prefix: string, path: string): string =>
  escapeAttribute(`${prefix}${encodePath(path)}`);
