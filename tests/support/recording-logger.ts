import { Logger, type LogItem } from '@aws-lambda-powertools/logger';

/**
 * A Powertools `Logger` that keeps, in `lines`, each line it would print, parsed back from the JSON it
 * would print (Powertools' own formatting, attribute merging and context keys included), instead of
 * writing it to stdout.
 */
export class RecordingLogger extends Logger {
  readonly lines: Array<Record<string, unknown>> = [];

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.lines.push(JSON.parse(JSON.stringify(log.getAttributes(), this.getJsonReplacer())));
  }
}
