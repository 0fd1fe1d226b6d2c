import { snakeCase } from '../util/case';
import { toRfc3339 } from '../util/time';
import type { JsonSchema } from '../singer/writer';
import type { Source } from './kinds';

/** Turns a source row (camelCase, as Kustomer names it) into the record its schema declares. */
export type Projector = (row: Source) => Record<string, unknown>;
type ValueProjector = (value: unknown) => unknown;

/**
 * Compiles a stream schema once into a projector that:
 *  - renames keys to snake_case and keeps only declared properties (targets reject or drop the rest);
 *  - emits every declared top-level property, null when absent (CSV-like targets take columns from the first row);
 *  - writes date-times as RFC3339 UTC `Z`, strips NUL characters from strings (Postgres rejects them), and
 *    coerces scalars whose JSON type differs from the schema's;
 *  - keeps `custom` keys verbatim: they are the org's own attribute names.
 */
export function compileProjector(schema: JsonSchema): Projector {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(props);
  const fields = new Map<string, ValueProjector>();
  for (const name of names) fields.set(name, name === 'custom' ? verbatimObject(props[name]!) : compileValue(props[name]!));
  const template: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, null]));
  // Source key → [column, projector], or null for keys the schema drops: one lookup per key on the hot path.
  const bySourceKey = new Map<string, readonly [string, ValueProjector] | null>();
  const resolve = (key: string) => {
    const name = snakeCase(key);
    const project = fields.get(name);
    const entry = project === undefined ? null : ([name, project] as const);
    bySourceKey.set(key, entry);
    return entry;
  };
  return (row) => {
    const out: Record<string, unknown> = { ...template };
    for (const key in row) {
      const entry = bySourceKey.has(key) ? bySourceKey.get(key)! : resolve(key);
      if (entry !== null) {
        const value = row[key];
        out[entry[0]] = value === undefined || value === null ? null : entry[1](value);
      }
    }
    return out;
  };
}

function types(schema: JsonSchema): string[] {
  const t = schema.type;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).filter((x): x is string => typeof x === 'string' && x !== 'null');
}

function compileValue(schema: JsonSchema): ValueProjector {
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
