/**
 * The build writes every stream's schema with its `$ref`s already inlined (dist/stream-schemas.json, by
 * scripts/copy-assets.js) and the built tap loads its schemas from that one file instead of inlining the schema files
 * on every run (issue 13, start-up CPU). It must hold exactly what the schema files give now, and each load must hand
 * out a copy of its own (discovery adds the org's custom attributes to the schema it gets).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inlinedSchemas, loadSchema } from '../../src/streams/schemas';
import { STREAMS } from '../../src/streams/table';
import { schemaFileOf } from '../../src/streams/kobjects';
import { ROOT } from '../helpers/harness';

const BUILT = join(ROOT, 'dist', 'stream-schemas.json');

describe('the inlined stream schemas the build writes', () => {
  test('the built file is what src/schemas gives (byte for byte)', () => {
    expect(readFileSync(BUILT, 'utf8')).toBe(JSON.stringify(inlinedSchemas()));
  });

  test('it holds every stream of the table, as loadSchema reads it from the schema files', () => {
    const built = JSON.parse(readFileSync(BUILT, 'utf8')) as Record<string, string>;
    for (const def of STREAMS) {
      const file = schemaFileOf(def.name);
      expect({ stream: def.name, schema: JSON.parse(built[file] ?? 'null') as unknown }).toEqual({ stream: def.name, schema: loadSchema(file) });
    }
  });

  test('the built loader reads it, and every load is a copy of its own', () => {
    // The compiled module, as the built tap runs it (jest's module registry keeps it apart from the sources).
    const built = require(join(ROOT, 'dist', 'streams', 'schemas.js')) as typeof import('../../src/streams/schemas');
    expect(built.BUILT_SCHEMAS).toBe(BUILT);
    const first = built.loadSchema('customers');
    expect(first).toEqual(loadSchema('customers'));
    (first.properties as Record<string, unknown>).changed_by_the_caller = { type: 'string' };
    expect(Object.keys(built.loadSchema('customers').properties as object)).not.toContain('changed_by_the_caller');
  });
});
