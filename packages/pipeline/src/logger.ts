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
