import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createReconcileHandler } from '@feedwright/pipeline/reconcile-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, INCOMING, type Pipeline, quiet, SITE, startPipeline } from './harness.ts';

describe('Reconcile handler: the repairs it counts for the alarm', () => {
  let pipeline: Pipeline;

  beforeEach(async () => {
    pipeline = await startPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
  });

  /** One reconcile run by the Lambda adapter, and the metrics it recorded. */
  const reconcileOnce = async () => {
    const { logger, metrics } = quiet('feedwright-reconcile');
    const result = await createReconcileHandler({
      s3: pipeline.s3,
      dynamo: pipeline.dynamo,
      tableName: pipeline.emulators.tableName,
      incomingBucket: INCOMING,
      siteBucket: SITE,
      site: { baseUrl: BASE_URL },
      logger,
      metrics,
    })();
    return { result, emf: metrics.serializeMetrics() };
  };

  it("counts no repair for a new stack's first site, and one for an object of it lost later", async () => {
    // Act: a new stack, no digest yet; then its front page deleted by hand
    const first = await reconcileOnce();
    await pipeline.s3.send(new DeleteObjectCommand({ Bucket: SITE, Key: 'index.html' }));
    const afterLoss = await reconcileOnce();

    // Assess
    expect(first.result.firstSite).toBe(true);
    expect(first.result.written).toContain('index.html');
    expect(first.emf.ObjectsRepaired).toBe(0);
    expect(afterLoss.result).toMatchObject({ firstSite: false, written: ['index.html'] });
    expect(afterLoss.emf.ObjectsRepaired).toBe(1);
    expect((await pipeline.siteFiles()).has('index.html')).toBe(true);
  });

  it('counts the objects it writes for a stack whose digest never reached the site', async () => {
    // Prepare: a digest uploaded and ingested, its render lost
    await pipeline.ingest(
      await pipeline.upload(
        'digests/lost-render.txt',
        'Dec 01, 2020 09:19 AM\n\nA digest\n\nA summary.\n\nLaw /\n\nA court rules\n\nKept.\n',
      ),
    );

    // Act
    const { result, emf } = await reconcileOnce();

    // Assess
    expect(result.firstSite).toBe(false);
    expect(result.written.length).toBeGreaterThan(0);
    expect(emf.ObjectsRepaired).toBe(result.written.length);
  });
});
