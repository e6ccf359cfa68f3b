/**
 * A built site served over HTTP on 127.0.0.1, for the tools that look at it as a reader would
 * (Lighthouse, screenshots): `feedwright build` of the sample digests into a temporary folder, served
 * with the content types, gzip and security headers CloudFront gives the bucket.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CONTENT_TYPES, responseHeadersFor } from '@feedwright/site';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': CONTENT_TYPES.html,
  '.opml': CONTENT_TYPES.opml,
  '.json': CONTENT_TYPES.json,
  '.svg': CONTENT_TYPES.svg,
  '.js': CONTENT_TYPES.javascript,
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};
const typeOf = (path: string): string =>
  path.endsWith('atom.xml') || path.includes('/archive/')
    ? CONTENT_TYPES.atom
    : path.endsWith('rss.xml')
      ? CONTENT_TYPES.rss
      : (TYPES[extname(path)] ?? 'application/octet-stream');

/** The pages a reader meets: the front page, a topic's page, an issue and a story. */
export interface PreviewPages {
  readonly front: string;
  readonly topic: string;
  readonly issue: string;
  readonly story: string;
}

export interface Preview {
  readonly baseUrl: string;
  readonly pages: PreviewPages;
  close(): Promise<void>;
}

/** Builds the sample digests with the given site title and serves the tree; `close` stops and cleans up. */
export async function startPreview(siteTitle = 'CX Daily'): Promise<Preview> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwright-preview-'));
  const server = await serve(dir);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'packages/cli/bin/feedwright.js'),
      'build',
      join(ROOT, 'events/digests'),
      '--out',
      dir,
      '--base-url',
      baseUrl,
      '--site-title',
      siteTitle,
      '--description',
      'Business and technology news from China, one digest a day: every story by topic and by issue.',
    ],
    { cwd: ROOT },
  );
  const pages = await pickPages(dir);
  return {
    baseUrl,
    pages,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The front page (at the site's root, as readers reach it), the newest issue, the first story of the
 * newest issues with a photo caption and a body (or the newest issue's first story), and its topic's page.
 */
async function pickPages(dir: string): Promise<PreviewPages> {
  const issues = (await readdir(join(dir, 'issues')))
    .filter((name) => /^\d{4}-\d{2}-\d{2}-.+\.html$/.test(name))
    .sort()
    .reverse()
    .map((name) => `issues/${name}`);
  const storiesOf = async (issue: string) =>
    [...(await readFile(join(dir, issue), 'utf8')).matchAll(/href="\.\.\/(stories\/[^"]+\.html)"/g)].map(
      (match) => match[1] as string,
    );
  const issue = issues[0] as string;
  let story = (await storiesOf(issue))[0] as string;
  search: for (const candidate of issues) {
    for (const path of await storiesOf(candidate)) {
      const html = await readFile(join(dir, decodeURIComponent(path)), 'utf8');
      // A story with a caption and a body of a few paragraphs (a quick hit may hold a caption alone).
      if (html.includes('<figure>') && html.split('<p>').length > 2) {
        story = path;
        break search;
      }
    }
  }
  const page = await readFile(join(dir, decodeURIComponent(story)), 'utf8');
  const topic = /href="\.\.\/(topics\/[^"]+\/index\.html)"/.exec(page)?.[1] ?? 'topics/all/index.html';
  return { front: '', topic, issue, story };
}

function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    const key = file
      .slice(root.length + 1)
      .split(sep)
      .join('/');
    readFile(file).then(
      (body) => {
        const type = typeOf(file);
        const headers: Record<string, string> = {
          'content-type': type,
          'cache-control': 'public, max-age=3600',
          ...responseHeadersFor(key, { https: false }),
        };
        const gzip =
          /gzip/.test(String(request.headers['accept-encoding'])) && !type.startsWith('application/wasm');
        if (gzip) headers['content-encoding'] = 'gzip';
        response.writeHead(200, headers).end(gzip ? gzipSync(body) : body);
      },
      // No body: a missing robots.txt must read as none, not as one that says "not found".
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
