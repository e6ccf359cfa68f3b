import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DigestError, decodeDigest, parseDigest } from '@feedwright/digest';
import { isolatedStackOptions, type LocalStack, startLocalStack } from '@feedwright/local-stack';
import { redirectPages } from '@feedwright/pipeline';
import { assignIssueIds, buildSite, resolveSiteConfig } from '@feedwright/site';
import { createDynamoStoryStore } from '@feedwright/storage';
import { mergeStories, type NamedDigest } from '../../../packages/cli/src/build/digests.ts';
import { withoutUpdatedTimes } from '../../support/updated-times.ts';

/** A local stack on free ports over `dataDir`, with nothing but uploads going in. */
export function startBareStack(dataDir: string): Promise<LocalStack> {
  return startLocalStack(isolatedStackOptions(dataDir));
}

/** Every object of a bucket (under `prefix`), by key. */
async function bucketContents(s3: S3Client, bucket: string, prefix = ''): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const entry of page.Contents ?? []) {
      if (entry.Key === undefined) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: entry.Key }));
      contents.set(entry.Key, Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array()));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return contents;
}

/** What `feedwright build` makes of the digests live in the incoming bucket (rejected ones left out). */
export async function buildOfLiveDigests(
  s3: S3Client,
  incomingBucket: string,
  baseUrl: string,
): Promise<Map<string, string>> {
  const digests: NamedDigest[] = [];
  for (const [key, bytes] of await bucketContents(s3, incomingBucket, 'digests/')) {
    try {
      digests.push({ name: key, digest: parseDigest(decodeDigest(bytes)) });
    } catch (error) {
      if (!(error instanceof DigestError)) throw error;
    }
  }
  const issues = assignIssueIds(digests.map((entry) => entry.digest));
  const files = buildSite(mergeStories(digests), resolveSiteConfig({ baseUrl }), { issues });
  return new Map(files.map((file) => [file.path, withoutUpdatedTimes(file.body)]));
}

/**
 * The redirect pages that the table's redirect records call for (an old address of a story whose
 * headline was corrected, see `redirectPages`), by path: what the site holds beyond `feedwright build`,
 * which has no history to know them by.
 */
export async function redirectPagesOf(
  stack: Pick<LocalStack, 'dynamoEndpoint' | 'region' | 'credentials' | 'tableName' | 'baseUrl'>,
): Promise<Map<string, string>> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: stack.region,
    credentials: stack.credentials,
  });
  try {
    const store = createDynamoStoryStore({ tableName: stack.tableName, client });
    const pages = redirectPages(
      await store.redirects(),
      await store.liveStories(),
      resolveSiteConfig({ baseUrl: stack.baseUrl }),
    );
    return new Map(pages.map((file) => [file.path, file.body]));
  } finally {
    client.destroy();
  }
}

/**
 * The site bucket, by path, with the updated times that only the pipeline has taken out, and without
 * exactly the redirect pages `redirects` names (see {@link redirectPagesOf}) where they hold what the
 * records call for: one that does not is kept, for the comparison with the build to show it.
 */
export async function siteBucket(
  s3: S3Client,
  bucket: string,
  redirects: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, string>> {
  const contents = await bucketContents(s3, bucket);
  return new Map(
    [...contents]
      .map(([key, body]) => [key, withoutUpdatedTimes(body.toString('utf8'))] as const)
      .filter(([key, body]) => redirects.get(key) !== body),
  );
}
