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
