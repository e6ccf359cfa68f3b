import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STORY_LIMITS } from '@feedwright/digest';
import { ingestDigestEvent } from '@feedwright/pipeline';
import { TableStoryStore } from '@feedwright/storage';
import { MemoryDigestSource, MemoryItemTable } from '@feedwright/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedwright } from '../../support/cli.ts';

/** More quick hits than one digest may have: each is a story of its own. */
function tooManyStories(): string {
  const hits = Array.from({ length: STORY_LIMITS.maxStories + 1 }, (_, i) => `Quick hit number ${i}`);
  return `Dec 01, 2020 09:19 AM\n\nA digest\n\nA summary.\n\nQuick hits /\n\n${hits.join('\n')}\n`;
}

/** The reason ingest gives for a digest's bytes, through the real ingest over in-memory ports. */
async function ingestReason(text: string): Promise<{ status: string; code?: string; reason?: string }> {
  const source = new MemoryDigestSource();
  source.put('incoming', 'digests/big.txt', text);
  const { report } = await ingestDigestEvent(
    {
      kind: 'created',
      bucket: 'incoming',
      key: 'digests/big.txt',
      sequencer: '0055AED6DCD9028000',
      eventName: 'ObjectCreated:Put',
    },
    { source, stories: new TableStoryStore(new MemoryItemTable()) },
  );
  return report;
}

describe('One acceptance path: parse, build and ingest', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'feedwright-acceptance-'));
    file = path.join(dir, 'too-many-stories.txt');
    await writeFile(file, tooManyStories());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a digest of 1,001 stories in parse and build (both exit 1, refused) and ingest, with one reason', async () => {
    // Act
    const ingest = await ingestReason(tooManyStories());
    const parse = await runFeedwright('parse', file);
    const build = await runFeedwright('build', file, '--out', path.join(dir, 'site'));

    // Assess
    expect(ingest).toMatchObject({ status: 'rejected', code: 'TOO_MANY_STORIES' });
    expect(ingest.reason).toMatch(/1001 stories, more than the 1000/);
    expect(parse.code).toBe(1);
    expect(parse.stdout).toBe('');
    expect(parse.stderr).toBe(`feedwright: ${file}: ${ingest.reason}\n`);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain(`feedwright: ${file}: ${ingest.reason}\n`);
  });
});
