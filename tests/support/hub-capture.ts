import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One publish notification the capture hub received. */
export interface CapturedPing {
  readonly mode: string | null;
  readonly urls: readonly string[];
  readonly contentType: string | undefined;
}

/** A stand-in WebSub hub on 127.0.0.1 that records every POST; `status` picks each answer (default 202). */
export interface CaptureHub {
  readonly url: string;
  readonly pings: CapturedPing[];
  /** The feed URLs pinged so far, one entry per notification (so a repeat shows twice). */
  pingedUrls(): string[];
  status: (ping: CapturedPing, index: number) => number;
  close(): Promise<void>;
}

/** Starts a capture hub on a free port of 127.0.0.1, at path `/hub`. */
export async function startCaptureHub(): Promise<CaptureHub> {
  const pings: CapturedPing[] = [];
  const hub: CaptureHub = {
    url: '',
    pings,
    pingedUrls: () => pings.flatMap((ping) => ping.urls),
    status: () => 202,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const ping: CapturedPing = {
        mode: form.get('hub.mode'),
        urls: form.getAll('hub.url'),
        contentType: request.headers['content-type'],
      };
      const status =
        request.method === 'POST' && request.url === '/hub' ? hub.status(ping, pings.length) : 404;
      if (status < 300) pings.push(ping);
      response.writeHead(status).end();
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(hub, { url: `http://127.0.0.1:${port}/hub` });
}
