import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteConfig } from '@feedwright/site';

/** The file, in the stack's data folder, that says where a running stack listens. */
export const ENDPOINTS_FILE = 'endpoints.json';

/**
 * Where a running local stack listens and how it is set up: `feedwright dev` writes it at start and
 * removes it on a clean stop, so that `publish`, `withdraw`, `reconcile` and `status` find the stack (on any
 * ports, with its site settings) without flags.
 */
export interface LocalEndpoints {
  readonly pid: number;
  readonly siteUrl: string;
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly region: string;
  readonly incomingBucket: string;
  readonly siteBucket: string;
  readonly tableName: string;
  /** `host:port` of the SMTP server, or null when it is off. */
  readonly smtp: string | null;
  /** The settings the stack runs with, so a reconcile renders exactly as its render does. */
  readonly settings: {
    readonly site: SiteConfig;
    readonly digestTimezone: string;
    readonly maxDigestBytes?: number;
    readonly allowedSenders?: string;
  };
}

/** Writes the endpoints file whole (a reader never sees half of it). */
export async function writeLocalEndpoints(dataDir: string, endpoints: LocalEndpoints): Promise<void> {
  const path = join(dataDir, ENDPOINTS_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Removes the endpoints file (a clean stop). */
export async function removeLocalEndpoints(dataDir: string): Promise<void> {
  await rm(join(dataDir, ENDPOINTS_FILE), { force: true });
}

/**
 * The endpoints of the stack that last started with this data folder, or undefined when none is
 * recorded (none running, or it stopped cleanly).
 * @throws Error naming the file when it cannot be read as endpoints.
 */
export async function readLocalEndpoints(dataDir: string): Promise<LocalEndpoints | undefined> {
  const path = join(dataDir, ENDPOINTS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot read the local stack's endpoints (${(error as Error).message})`);
  }
  try {
    const endpoints = JSON.parse(text) as LocalEndpoints;
    if (typeof endpoints.s3Endpoint !== 'string' || typeof endpoints.siteUrl !== 'string')
      throw new Error('no endpoints');
    return endpoints;
  } catch {
    throw new Error(
      `${path}: not the endpoints 'feedwright dev' writes; remove it, or start 'feedwright dev' again`,
    );
  }
}
