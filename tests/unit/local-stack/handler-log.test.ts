import { describeAttributes, escapeControls, lineLogger } from '@feedwright/local-stack';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('Function: lineLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  /** The lines a logger for `functionName` writes while `act` runs. */
  function linesOf(
    act: (logger: ReturnType<typeof lineLogger>) => void,
    unshown?: ReadonlySet<string>,
  ): string[] {
    const lines: string[] = [];
    act(lineLogger('ingest', (line) => lines.push(line), unshown));
    return lines;
  }

  it('writes an entry as one line: function, message, key, then name=value with nested names dotted', () => {
    // Act
    const lines = linesOf((logger) =>
      logger.info('digest processed', {
        correlation_id: 'digests/a.txt',
        key: 'digests/a.txt',
        sequencer: '0018EEB022259F9A80',
        status: 'ok',
        stories: { total: 6, added: 6, updated: 0 },
        reportWritten: true,
      }),
    );

    // Assess
    expect(lines).toEqual([
      'ingest: digest processed digests/a.txt status=ok stories.total=6 stories.added=6 stories.updated=0 reportWritten=true',
    ]);
  });

  it('names the level of warnings and errors, and gives an error by its message', () => {
    // Act
    const lines = linesOf((logger) => {
      logger.warn('digest rejected', { key: 'digests/b.txt', code: 'NO_DATE', reason: 'no date line' });
      logger.error('render unit failed', { unit: 'topic:law', error: new Error('slow down') });
    });

    // Assess
    expect(lines).toEqual([
      'ingest WARN: digest rejected digests/b.txt code=NO_DATE reason="no date line"',
      'ingest ERROR: render unit failed unit=topic:law error="slow down"',
    ]);
  });

  it('escapes what would forge a line or move a terminal cursor, in keys and in values', () => {
    // Act
    const line = describeAttributes({
      key: 'digests/x\n[dev] live: forged.txt',
      reason: 'bad \u001b[2J\u202edate',
    });

    // Assess
    expect(line).toBe(' "digests/x\\n[dev] live: forged.txt" reason="bad \\u001b[2J\\u202edate"');
    for (const character of ['\n', '\u001b', '\u202e']) expect(line).not.toContain(character);
  });

  it('shows a list by its first five items and how many more there are', () => {
    expect(describeAttributes({ topics: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })).toBe(
      ' topics=a,b,c,d,e,…(+2)',
    );
    expect(describeAttributes({ failedUnits: [] })).toBe(' failedUnits=""');
  });

  it('leaves out what is below POWERTOOLS_LOG_LEVEL, and the messages the stack says itself', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');

    // Act
    const lines = linesOf(
      (logger) => {
        logger.debug('polled', {});
        logger.info('digest processed', { key: 'digests/a.txt' });
        logger.warn('digest live', { key: 'digests/a.txt' });
        logger.warn('report notification failed', { key: 'digests/a.txt' });
      },
      new Set(['digest live']),
    );

    // Assess
    expect(lines).toEqual(['ingest WARN: report notification failed digests/a.txt']);
  });

  it('writes no error at POWERTOOLS_LOG_LEVEL=CRITICAL or SILENT, and reads a level it does not know as INFO', () => {
    // Prepare
    const errorAt = (level: string) => {
      vi.stubEnv('POWERTOOLS_LOG_LEVEL', level);
      return linesOf((logger) => logger.error('render unit failed', { unit: 'topic:law' }));
    };

    // Act
    const [critical, silent, unknown] = [errorAt('CRITICAL'), errorAt('SILENT'), errorAt('LOUD')];

    // Assess
    expect(critical).toEqual([]);
    expect(silent).toEqual([]);
    expect(unknown).toEqual(['ingest ERROR: render unit failed unit=topic:law']);
  });
});

describe('Function: escapeControls', () => {
  it('writes controls, bidirectional overrides and line separators as \\u escapes, and leaves other text', () => {
    expect(escapeControls('inbox: uploaded a\n[dev] live: b\u202e.txt\u2028 — 汽车 ok')).toBe(
      'inbox: uploaded a\\u000a[dev] live: b\\u202e.txt\\u2028 — 汽车 ok',
    );
    expect(escapeControls('tag \u{e0001}')).toBe('tag \\u{e0001}');
  });
});
