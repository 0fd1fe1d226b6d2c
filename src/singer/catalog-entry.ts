import type { CatalogEntry, MetadataEntry } from './catalog';
import type { JsonSchema } from './writer';

// Apart from the catalog's parser (./catalog): `--discover` builds entries and never parses a catalog, so it loads
// neither that parser nor the zod schemas it builds as it loads (issue 13, start-up CPU).

export interface StreamCatalogFacts {
  name: string;
  schema: JsonSchema;
  keys: readonly string[];
  method: 'FULL_TABLE' | 'INCREMENTAL';
  replicationKey?: string;
  selectedByDefault: boolean;
  description: string;
}

/** A discovered catalog entry, in the shape singer-python and the Meltano SDK both read. */
export function catalogEntry(facts: StreamCatalogFacts): CatalogEntry {
  const automatic = new Set<string>([...facts.keys, ...(facts.replicationKey ? [facts.replicationKey] : [])]);
  const root: Record<string, unknown> = {
    inclusion: 'available',
    'selected-by-default': facts.selectedByDefault,
    'table-key-properties': [...facts.keys],
    'forced-replication-method': facts.method,
    'valid-replication-keys': facts.replicationKey ? [facts.replicationKey] : [],
  };
  if (facts.replicationKey) root['replication-key'] = facts.replicationKey;
  const metadata: MetadataEntry[] = [{ breadcrumb: [], metadata: root }];
  for (const prop of Object.keys((facts.schema.properties ?? {}) as object)) {
    metadata.push({ breadcrumb: ['properties', prop], metadata: { inclusion: automatic.has(prop) ? 'automatic' : 'available' } });
  }
  const entry: CatalogEntry = {
    tap_stream_id: facts.name,
    stream: facts.name,
    schema: facts.schema,
    key_properties: [...facts.keys],
    replication_method: facts.method,
    metadata,
  };
  if (facts.replicationKey) entry.replication_key = facts.replicationKey;
  return entry;
}
