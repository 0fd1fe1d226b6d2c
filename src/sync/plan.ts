import type { Config } from '../config';
import type { Logger } from '../log';
import type { OrgFacts } from '../org-facts';
import { isStreamSelected, selectedSchema, type Catalog, type CatalogEntry } from '../singer/catalog';
import type { SingerWriter } from '../singer/writer';
import { InputError } from '../errors';
import { availableStreams, catalogEntries } from '../streams/catalog-entries';
import { replicationOf, rootOf } from '../streams/graph';
import type { RootDef, StreamDef } from '../streams/kinds';
import { isPerKlassStream, unknownKlassStreamMessage } from '../streams/kobjects';
import type { Family } from './family';
import { StreamOutput } from './output';

/**
 * What a run syncs: the streams this org offers, the catalog's selection among them, grouped into families (a root
 * and the streams riding on its pass). A bad catalog is an input error here, before anything is written.
 */

/** The streams this org offers and the selected ones grouped into families (from the catalog, or discovered). */
export async function planFamilies(
  config: Config,
  catalog: Catalog | undefined,
  writer: SingerWriter,
  facts: OrgFacts,
  logger?: Logger,
): Promise<{ defs: StreamDef[]; entries: readonly CatalogEntry[]; families: Family[] }> {
  const defs = await availableStreams(config, facts);
  const entries = catalog ? catalog.streams : await catalogEntries(defs, facts);
  return { defs, entries, families: buildFamilies(defs, entries, writer, logger) };
}

/**
 * Groups the selected catalog entries into families; unknown streams are a bad catalog. `logger` hears about
 * attributes a stream's schema lacks (see StreamOutput).
 */
function buildFamilies(defs: readonly StreamDef[], entries: readonly CatalogEntry[], writer: SingerWriter, logger?: Logger): Family[] {
  const byName = new Map(defs.map((d) => [d.name, d] as const));
  const outputs = new Map<string, StreamOutput>();
  for (const entry of entries) {
    const name = entry.tap_stream_id ?? entry.stream;
    const def = byName.get(name);
    if (!def) {
      if (isPerKlassStream(name)) throw new InputError(unknownKlassStreamMessage(name));
      throw new InputError(`catalog error: unknown stream ${JSON.stringify(name)} (run --discover for the list)`);
    }
    if (!isStreamSelected(entry)) continue;
    const { key } = replicationOf(def, defs);
    const schema = selectedSchema(entry, [...def.keys, ...(key ? [key] : []), '_sdc_deleted_at']);
    outputs.set(name, new StreamOutput(def, schema, writer, key, entry.schema, logger));
  }
  const families: Family[] = [];
  for (const root of defs.filter((d): d is RootDef => d.kind === 'list' || d.kind === 'search' || d.kind === 'audit')) {
    const members = defs.filter((d) => rootOf(d, defs) === root);
    const selected = new Map(members.filter((m) => outputs.has(m.name)).map((m) => [m.name, outputs.get(m.name)!] as const));
    if (selected.size) families.push({ root, members, outputs: selected });
  }
  return families;
}

/** `currently_syncing` may name a child stream (older state): resume with its root. */
export function rootName(name: string | null | undefined, defs: readonly StreamDef[]): string | null {
  const def = name ? defs.find((d) => d.name === name) : undefined;
  return def ? rootOf(def, defs).name : null;
}
