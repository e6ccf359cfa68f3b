import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.ts';
import { cdkJsonContext } from './synth-feedwright.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CDK app's entry as `cdk synth` does: context and output folder in the environment. */
function runApp(outdir: string, context: Record<string, unknown>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      ['infra/bin/app.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), ...context }),
        },
        encoding: 'utf8',
        timeout: 240_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        }),
    );
  });
}

describe('The CDK app entry (infra/bin/app.ts)', { timeout: 300_000 }, () => {
  let outdir: string;
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'feedwright-app-'));
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('synthesizes the stack, bundles included, without a line on stdout or stderr', async () => {
    // Act
    const run = await runApp(join(outdir, 'quiet'), {});

    // Assess
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
    expect(await readdir(join(outdir, 'quiet'))).toContain('Feedwright.template.json');
  });

  it('refuses a misspelt context key in one sentence naming the key meant, and synthesizes nothing', async () => {
    // Act
    const run = await runApp(join(outdir, 'misspelt'), { digestTimeZone: 'Asia/Shanghai' });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^feedwright: unknown context key 'digestTimeZone': did you mean 'digestTimezone'\? \(known: .*\)\.\n$/,
    );
    const written = await readdir(join(outdir, 'misspelt')).catch(() => []);
    expect(written).not.toContain('Feedwright.template.json');
  });
});
