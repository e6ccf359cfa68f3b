import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inlineSchemaTraitKeys,
  lambdaPlugins,
  sdkClientPackageJson,
} from '../../../infra/lib/lambda-plugins.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The clients the functions bundle: S3 and DynamoDB at init, SNS and CloudFront later. */
const CLIENTS = ['s3', 'dynamodb', 'sns', 'cloudfront'] as const;
const schemasOf = (client: string) =>
  join(ROOT, 'node_modules', '@aws-sdk', `client-${client}`, 'dist-es', 'schemas', 'schemas_0.js');

/**
 * Whether two values are the same schema: arrays and objects member by member, Maps (the error
 * registries, keyed by schema) entry by entry, classes (the error classes) by name, and the schemas'
 * `() => Shape$` thunks by what they return.
 */
function sameSchema(a: unknown, b: unknown, seen = new Map<unknown, unknown>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'function' && typeof b === 'function') {
    const isClass = (f: unknown) => Function.prototype.toString.call(f).startsWith('class');
    if (isClass(a) || isClass(b)) return isClass(a) && isClass(b) && a.name === b.name;
    return a.length === 0 && b.length === 0 && sameSchema(a(), b(), seen);
  }
  if (typeof a !== 'object' || a === null || b === null || typeof b !== 'object') return false;
  // A cycle (a shape that contains itself through a thunk): equal if it leads to the same pair.
  if (seen.has(a)) return seen.get(a) === b;
  seen.set(a, b);
  if (a.constructor?.name !== b.constructor?.name) return false;
  const entries = (value: object): [unknown, unknown][] =>
    value instanceof Map ? [...value.entries()] : Object.entries(value);
  const [x, y] = [entries(a), entries(b)];
  return (
    x.length === y.length &&
    x.every(([key, value], i) => sameSchema(key, y[i]?.[0], seen) && sameSchema(value, y[i]?.[1], seen))
  );
}

describe('Function: inlineSchemaTraitKeys', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feedwright-plugins-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes every computed trait key of the clients' schemas as the string constant it names", async () => {
    for (const client of CLIENTS) {
      // Prepare
      const source = await readFile(schemasOf(client), 'utf8');

      // Act
      const rewritten = inlineSchemaTraitKeys(source);

      // Assess: some keys were rewritten, and none is left for esbuild to keep its object for.
      expect(rewritten).not.toBe(source);
      expect(source).toMatch(/\[_\w+\]:/);
      expect(rewritten).not.toMatch(/\[_\w+\]:/);
    }
  });

  it("leaves the clients' schemas evaluating to the same values, every export of every client", async () => {
    for (const client of CLIENTS) {
      // Prepare: the schemas module, bundled as it is and as the Lambda bundles rewrite it.
      const bundle = async (name: string, plugins: ReturnType<typeof lambdaPlugins>) => {
        const outfile = join(dir, `${client}-${name}.mjs`);
        await build({
          entryPoints: [schemasOf(client)],
          bundle: true,
          format: 'esm',
          platform: 'node',
          outfile,
          plugins,
          logLevel: 'silent',
        });
        return (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
      };

      // Act
      const original = await bundle('original', []);
      const rewritten = await bundle('rewritten', lambdaPlugins());

      // Assess
      expect(Object.keys(rewritten).sort()).toEqual(Object.keys(original).sort());
      expect(Object.keys(original).length).toBeGreaterThan(10);
      for (const name of Object.keys(original)) {
        expect(sameSchema(rewritten[name], original[name]), `${client}: ${name}`).toBe(true);
      }
    }
  });

  it('tells a changed schema from the original (the comparison above can fail)', () => {
    // Prepare
    const shape = [3, 'com.amazonaws.s3', 'Tag', 0, ['Key', 'Value'], [0, 0]];
    const operation = (input: unknown) => [
      9,
      'com.amazonaws.s3',
      'Put',
      { http: 'PUT' },
      () => input,
      () => 'unit',
    ];

    // Act & Assess
    expect(sameSchema(operation(shape), operation([...shape]))).toBe(true);
    expect(sameSchema(operation(shape), operation([...shape.slice(0, 5), [0, 1]]))).toBe(false);
    expect(sameSchema({ httpError: 403 }, { httpError: 404 })).toBe(false);
  });

  it('leaves a file where a constant could be bound again as it is', () => {
    // Prepare
    const shadowed = 'const _e = "error";\nexport var A$ = [(_e) => ({ [_e]: 1 })];\n';
    const redeclared = 'const _e = "error";\nlet _e2;\nvar _e = 1;\nexport var A$ = [{ [_e]: 1 }];\n';

    // Act & Assess
    expect(inlineSchemaTraitKeys(shadowed)).toBe(shadowed);
    expect(inlineSchemaTraitKeys(redeclared)).toBe(redeclared);
    expect(inlineSchemaTraitKeys('const _e = "error";\nexport var A$ = [{ [_e]: 1 }];\n')).toContain(
      '{ "error": 1 }',
    );
  });
});

describe('Function: sdkClientPackageJson', () => {
  it("keeps a client package.json's name and version, which is all its code reads", async () => {
    // Prepare
    const source = await readFile(
      join(ROOT, 'node_modules', '@aws-sdk', 'client-s3', 'package.json'),
      'utf8',
    );
    const { name, version } = JSON.parse(source) as { name: string; version: string };

    // Act
    const kept = JSON.parse(sdkClientPackageJson(source)) as unknown;

    // Assess
    expect(kept).toEqual({ name, version });
    expect(() => sdkClientPackageJson('{"name":"x"}')).toThrow(/without a version/);
  });
});
