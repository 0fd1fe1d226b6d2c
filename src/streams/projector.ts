import { snakeCase } from '../util/case';
import { toRfc3339 } from '../util/time';
import type { JsonSchema } from '../singer/writer';
import type { Resource } from '../kustomer-client/jsonapi';
import type { Source } from './kinds';
import { LINK_KEYS, relationshipKey } from './transforms';
import { EXTRA_COLUMN } from './schemas';

/** Turns source rows (camelCase, as Kustomer names them) into the records their schema declares. */
export interface Projector {
  /**
   * A row, optionally layered: `defaults` first, then `row`, then `overrides` (later non-null wins; no merged copy).
   * `defaults` and `overrides` are the tap's own (position, parent id and time): dropped where the schema lacks them.
   */
  (row: Source, defaults?: Source, overrides?: Source): Record<string, unknown>;
  /** A JSON:API resource read in place, as `flattenResource` would flatten it (id, attributes, relationships). */
  resource(res: Resource): Record<string, unknown>;
}


/**
 * Why a value went to the extra column instead of its own: `undeclared` (no such column), `type` (its column's JSON
 * type cannot hold it) or `nested` (inside a declared object or array: a key its schema lacks, or a misfit value).
 */
export type ExtraReason = 'undeclared' | 'type' | 'nested';

export interface ProjectorOptions {
  /** Other spellings Kustomer uses for a declared attribute: source key → the key the schema is named after. */
  aliases?: Readonly<Record<string, string>>;
  /** Declared columns the user deselected: their values are dropped, not kept in the extra column. */
  deselected?: ReadonlySet<string>;
  /**
   * Called once per name whose values go to the extra column: `key` is the source key (`undeclared`, `type`) or the
   * nested path with positions as `[]` (`nested`); `column` is where the value sits in `_sdc_extra`.
   */
  onExtra?: (reason: ExtraReason, key: string, column: string) => void;
}

type ValueProjector = (value: unknown) => unknown;
/** Where a source key goes: [column, projector] for a declared column, [column, null] for the extra column. */
type Entry = readonly [string, ValueProjector | null] | null;

/**
 * Compiles a stream schema once into a projector that:
 *  - renames keys to snake_case (after resolving the stream's aliases) and emits every declared top-level property,
 *    null when absent (CSV-like targets take columns from the first row);
 *  - keeps every non-null value the schema does not declare in `_sdc_extra`, a JSON text object keyed by the column
 *    name the value would have (null when there is none), so no target needs a schema change; values a declared
 *    column cannot hold go there too, and so do undeclared keys inside declared objects, under their path
 *    (`first_message_in.extra_key`, `emails[0].extra_key`). Deselected columns are dropped; links (`selfUrl`) are
 *    never extras;
 *  - never lets a null overwrite a value: when two sources map to one column (an attribute and a relationship, a
 *    spelling and its alias, a child row's defaults and its own fields), the last non-null one wins, in source
 *    order: id, attributes, relationships, links; or defaults, row, overrides;
 *  - writes date-times as RFC3339 UTC `Z`, strips NUL characters from strings (Postgres rejects them), and
 *    coerces scalars whose JSON type differs from the schema's;
 *  - keeps `custom` keys verbatim: they are the org's own attribute names.
 * It reads its inputs in place (layers, or a resource's attributes and relationships): the hot path allocates
 * only the output record, plus the extra object and its text when a record carries something undeclared.
 */
export function compileProjector(schema: JsonSchema, options: ProjectorOptions = {}): Projector {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(props);
  const fields = new Map<string, ValueProjector>();
  const lost: Leftovers = { found: undefined };
  for (const name of names) fields.set(name, name === 'custom' ? verbatimObject(props[name]!, lost) : compileValue(props[name]!, lost));
  fields.delete(EXTRA_COLUMN); // filled from what is left over, never from a source key
  const keepExtra = Object.prototype.hasOwnProperty.call(props, EXTRA_COLUMN);
  const { aliases = {}, deselected = new Set<string>(), onExtra } = options;
  const template: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, null]));
  // Source key → entry: one lookup per key on the hot path.
  const bySourceKey = new Map<string, Entry>();
  const lookup = (key: string): Entry => {
    let entry = bySourceKey.get(key);
    if (entry === undefined) {
      const name = snakeCase(Object.prototype.hasOwnProperty.call(aliases, key) ? aliases[key]! : key);
      const project = fields.get(name);
      entry = project !== undefined ? ([name, project] as const) : deselected.has(name) || LINK_KEYS.has(key) ? null : ([name, null] as const);
      bySourceKey.set(key, entry);
    }
    return entry;
  };
  // Reported once each (`undeclared:<key>`, `type:<column>`, `nested:<path>`); touched only for extra values.
  const reported = new Set<string>();
  const report = (reason: ExtraReason, key: string, column: string) => {
    const id = reason === 'type' ? `type:${column}` : `${reason}:${key}`;
    if (reported.has(id)) return;
    reported.add(id);
    onExtra?.(reason, key, column);
  };
  // The record being built's leftovers; reset per record, allocated only when there is one.
  let extra: Record<string, unknown> | undefined;
  const keep = (column: string, value: unknown) => {
    if (keepExtra) (extra ??= {})[column] = value;
  };
  /** `fromSource` false: a value the tap offers (a child row's index and parent updatedAt), dropped if undeclared. */
  const put = (out: Record<string, unknown>, key: string, value: unknown, fromSource = true) => {
    if (value === undefined || value === null) return; // a null never overwrites (see above); columns start null
    const entry = lookup(key);
    if (entry === null) return;
    const project = entry[1];
    if (project === null) {
      if (!fromSource) return;
      keep(entry[0], value);
      return report('undeclared', key, entry[0]);
    }
    const projected = project(value);
    if (projected !== null) out[entry[0]] = projected;
    else {
      keep(entry[0], value);
      report('type', key, entry[0]);
    }
    if (lost.found !== undefined) keepLeftovers(entry[0]);
  };
  /** What a nested value left behind, under `<column>.<path>` (`first_message_in.extra_key`, `emails[0].extra_key`). */
  const keepLeftovers = (column: string) => {
    for (const [path, value] of lost.found!) {
      const where = joinPath(column, path);
      keep(where, value);
      report('nested', where.replace(/\[\d+\]/g, '[]'), where);
    }
    lost.found = undefined;
  };
  const layer = (out: Record<string, unknown>, row: Source | undefined, fromSource: boolean) => {
    if (row !== undefined) for (const key in row) put(out, key, row[key], fromSource);
  };
  const finish = (out: Record<string, unknown>): Record<string, unknown> => {
    if (extra !== undefined) out[EXTRA_COLUMN] = JSON.stringify(extra);
    return out;
  };
  const project = ((row: Source, defaults?: Source, overrides?: Source) => {
    const out: Record<string, unknown> = { ...template };
    extra = undefined;
    lost.found = undefined;
    layer(out, defaults, false);
    layer(out, row, true);
    layer(out, overrides, false);
    return finish(out);
  }) as Projector;
  project.resource = (res: Resource) => {
    const out: Record<string, unknown> = { ...template };
    extra = undefined;
    lost.found = undefined;
    if (res.id !== undefined) put(out, 'id', res.id);
    layer(out, res.attributes, true);
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
    return finish(out);
  };
  return project;
}

