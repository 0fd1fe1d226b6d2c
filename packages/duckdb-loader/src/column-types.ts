/**
 * JSON Schema → DuckDB column types: the type a property gets, how an existing column widens when a new schema
 * disagrees with it, and the SQL that converts values on the way. Plus the metadata columns the loader owns.
 */
import type { ColumnType } from './types';
import { isPlainObject } from './values';

/** Metadata columns the target owns; a schema property with one of these names is not a data column. */
/**
 * `stage` is the column of the staging table that carries the value; `keepOld` says whether a soft-delete row keeps
 * the stored value when the tombstone has none (a tombstone without time_extracted or version), instead of taking
 * the tombstone's own. Every statement of flush.ts takes the metadata columns from here, in this order.
 */
export const META_COLUMNS = [
  { name: '_sdc_extracted_at', type: 'TIMESTAMPTZ', stage: '__ext', keepOld: true },
  { name: '_sdc_received_at', type: 'TIMESTAMPTZ', stage: '__rcv', keepOld: false },
  { name: '_sdc_deleted_at', type: 'TIMESTAMPTZ', stage: '__del', keepOld: false },
  { name: '_sdc_table_version', type: 'BIGINT', stage: '__ver', keepOld: true },
  { name: '_sdc_sequence', type: 'BIGINT', stage: '__seq', keepOld: false },
] as const satisfies readonly { name: string; type: ColumnType; stage: string; keepOld: boolean }[];
export const META_NAMES = new Set<string>(META_COLUMNS.map((c) => c.name));

/** The DuckDB column type for one JSON Schema property. "null" is ignored; no type, several types (other than
 * integer+number) or object/array give JSON. */
export function columnTypeFor(prop: unknown): ColumnType {
  const types = new Set<string>();
  let dateTime = false;
  const collect = (node: unknown, depth: number): void => {
    if (!isPlainObject(node) || depth > 8) return;
    const t = node['type'];
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') types.add(x);
    if (node['format'] === 'date-time') dateTime = true;
    for (const k of ['anyOf', 'oneOf'] as const) {
      const branches = node[k];
      if (Array.isArray(branches)) for (const b of branches) collect(b, depth + 1);
    }
  };
  collect(prop, 0);
  types.delete('null');
  if (types.size === 2 && types.has('integer') && types.has('number')) return 'DOUBLE';
  if (types.size !== 1) return 'JSON';
  switch ([...types][0]) {
    case 'string':
      return dateTime ? 'TIMESTAMPTZ' : 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'JSON';
  }
}

/** Normalises a DuckDB `data_type` as information_schema reports it. */
export function normaliseDbType(raw: string): string {
  const t = raw.toUpperCase();
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  return t;
}

const KNOWN_TYPES = new Set<string>(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMPTZ', 'JSON']);

/** The type an existing column must have to hold both what it holds and values of `wanted`. Widening only:
 * BIGINT+DOUBLE -> DOUBLE, anything+JSON -> JSON, any other disagreement -> VARCHAR. A column of a type this target
 * does not create (made by another tool) is left as it is. */
export function widenType(existing: string, wanted: ColumnType): string {
  if (existing === wanted) return existing;
  if (!KNOWN_TYPES.has(existing)) return existing;
  if (existing === 'JSON' || wanted === 'JSON') return 'JSON';
  if (existing === 'VARCHAR') return 'VARCHAR';
  if ((existing === 'BIGINT' || existing === 'DOUBLE') && (wanted === 'BIGINT' || wanted === 'DOUBLE')) return 'DOUBLE';
  return 'VARCHAR';
}

/** SQL that converts column `col` from type `from` to `to` when a column is widened (existing rows). */
export function convertExpr(col: string, from: string, to: string): string {
  if (from === to) return col;
  const isoText = `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (to === 'JSON') return from === 'TIMESTAMPTZ' ? `to_json(${isoText})` : `to_json(${col})`;
  if (to === 'VARCHAR' && from === 'TIMESTAMPTZ') return isoText;
  return `CAST(${col} AS ${to})`;
}

/** SQL that casts a staged VARCHAR to its column's type. */
export function castExpr(expr: string, type: string): string {
  return type === 'VARCHAR' ? expr : `CAST(${expr} AS ${type})`;
}
