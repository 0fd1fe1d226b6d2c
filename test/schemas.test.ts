/**
 * Static checks of the hand-written stream schemas in src/schemas (conventions: src/schemas/README.md).
 * `_defs` refs are inlined by the small helper below, independently of the product's loader (src/streams/schemas.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { rootOf } from '../src/streams/graph';
import { STREAMS as TABLE } from '../src/streams/table';

const SCHEMA_DIR = path.join(__dirname, '..', 'src', 'schemas');

type Mode = 'replace' | 'update' | 'append';
const MODE = { list: 'replace', search: 'update', audit: 'append' } as const;
/** Each stream of the table with the mode and key columns its schema must serve. */
const STREAMS: Record<string, { mode: Mode; keys: readonly string[] }> = Object.fromEntries(
  TABLE.map((d) => [d.name, { mode: MODE[rootOf(d, TABLE).kind as keyof typeof MODE], keys: d.keys }]),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = { [k: string]: Json };

const readJson = (rel: string): Node => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, rel), 'utf8')) as Node;

/** Tiny stand-in for the product loader: replaces every {"$ref": "_defs/x.json"} with the (inlined) file. */
function inline(node: Json, seen: string[] = []): Json {
  if (Array.isArray(node)) return node.map((n) => inline(n, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    if (seen.includes(ref)) throw new Error(`$ref cycle: ${[...seen, ref].join(' -> ')}`);
    const { $ref: _ignored, ...siblings } = node;
    return { ...(inline(readJson(ref), [...seen, ref]) as Node), ...siblings };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
}

const typesOf = (s: Node): string[] => (Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string]);

/** Every sub-schema reachable through `properties` / `items`, with a readable path. */
function subSchemas(s: Node, at: string, out: Array<[string, Node]> = []): Array<[string, Node]> {
  const props = s['properties'];
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [k, v] of Object.entries(props)) {
      out.push([`${at}.${k}`, v as Node]);
      subSchemas(v as Node, `${at}.${k}`, out);
    }
  }
  const items = s['items'];
  if (items && typeof items === 'object' && !Array.isArray(items)) {
    out.push([`${at}[]`, items as Node]);
    subSchemas(items as Node, `${at}[]`, out);
  }
  return out;
}

/** Keys anywhere in the tree (property *names* excluded, so a column called e.g. `type` is fine). */
function keywords(node: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywords(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) Object.values(v).forEach((p) => keywords(p, out));
      else keywords(v, out);
    }
  }
  return out;
}

function newAjvs() {
  const a2020 = new Ajv2020({ strict: false, allErrors: true });
  const a4 = new AjvDraft4({ strict: false, allErrors: true });
  addFormats(a2020);
  addFormats(a4);
  return { a2020, a4 };
}

describe('stream schemas', () => {
  it('src/schemas holds exactly one file per stream of the table', () => {
    const files = fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    expect(files).toEqual(Object.keys(STREAMS).sort());
  });

  it('every _defs file is used, and refs only point into _defs', () => {
    const used = new Set<string>();
    const collect = (n: Json): void => {
      if (Array.isArray(n)) n.forEach(collect);
      else if (n !== null && typeof n === 'object') {
        if (typeof n['$ref'] === 'string') {
          expect(n['$ref']).toMatch(/^_defs\/[a-z0-9_]+\.json$/);
          expect(Object.keys(n)).toEqual(['$ref']);
          used.add(n['$ref']);
        }
        Object.values(n).forEach(collect);
      }
    };
    const defs = fs.readdirSync(path.join(SCHEMA_DIR, '_defs')).map((f) => `_defs/${f}`);
    [...Object.keys(STREAMS).map((s) => `${s}.json`), ...defs].forEach((f) => collect(readJson(f)));
    expect([...used].sort()).toEqual(defs.sort());
  });

  describe.each(Object.entries(STREAMS))('%s', (stream, { mode, keys }) => {
    const raw = readJson(`${stream}.json`);
    const schema = inline(raw) as Node;
    const props = (schema['properties'] ?? {}) as Record<string, Node>;

    it('has an object root with properties', () => {
      expect(schema['type']).toBe('object');
      expect(Object.keys(props).length).toBeGreaterThan(0);
    });

    it('compiles under Draft 4 and Draft 2020-12', () => {
      const { a2020, a4 } = newAjvs();
      expect(() => a2020.compile(schema)).not.toThrow();
      expect(() => a4.compile(schema)).not.toThrow();
    });

    it('leaves no $ref, anyOf, oneOf, allOf or $schema after inlining', () => {
      const used = keywords(schema);
      for (const k of ['$ref', 'anyOf', 'oneOf', 'allOf', '$schema']) expect(used.has(k)).toBe(false);
    });

    it('gives every property (recursively) a type, nullable except the keys', () => {
      for (const [at, sub] of subSchemas(schema, stream)) {
        expect([at, sub['type'] !== undefined]).toEqual([at, true]);
        const isKey = at.split('.').length === 2 && keys.includes(at.split('.')[1] ?? '');
        if (!isKey) expect([at, typesOf(sub).includes('null')]).toEqual([at, true]);
      }
    });

    it('declares the key properties as non-null strings / integers', () => {
      for (const k of keys) {
        const p = props[k];
        expect([k, p !== undefined]).toEqual([k, true]);
        expect([k, ['string', 'integer'].includes(p?.['type'] as string)]).toEqual([k, true]);
      }
    });

    it('has the replication columns of its mode', () => {
      const dt = { type: ['null', 'string'], format: 'date-time' };
      if (mode === 'update') {
        expect(props['updated_at']).toMatchObject(dt);
        expect(props['_sdc_deleted_at']).toMatchObject(dt);
      } else {
        expect(props['_sdc_deleted_at']).toBeUndefined();
      }
      if (mode === 'append') expect(props['created_at']).toMatchObject(dt);
    });

    it('accepts a row of nulls (keys set) and a tombstone under both drafts', () => {
      const keyRow = Object.fromEntries(keys.map((k) => [k, props[k]?.['type'] === 'integer' ? 0 : 'k']));
      const nullRow = { ...Object.fromEntries(Object.keys(props).map((p) => [p, null])), ...keyRow };
      const tombstone = { ...keyRow, _sdc_deleted_at: '2024-01-01T00:00:00.000Z' };
      const { a2020, a4 } = newAjvs();
      for (const ajv of [a2020, a4]) {
        const validate = ajv.compile(schema);
        expect([validate(nullRow), validate.errors]).toEqual([true, null]);
        if (mode === 'update') expect([validate(tombstone), validate.errors]).toEqual([true, null]);
      }
    });
  });
});
