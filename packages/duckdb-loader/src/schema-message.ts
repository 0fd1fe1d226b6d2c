/** A SCHEMA message, checked: the stream, its data columns with their wanted types, and its key properties. */
import { columnTypeFor, META_NAMES } from './column-types';
import type { WantedColumn } from './table-ddl';
import { TargetInputError } from './types';
import { isPlainObject } from './values';

export interface StreamSchema {
  stream: string;
  /** Every property the schema declares (metadata names included): the fields a record may carry. */
  properties: string[];
  /** The data columns: properties other than the loader's metadata columns. */
  wanted: WantedColumn[];
  keys: string[];
  /** Columns and keys as one string; an identical SCHEMA again changes nothing. */
  signature: string;
}

/** Throws TargetInputError (prefixed with `where`) for a SCHEMA the loader cannot turn into a table. */
export function parseSchemaMessage(msg: Record<string, unknown>, where: string): StreamSchema {
  const stream = msg['stream'];
  const schema = msg['schema'];
  const rawKeys = msg['key_properties'] ?? [];
  if (typeof stream !== 'string' || stream === '') throw new TargetInputError(`${where}: SCHEMA without a "stream"`);
  if (!isPlainObject(schema) || !isPlainObject(schema['properties'])) {
    throw new TargetInputError(`${where}: SCHEMA for stream "${stream}" has no "schema.properties" object`);
  }
  if (!Array.isArray(rawKeys) || !rawKeys.every((k): k is string => typeof k === 'string')) {
    throw new TargetInputError(`${where}: SCHEMA for stream "${stream}" has a "key_properties" that is not a list of names`);
  }
  const properties = schema['properties'];
  const keys = [...rawKeys];

  const wanted: WantedColumn[] = [];
  const seen = new Map<string, string>();
  for (const [prop, def] of Object.entries(properties)) {
    const lower = prop.toLowerCase();
    if (META_NAMES.has(lower)) continue;
    const clash = seen.get(lower);
    if (clash !== undefined) {
      throw new TargetInputError(
        `${where}: stream "${stream}" has properties "${clash}" and "${prop}", which differ only in case (DuckDB column names are case-insensitive)`,
      );
    }
    seen.set(lower, prop);
    wanted.push({ prop, type: columnTypeFor(def) });
  }
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(properties, k) || META_NAMES.has(k.toLowerCase())) {
      throw new TargetInputError(`${where}: key property "${k}" of stream "${stream}" is not a property of its schema`);
    }
  }
  return { stream, properties: Object.keys(properties), wanted, keys, signature: JSON.stringify([wanted, keys]) };
}
