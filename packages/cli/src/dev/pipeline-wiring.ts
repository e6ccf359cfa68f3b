import type { LocalPipeline, PipelineSetup } from './local-stack.ts';

/** Wires the real handlers (waiting for @feedwright/fn-ingest, fn-render and the stream recorder). */
export async function wirePipeline(_setup: PipelineSetup): Promise<LocalPipeline> {
  throw new Error('the ingest and render handlers are not wired yet');
}
