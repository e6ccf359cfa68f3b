/**
 * `@feedwright/pipeline`: the domain services the Lambda handlers wire up. Ingest turns one S3 digest
 * event into stories (or a rejection) and a report; render turns a batch of stream records into the
 * site objects that changed. Both work on the ports of `@feedwright/storage`, never on AWS clients.
 * The Lambda functions import their adapters from subpaths (`@feedwright/pipeline/render-handler`, …),
 * so that a function's bundle reaches only its own code.
 */

export { requireEnv } from './env.ts';
export { type DigestLive, digestsLive } from './freshness.ts';
export { type IngestResult, type IngestServices, ingestDigestEvent } from './ingest.ts';
export { createIngestHandler, type IngestDependencies } from './lambda/ingest-handler.ts';
export { createRenderHandler, type RenderDependencies } from './lambda/render-handler.ts';
export {
  type ReportNotifier,
  SnsReportNotifier,
  type SnsReportNotifierOptions,
} from './lambda/report-topic.ts';
export type { PipelineLogger, TraceAnnotator } from './logger.ts';
export {
  nextSequencer,
  type ReconcileReport,
  type ReconcileResult,
  type ReconcileServices,
  type ReconcileStore,
  reconcile,
  redirectPages,
} from './reconcile.ts';
export { type RenderResult, type RenderServices, runRenderPlan } from './render.ts';
export { issuesOfMonth } from './render-issues.ts';
export { planRender, type RenderPlan, type RenderUnit } from './render-plan.ts';
export { type IngestReport, reportNotification } from './report.ts';
export {
  type DigestEvent,
  decodeS3Key,
  digestEventsOf,
  type IgnoredRecord,
  isMailKey,
} from './s3-events.ts';
export { publishToHub } from './websub.ts';
