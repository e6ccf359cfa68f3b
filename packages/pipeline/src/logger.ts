/**
 * The logging the pipeline's services do: structured, message plus attributes. Powertools' `Logger`
 * fits it, and tests can pass a recording one.
 */
export interface PipelineLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * Where the adapters annotate the current trace so that one digest can be found across functions
 * (X-Ray filter `annotation.digestKey = "…"`). Powertools' `Tracer` fits it; without one, nothing is
 * annotated.
 */
export interface TraceAnnotator {
  putAnnotation(key: string, value: string | number | boolean): void;
}

// X-Ray keeps annotation values short; a batch's story ids are cut to this many characters.
const MAX_ANNOTATION = 1000;

/** `values` joined with commas, cut to what an annotation holds. */
export function annotationList(values: Iterable<string>): string {
  const joined = [...values].join(',');
  return joined.length > MAX_ANNOTATION ? `${joined.slice(0, MAX_ANNOTATION - 1)}…` : joined;
}

/**
 * `logger` with `correlation_id: correlationId` on every line: what the handlers give the work of one
 * digest, so that each line about it carries its key. It holds no state of its own and sets none on
 * `logger` (Powertools' `setCorrelationId` sets a key on the instance, which overlapping invocations
 * of one handler, as the local stack runs them, would take from each other). Unlike a Powertools
 * child logger (`createChild`), it logs through the handler's own instance: the Lambda context keys,
 * `cold_start` (a new instance would report its first line as a cold start), sampling and buffering
 * stay those of the invocation.
 */
export function withCorrelationId(logger: PipelineLogger, correlationId: string): PipelineLogger {
  const correlated = (attributes: Record<string, unknown>): Record<string, unknown> => ({
    correlation_id: correlationId,
    ...attributes,
  });
  return {
    debug: (message, attributes) => logger.debug(message, correlated(attributes)),
    info: (message, attributes) => logger.info(message, correlated(attributes)),
    warn: (message, attributes) => logger.warn(message, correlated(attributes)),
    error: (message, attributes) => logger.error(message, correlated(attributes)),
  };
}
