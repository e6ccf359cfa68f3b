import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repairS3rverData } from '@feedwright/local-stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('Function: repairS3rverData', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'feedwright-s3rver-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** Writes one object as s3rver stores it. */
  async function object(
    key: string,
    metadata: string,
    md5 = '841a2d689ad86bd1611447453c22c6fc',
    body = 'body',
  ): Promise<void> {
    const base = join(directory, 'bucket', key);
    await mkdir(join(base, '..'), { recursive: true });
    await writeFile(`${base}._S3rver_object`, body);
    await writeFile(`${base}._S3rver_object.md5`, md5);
    await writeFile(`${base}._S3rver_metadata.json`, metadata);
  }

  it('removes an object whose metadata a hard stop left empty, and keeps whole ones', async () => {
    // Prepare
    await object('digests/cut.txt', '');
    await object('digests/whole.txt', '{"content-type":"text/plain"}');

    // Act
    const repaired = await repairS3rverData(directory);

    // Assess
    expect(repaired).toEqual([{ path: join('bucket', 'digests', 'cut.txt'), action: 'removed' }]);
    expect((await readdir(join(directory, 'bucket', 'digests'))).sort()).toEqual([
      'whole.txt._S3rver_metadata.json',
      'whole.txt._S3rver_object',
      'whole.txt._S3rver_object.md5',
    ]);
  });

  it('removes an object whose bytes a hard stop cut short of its recorded MD5', async () => {
    // Prepare: the MD5 of 'body', over two of its bytes.
    await object('feeds/all/rss.xml', '{"content-type":"application/rss+xml"}', undefined, 'bo');
    await object('feeds/all/atom.xml', '{"content-type":"application/atom+xml"}');

    // Act
    const repaired = await repairS3rverData(directory);

    // Assess
    expect(repaired).toEqual([{ path: join('bucket', 'feeds', 'all', 'rss.xml'), action: 'removed' }]);
    expect((await readdir(join(directory, 'bucket', 'feeds', 'all'))).sort()).toEqual([
      'atom.xml._S3rver_metadata.json',
      'atom.xml._S3rver_object',
      'atom.xml._S3rver_object.md5',
    ]);
  });

  it('drops an MD5 file that is not one, for s3rver to compute again', async () => {
    // Prepare
    await object('index.html', '{}', '');

    // Act
    const repaired = await repairS3rverData(directory);

    // Assess
    expect(repaired).toEqual([{ path: join('bucket', 'index.html'), action: 'md5-dropped' }]);
    expect(await readdir(join(directory, 'bucket'))).not.toContain('index.html._S3rver_object.md5');
  });

  it('removes the files of a write a hard stop cut off before it replaced its object, which stays whole', async () => {
    // Prepare: the new version's bytes were on disk, its metadata not yet.
    await object('feeds/all/rss.xml', '{"content-type":"application/rss+xml"}');
    await writeFile(join(directory, 'bucket', 'feeds', 'all', '.~partial-0a1b2c3d4e5f-object'), 'new body');

    // Act
    const repaired = await repairS3rverData(directory);

    // Assess
    expect(repaired).toEqual([
      { path: join('bucket', 'feeds', 'all', '.~partial-0a1b2c3d4e5f-object'), action: 'partial-removed' },
    ]);
    expect((await readdir(join(directory, 'bucket', 'feeds', 'all'))).sort()).toEqual([
      'rss.xml._S3rver_metadata.json',
      'rss.xml._S3rver_object',
      'rss.xml._S3rver_object.md5',
    ]);
  });

  it('finds nothing to repair in a missing directory', async () => {
    expect(await repairS3rverData(join(directory, 'absent'))).toEqual([]);
  });
});
