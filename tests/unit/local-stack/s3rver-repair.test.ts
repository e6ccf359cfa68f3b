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
    md5 = 'd41d8cd98f00b204e9800998ecf8427e',
  ): Promise<void> {
    const base = join(directory, 'bucket', key);
    await mkdir(join(base, '..'), { recursive: true });
    await writeFile(`${base}._S3rver_object`, 'body');
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

  it('drops an MD5 file that is not one, for s3rver to compute again', async () => {
    // Prepare
    await object('index.html', '{}', '');

    // Act
    const repaired = await repairS3rverData(directory);

    // Assess
    expect(repaired).toEqual([{ path: join('bucket', 'index.html'), action: 'md5-dropped' }]);
    expect(await readdir(join(directory, 'bucket'))).not.toContain('index.html._S3rver_object.md5');
  });

  it('finds nothing to repair in a missing directory', async () => {
    expect(await repairS3rverData(join(directory, 'absent'))).toEqual([]);
  });
});
