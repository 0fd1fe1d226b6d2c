import * as z from '../lean-zod';
import { InputError } from '../errors';
import type { JsonSchema } from './writer';

export type Breadcrumb = string[];
export interface MetadataEntry {
  breadcrumb: Breadcrumb;
  metadata: Record<string, unknown>;
}

export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  replication_method: 'FULL_TABLE' | 'INCREMENTAL';
  replication_key?: string;
  metadata: MetadataEntry[];
  [legacy: string]: unknown;
}

export interface Catalog {
  streams: CatalogEntry[];
}

/** Singer says `selected` is a boolean; a string "true" is a typo we refuse rather than silently ignore. */
const MetadataSchema = z.looseObject({
  breadcrumb: z.array(z.string()),
  metadata: z.looseObject({ selected: z.boolean().optional(), inclusion: z.enum(['available', 'automatic', 'unsupported']).optional() }),
});
const EntrySchema = z.looseObject({
  tap_stream_id: z.string().min(1).optional(),
  stream: z.string().min(1),
  schema: z.looseObject({ properties: z.record(z.string(), z.looseObject({})).optional() }),
  key_properties: z.array(z.string()).optional(),
  metadata: z.array(MetadataSchema).optional(),
  selected: z.boolean().optional(),
});
const CatalogSchema = z.looseObject({ streams: z.array(EntrySchema) });

export function parseCatalog(input: unknown, source = 'catalog'): Catalog {
  const result = CatalogSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${source} error: ${issue.path.join('.') || 'catalog'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const entry of result.data.streams) {
    const id = entry.tap_stream_id ?? entry.stream;
    if (seen.has(id)) throw new InputError(`${source} error: stream ${id} appears twice`);
    seen.add(id);
  }
  return result.data as unknown as Catalog;
}

function metaAt(entry: CatalogEntry, breadcrumb: Breadcrumb): Record<string, unknown> | undefined {
  const key = JSON.stringify(breadcrumb);
  return entry.metadata?.find((m) => JSON.stringify(m.breadcrumb) === key)?.metadata;
}

/**
 * Is the stream selected? Metadata `selected` first, then the legacy underscored top-level `selected` Meltano also
 * writes, then `selected-by-default`. `unsupported` never syncs.
 */
export function isStreamSelected(entry: CatalogEntry): boolean {
  const root = metaAt(entry, []) ?? {};
  if (root.inclusion === 'unsupported') return false;
  if (typeof root.selected === 'boolean') return root.selected;
  if (typeof entry.selected === 'boolean') return entry.selected;
  return root['selected-by-default'] === true;
}

/**
 * The schema to sync: deselected fields are removed (field-level selection), keys and the replication key stay
 * (`automatic` beats `selected: false`).
 */
export function selectedSchema(entry: CatalogEntry, mustKeep: readonly string[]): JsonSchema {
  const props = { ...((entry.schema.properties ?? {}) as Record<string, JsonSchema>) };
  for (const name of Object.keys(props)) {
    const meta = metaAt(entry, ['properties', name]);
    if (!meta || mustKeep.includes(name) || meta.inclusion === 'automatic') continue;
    if (meta.inclusion === 'unsupported' || meta.selected === false) delete props[name];
  }
  return { ...entry.schema, properties: props };
}
