import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  createBuckets,
  createTable,
  S3RVER_CREDENTIALS,
  s3rverClient,
  startS3Emulator,
} from '@feedwright/local-stack';

/** dynalite ships no type declarations; this is the part used here. */
type Dynalite = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
  path?: string;
}) => Server;

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as Dynalite;

/** The emulators accept any credentials (s3rver a known key), and the SDK must never look for real ones. */
const EMULATOR_CREDENTIALS = S3RVER_CREDENTIALS;
const EMULATOR_REGION = 'us-east-1';

/** Options of {@link startEmulators}. */
export interface EmulatorOptions {
  readonly tableName?: string;
  readonly buckets?: readonly string[];
}

/** Running dynalite and s3rver on free localhost ports, with clients and names for a test. */
export interface Emulators {
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly buckets: readonly string[];
  readonly directory: string;
  /** A new DynamoDB client on the emulator: give each handler its own so middleware stays separate. */
  dynamoClient(): DynamoDBClient;
  /** A new S3 client on the emulator (path-style). */
  s3Client(): S3Client;
  /** Stops both servers and removes the temp dir. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite (in memory) and s3rver (in a fresh temp dir) on port 0, creates the table and buckets
 * with the same code the local stack uses, and hands out clients pointed at them.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const tableName = options.tableName ?? 'feedwright';
  const buckets = options.buckets ?? ['feedwright-incoming', 'feedwright-site'];
  const directory = await mkdtemp(join(tmpdir(), 'feedwright-emulators-'));

  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamoServer.once('error', reject);
    dynamoServer.listen(0, '127.0.0.1', () => resolve());
  });
  const dynamoEndpoint = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;

  const s3Server = await startS3Emulator({ host: '127.0.0.1', port: 0, directory, buckets: [] });
  const s3Endpoint = s3Server.endpoint;

  const clients: { destroy(): void }[] = [];
  const dynamoClient = (): DynamoDBClient => {
    const client = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: EMULATOR_REGION,
      credentials: EMULATOR_CREDENTIALS,
    });
    clients.push(client);
    return client;
  };
  const s3Client = (): S3Client => {
    const client = s3rverClient(s3Endpoint, EMULATOR_REGION);
    clients.push(client);
    return client;
  };

  const setup = dynamoClient();
  await createTable(setup, tableName);
  await createBuckets(s3Client(), buckets);

  return {
    dynamoEndpoint,
    s3Endpoint,
    tableName,
    buckets,
    directory,
    dynamoClient,
    s3Client,
    async stop() {
      for (const client of clients) client.destroy();
      await s3Server.close();
      await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
