import { snakeCase } from '../util/case';
import { toRfc3339 } from '../util/time';
import type { JsonSchema } from '../singer/writer';
import type { Resource } from '../http/jsonapi';
import type { Source } from './kinds';
import { relationshipKey } from './transforms';

/** Turns source rows (camelCase, as Kustomer names them) into the records their schema declares. */
export interface Projector {
  /** A row, optionally layered: `defaults` first, then `row`, then `overrides` (later wins; no merged copy). */
  (row: Source, defaults?: Source, overrides?: Source): Record<string, unknown>;
  /** A JSON:API resource read in place, as `flattenResource` would flatten it (id, attributes, relationships). */
  resource(res: Resource): Record<string, unknown>;
}
type ValueProjector = (value: unknown) => unknown;
type Entry = readonly [string, ValueProjector] | null;

/**
 * Compiles a stream schema once into a projector that:
 *  - renames keys to snake_case and keeps only declared properties (targets reject or drop the rest);
 *  - emits every declared top-level property, null when absent (CSV-like targets take columns from the first row);
 *  - writes date-times as RFC3339 UTC `Z`, strips NUL characters from strings (Postgres rejects them), and
 *    coerces scalars whose JSON type differs from the schema's;
 *  - keeps `custom` keys verbatim: they are the org's own attribute names.
 * It reads its inputs in place (layers, or a resource's attributes and relationships): the hot path allocates
 * only the output record.
 */
export function compileProjector(schema: JsonSchema): Projector {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(props);
  const fields = new Map<string, ValueProjector>();
  for (const name of names) fields.set(name, name === 'custom' ? verbatimObject(props[name]!) : compileValue(props[name]!));
  const template: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, null]));
  // Source key → [column, projector], or null for keys the schema drops: one lookup per key on the hot path.
  const bySourceKey = new Map<string, Entry>();
  const lookup = (key: string): Entry => {
    let entry = bySourceKey.get(key);
    if (entry === undefined) {
      const name = snakeCase(key);
      const project = fields.get(name);
      entry = project === undefined ? null : ([name, project] as const);
      bySourceKey.set(key, entry);
    }
    return entry;
  };
  const put = (out: Record<string, unknown>, key: string, value: unknown) => {
    const entry = lookup(key);
    if (entry !== null) out[entry[0]] = value === undefined || value === null ? null : entry[1](value);
  };
  const layer = (out: Record<string, unknown>, row: Source | undefined) => {
    if (row !== undefined) for (const key in row) put(out, key, row[key]);
  };
  const project = ((row: Source, defaults?: Source, overrides?: Source) => {
    const out: Record<string, unknown> = { ...template };
    layer(out, defaults);
    layer(out, row);
    layer(out, overrides);
    return out;
  }) as Projector;
  project.resource = (res: Resource) => {
    const out: Record<string, unknown> = { ...template };
    if (res.id !== undefined) put(out, 'id', res.id);
    layer(out, res.attributes);
    const rels = res.relationships;
    if (rels) {
      for (const name in rels) {
        const data = rels[name]?.data;
        if (data === undefined || data === null) continue;
        if (Array.isArray(data)) put(out, relationshipKey(name, true), data.map((d) => d.id));
        else put(out, relationshipKey(name, false), data.id);
      }
    }
    if (res.links?.self !== undefined) put(out, 'selfUrl', res.links.self);
    if (res.links?.related !== undefined) put(out, 'relatedUrl', res.links.related);
    return out;
  };
  return project;
}

function types(schema: JsonSchema): string[] {
  const t = schema.type;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).filter((x): x is string => typeof x === 'string' && x !== 'null');
}

function compileValue(schema: JsonSchema): ValueProjector {
  // Values Kustomer returns with several JSON types are declared as JSON text (targets type columns by one type).
  if (schema.contentMediaType === 'application/json') return toJsonText;
  const t = types(schema);
  if (t.length !== 1) return identity; // several JSON types allowed: pass through as returned
  switch (t[0]) {
    case 'string':
      return schema.format === 'date-time' ? toRfc3339 : toText;
    case 'integer':
      return toInteger;
    case 'number':
      return toNumber;
    case 'boolean':
      return toBoolean;
    case 'array': {
      const items = schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items) ? compileValue(schema.items as JsonSchema) : identity;
      return (v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? null : items(x))) : null);
    }
    case 'object':
      return schema.properties ? compileNested(schema) : identity;
    default:
      return identity;
  }
}

/** Nested declared objects: snake_case keys, declared keys only (plus undeclared ones if the schema allows them). */
function compileNested(schema: JsonSchema): ValueProjector {
  const props = schema.properties as Record<string, JsonSchema>;
  const fields = new Map(Object.entries(props).map(([n, s]) => [n, compileValue(s)] as const));
  const keepExtra = schema.additionalProperties === true;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const out: Record<string, unknown> = {};
    for (const key in value as Source) {
      const v = (value as Source)[key];
      const name = snakeCase(key);
      const project = fields.get(name);
      if (project !== undefined) out[name] = v === undefined || v === null ? null : project(v);
      else if (keepExtra) out[name] = v;
    }
    return out;
  };
}

/** `custom`: keys kept as Kustomer names them; declared date-times normalised, other values passed through. */
function verbatimObject(schema: JsonSchema): ValueProjector {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const fields = new Map(Object.entries(props).map(([n, s]) => [n, compileValue(s)] as const));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const out: Record<string, unknown> = {};
    for (const key in value as Source) {
      const v = (value as Source)[key];
      const project = fields.get(key);
      out[key] = project && v !== null && v !== undefined ? project(v) : (v ?? null);
    }
    return out;
  };
}

const identity: ValueProjector = (v) => v;

/** The value as JSON text, whatever its type ("email" → `"email"`), so one string column holds every shape. */
const toJsonText: ValueProjector = (v) => JSON.stringify(v);

function toText(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('\u0000') ? v.replace(/\u0000/g, '') : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function toNumber(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function toInteger(v: unknown): unknown {
  const n = toNumber(v);
  return typeof n === 'number' && Number.isInteger(n) ? n : typeof n === 'number' ? Math.round(n) : null;
}

function toBoolean(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}