function types(schema: JsonSchema): string[] {
  const t = schema.type;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).filter((x): x is string => typeof x === 'string' && x !== 'null');
}

/**
 * What the projection of one top-level value left behind inside it: undeclared keys of nested declared objects and
 * nested values their type cannot hold, as [path below the value, raw value]. Shared by a projector's nested value
 * projectors; untouched (one property read per nested value) unless something is left behind.
 */
interface Leftovers {
  found: Array<[string, unknown]> | undefined;
}

/** Prefixes the leftovers found since `mark` with `head`: `foo` + `bar` → `foo.bar`, `foo` + `[0].bar` → `foo[0].bar`. */
function underPath(lost: Leftovers, mark: number, head: string): void {
  const found = lost.found!;
  for (let i = mark; i < found.length; i++) {
    const entry = found[i]!;
    entry[0] = joinPath(head, entry[0]);
  }
}

function joinPath(head: string, path: string): string {
  return path.startsWith('[') ? head + path : `${head}.${path}`;
}

function compileValue(schema: JsonSchema, lost: Leftovers): ValueProjector {
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
      const items = schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items) ? compileValue(schema.items as JsonSchema, lost) : identity;
      return (v) => (Array.isArray(v) ? v.map((x, i) => (x === null || x === undefined ? null : item(items, x, i, lost))) : null);
    }
    case 'object':
      return schema.properties ? compileNested(schema, lost) : identity;
    default:
      return identity;
  }
}

/** One array item; what it leaves behind is filed under its position (`[2].extra_key`). */
function item(project: ValueProjector, x: unknown, index: number, lost: Leftovers): unknown {
  const mark = lost.found === undefined ? 0 : lost.found.length;
  const out = project(x);
  if (out === null) (lost.found ??= []).push([`[${index}]`, x]);
  else if (lost.found !== undefined && lost.found.length > mark) underPath(lost, mark, `[${index}]`);
  return out;
}

/**
 * Nested declared objects: snake_case keys, declared keys only (plus undeclared ones if the schema allows them);
 * other keys, and values their declared type cannot hold, are left to the record's `_sdc_extra` (see Leftovers).
 */
function compileNested(schema: JsonSchema, lost: Leftovers): ValueProjector {
  const props = schema.properties as Record<string, JsonSchema>;
  const fields = new Map(Object.entries(props).map(([n, s]) => [n, compileValue(s, lost)] as const));
  const keepExtra = schema.additionalProperties === true;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const out: Record<string, unknown> = {};
    for (const key in value as Source) {
      const v = (value as Source)[key];
      const name = snakeCase(key);
      const project = fields.get(name);
      if (project !== undefined) {
        if (v === undefined || v === null) {
          out[name] = null;
          continue;
        }
        const mark = lost.found === undefined ? 0 : lost.found.length;
        const projected = project(v);
        out[name] = projected;
        if (projected === null) (lost.found ??= []).push([name, v]);
        else if (lost.found !== undefined && lost.found.length > mark) underPath(lost, mark, name);
      } else if (keepExtra) out[name] = v;
      else if (v !== undefined && v !== null) (lost.found ??= []).push([name, v]);
    }
    return out;
  };
}

/** `custom`: keys kept as Kustomer names them; declared date-times normalised, other values passed through. */
function verbatimObject(schema: JsonSchema, lost: Leftovers): ValueProjector {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const fields = new Map(Object.entries(props).map(([n, s]) => [n, compileValue(s, lost)] as const));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const out: Record<string, unknown> = {};
    for (const key in value as Source) {
      const v = (value as Source)[key];
      const project = fields.get(key);
      if (project === undefined || v === null || v === undefined) {
        out[key] = v ?? null;
        continue;
      }
      const projected = project(v);
      out[key] = projected;
      // A custom value its metadata type cannot hold: keep it, verbatim key and all, next to the column's null.
      if (projected === null) (lost.found ??= []).push([key, v]);
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
