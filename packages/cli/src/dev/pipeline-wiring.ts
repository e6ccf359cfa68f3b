import { createIngestHandler } from '@feedwright/fn-ingest';
import { createRenderHandler } from '@feedwright/fn-render';
import { createTable, StreamRecorder } from '@feedwright/storage';
import type { LocalPipeline, PipelineSetup } from './local-stack.ts';

/**
 * Wires the real ingest and render handlers to the emulators. Their one DynamoDB client carries
 * the stream recorder, so every write either makes becomes the stream record a
 * NEW_AND_OLD_IMAGES stream would deliver (dynalite has no streams).
 */
export async function wirePipeline(setup: PipelineSetup): Promise<LocalPipeline> {
  const recorder = new StreamRecorder({ region: setup.region, accountId: setup.accountId, buffer: false });
  recorder.attach(setup.dynamo);
  recorder.subscribe((record) => setup.onStreamRecords([record]));
  const ingest = createIngestHandler({
    s3: setup.s3,
    dynamo: setup.dynamo,
    tableName: setup.tableName,
    timezone: setup.timezone,
  });
  const render = createRenderHandler({
    s3: setup.s3,
    dynamo: setup.dynamo,
    tableName: setup.tableName,
    siteBucket: setup.siteBucket,
    site: { baseUrl: setup.baseUrl },
  });
  return { ingest, render, provision: () => createTable(setup.dynamo, setup.tableName) };
}
