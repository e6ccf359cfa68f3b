import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteProblems } from '../../support/validators.ts';
import { SEED } from './digests.ts';
import { expectBucketIsBuild, type Pipeline, startPipeline } from './harness.ts';

/** The seed digest re-dated (`Oct 15, 2020`): the same topics and titles, other story ids. */
const seedDated = (dateLine: string): string => SEED.replace(/^Dec 01, 2020/, dateLine);

describe('Pipeline: render writes the archive', () => {
  let pipeline: Pipeline;

  beforeEach(async () => {
    pipeline = await startPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
  });

  it('gives the bucket feedwright build makes of digests over three months, every file valid', async () => {
    // Prepare
    const digests = [seedDated('Oct 15, 2020'), seedDated('Nov 03, 2020'), SEED];

    // Act
    for (const [index, text] of digests.entries()) await pipeline.publish(`digests/d${index}.txt`, text);

    // Assess
    const files = await expectBucketIsBuild(pipeline, digests);
    expect(files.has('feeds/all/archive/2020-10.xml')).toBe(true);
    expect(files.has('topics/all/2020-11.html')).toBe(true);
    expect(files.has('issues/2020-11.html')).toBe(true);
    expect(await siteProblems([...files].map(([path, body]) => ({ path, body })))).toEqual([]);
  });

  it('back-fills a digest from years ago without writing any other month', async () => {
    // Prepare
    const digests = [seedDated('Oct 15, 2020'), seedDated('Nov 03, 2020'), SEED];
    for (const [index, text] of digests.entries()) await pipeline.publish(`digests/d${index}.txt`, text);
    const before = await pipeline.siteFiles();
    const old = seedDated('Jun 03, 2017');

    // Act
    await pipeline.publish('digests/old.txt', old);

    // Assess
    const after = await expectBucketIsBuild(pipeline, [old, ...digests]);
    const changed = [...after].filter(([path, body]) => before.get(path) !== body).map(([path]) => path);
    expect(changed.filter((path) => /2020-1[12]/.test(path))).toEqual([]);
    expect(changed).toContain('feeds/all/archive/2017-06.xml');
  });
});
