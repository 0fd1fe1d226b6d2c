import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STREAMS } from '../src/streams/table';
import { loadSchema } from '../src/streams/schemas';
import { compileProjector } from '../src/streams/projector';

/**
 * Issue 10: a property that allows several non-null JSON types breaks real targets (pipelinewise-target-postgres
 * makes `jsonb` and fails on a bare string; MeltanoLabs target-postgres makes `jsonb[]` and mangles it). Every
 * property of every stream, nested ones and array items included, allows at most one non-null type; values
 * Kustomer returns in several shapes are declared as JSON text and arrive as such.
 */

type Schema = Record<string, any>;

/** Every property path whose schema allows more than one non-null JSON type, or has no type at all. */
function ambiguous(schema: Schema, path: string, out: string[] = []): string[] {
  if (schema.anyOf || schema.oneOf || schema.allOf) out.push(`${path}: anyOf/oneOf/allOf`);
  const declared: unknown[] = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const nonNull = declared.filter((t) => t !== 'null');
  if (nonNull.length !== 1) out.push(`${path}: ${JSON.stringify(schema.type ?? null)}`);
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) ambiguous(child, `${path}.${name}`, out);
  if (schema.items && typeof schema.items === 'object') ambiguous(schema.items as Schema, `${path}[]`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') ambiguous(schema.additionalProperties as Schema, `${path}{}`, out);
  return out;
}

describe('one JSON type per property (issue 10)', () => {
  test.each(STREAMS.map((d) => [d.name]))('%s', (name) => {
    const schema = loadSchema(name) as Schema;
    const props = Object.entries(schema.properties as Record<string, Schema>).flatMap(([p, s]) => ambiguous(s, `${name}.${p}`));
    expect(props).toEqual([]);
  });

  test('the discovered catalog (per-klass KObject streams and custom attributes included)', () => {
    const catalog = JSON.parse(readFileSync(join(__dirname, '..', 'catalog', 'catalog.json'), 'utf8')) as { streams: Array<{ stream: string; schema: Schema }> };
    expect(catalog.streams.length).toBeGreaterThanOrEqual(STREAMS.length);
    const props = catalog.streams.flatMap((e) => Object.entries(e.schema.properties as Record<string, Schema>).flatMap(([p, s]) => ambiguous(s, `${e.stream}.${p}`)));
    expect(props).toEqual([]);
  });

  test('values of every shape arrive as JSON text that parses back to what Kustomer sent', () => {
    const project = compileProjector(loadSchema('sla_criteria'));
    for (const value of ['email', 5, true, ['a', 'b'], { any: 'shape' }]) {
      const out = project({ value });
      expect(typeof out.value).toBe('string');
      expect(JSON.parse(out.value as string)).toEqual(value);
    }
    expect(project({ value: null }).value).toBeNull();
    const companies = compileProjector(loadSchema('companies'));
    expect(companies({ domains: ['acme.com', { domain: 'acme.io' }] }).domains).toEqual(['"acme.com"', '{"domain":"acme.io"}']);
  });
});
