import type { Config } from '../config';
import type { OrgFacts } from '../org-facts';
import type { CatalogEntry } from '../singer/catalog';
import { catalogEntry } from '../singer/catalog-entry';
import type { JsonSchema } from '../singer/writer';
import { replicationOf } from './graph';
import type { StreamDef } from './kinds';
import { ALL_KLASSES, klassMetadataResource, perKlassStreams, schemaFileOf } from './kobjects';
import { loadSchema, withCustomAttributes } from './schemas';
import { STREAMS } from './table';

/**
 * Catalog entries built from the stream table and the org's facts: what `--discover` prints, and what a sync
 * without `--catalog` selects from.
 */

/** Every stream this org offers: the table, plus per-klass KObject streams when enabled. */
export async function availableStreams(config: Config, facts: OrgFacts): Promise<StreamDef[]> {
  const defs: StreamDef[] = [...STREAMS];
  if (config.kobject_streams_per_klass) {
    const allKlasses = STREAMS.find((d): d is Extract<(typeof STREAMS)[number], { name: 'kobjects' }> => d.name === 'kobjects')!;
    defs.push(...perKlassStreams(await facts.klasses(), allKlasses));
  }
  return defs;
}

/** The schema a stream is discovered with: its file, plus the org's typed custom attributes. */
async function discoveredSchema(def: StreamDef, facts: OrgFacts): Promise<JsonSchema> {
  const schema = loadSchema(schemaFileOf(def.name));
  if (!def.customFrom) return schema;
  let names: string[];
  if (def.customFrom === ALL_KLASSES) {
    // The all-klass stream types the union of every klass's attributes.
    const klasses = await facts.klasses();
    names = (await Promise.all(klasses.map((k) => facts.customAttributes(klassMetadataResource(k.name))))).flat();
  } else names = await facts.customAttributes(def.customFrom);
  return withCustomAttributes(schema, new Set(names));
}

/** Catalog entries for these streams, schemas typed with the org's custom attributes. */
export function catalogEntries(defs: StreamDef[], facts: OrgFacts): Promise<CatalogEntry[]> {
  return Promise.all(
    defs.map(async (def) => {
      const { method, key } = replicationOf(def, defs);
      return catalogEntry({
        name: def.name,
        schema: await discoveredSchema(def, facts),
        keys: def.keys,
        method,
        replicationKey: key,
        selectedByDefault: def.selectedByDefault ?? true,
        description: def.doc,
      });
    }),
  );
}
