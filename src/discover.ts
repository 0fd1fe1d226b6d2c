import type { KustomerClient } from './http/client';
import { ForbiddenError } from './http/errors';
import { parseSingleDocument, type Resource } from './http/jsonapi';
import { listPages } from './paging/links';
import { pageSizeFor } from './paging/page-size';
import type { Logger } from './log';
import type { Config } from './config';
import { catalogEntry, type Catalog, type CatalogEntry } from './singer/catalog';
import { search, type ListStream, type SearchStream, type StreamDef } from './streams/kinds';
import { loadSchema, withCustomAttributes } from './streams/schemas';
import { METADATA_ABSENT, STREAMS } from './streams/table';
import { withKlassName } from './streams/transforms';
import type { JsonSchema } from './singer/writer';

/** The klass list is read with the `klasses` stream's endpoint and role. */
const KLASSES_STREAM = STREAMS.find((s): s is ListStream & { path: string } => s.kind === 'list' && s.name === 'klasses')!;

export interface Klass {
  id: string;
  name: string;
}

/**
 * What the org looks like beyond the fixed table: its KObject klasses and its custom attributes.
 * Each is fetched once per run and only if needed (discovery runs before every Meltano sync: keep it cheap).
 */
export class OrgFacts {
  private klassList: Promise<Klass[]> | undefined;
  private readonly metadata = new Map<string, Promise<string[]>>();

  constructor(
    private readonly client: KustomerClient,
    private readonly logger: Logger,
  ) {}

  klasses(): Promise<Klass[]> {
    this.klassList ??= this.fetchKlasses();
    return this.klassList;
  }

  /** Custom attribute names of a metadata resource (`customer`, `kobject.<klass>`…); [] if unreadable. */
  customAttributes(resource: string): Promise<string[]> {
    let names = this.metadata.get(resource);
    if (!names) this.metadata.set(resource, (names = this.fetchMetadata(resource)));
    return names;
  }

  private async fetchKlasses(): Promise<Klass[]> {
    const out: Klass[] = [];
    try {
      const def = KLASSES_STREAM;
      const request = { path: def.path, pageSize: pageSizeFor(def.maxPageSize, undefined), stream: def.name, role: def.role };
      for await (const page of listPages(this.client, this.logger, request)) {
        if (page.kind === 'page') for (const k of page.data) out.push({ id: k.id, name: String(k.attributes?.name ?? k.id) });
      }
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      this.logger.warn(`cannot list KObject klasses (${err.message}); KObjects keep an untyped custom object`);
    }
    return out;
  }

  private async fetchMetadata(resource: string): Promise<string[]> {
    try {
      const res = await this.client.get(`/v1/metadata/${resource}`, { stream: 'custom_attribute_metadata', role: 'org.permission.metadata.read', allow: [...METADATA_ABSENT] });
      if (METADATA_ABSENT.includes(res.status)) return [];
      const doc = parseSingleDocument(res.body);
      if (typeof doc === 'string') return [];
      return Object.keys((doc as Resource).attributes?.properties ?? {});
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      this.logger.warn(`cannot read custom attribute metadata for ${resource} (${err.message}); its custom attributes stay untyped`);
      return [];
    }
  }
}

/** `kobjects_<klass>` streams: one per klass, for warehouses that want one table per custom object type. */
export function perKlassStreams(klasses: Klass[]): SearchStream[] {
  return klasses.map((k) =>
    search(`kobjects_${streamSafe(k.name)}`, `kobject_${k.name}`, {
      doc: `KObjects of the ${k.name} klass`,
      role: 'org.permission.kobject.read',
      customFrom: `kobject.${k.name}`,
      transform: withKlassName,
    }),
  );
}

export function streamSafe(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Every stream this org offers: the table, plus per-klass KObject streams when enabled. */
export async function availableStreams(config: Config, facts: OrgFacts): Promise<StreamDef[]> {
  const defs: StreamDef[] = [...STREAMS];
  if (config.kobject_streams_per_klass) defs.push(...perKlassStreams(await facts.klasses()));
  return defs;
}

/** The schema a stream is discovered with: its file, plus the org's typed custom attributes. */
export async function discoveredSchema(def: StreamDef, facts: OrgFacts): Promise<JsonSchema> {
  const schema = loadSchema(def.name.startsWith('kobjects_') ? 'kobjects' : def.name);
  if (!def.customFrom) return schema;
  let names: string[];
  if (def.customFrom === 'kobject') {
    // The all-klass stream types the union of every klass's attributes.
    const klasses = await facts.klasses();
    names = (await Promise.all(klasses.map((k) => facts.customAttributes(`kobject.${k.name}`)))).flat();
  } else names = await facts.customAttributes(def.customFrom);
  return withCustomAttributes(schema, new Set(names));
}

export function replicationOf(def: StreamDef, defs: readonly StreamDef[]): { method: 'FULL_TABLE' | 'INCREMENTAL'; key?: string } {
  const root = rootOf(def, defs);
  if (root.kind === 'list') return { method: 'FULL_TABLE' };
  if (root.kind === 'audit') return { method: 'INCREMENTAL', key: 'created_at' };
  return { method: 'INCREMENTAL', key: 'updated_at' };
}

export function rootOf(def: StreamDef, defs: readonly StreamDef[]): StreamDef {
  let current = def;
  while (current.kind === 'flatten' || current.kind === 'child') {
    const parentName: string = current.parent;
    const parent = defs.find((d) => d.name === parentName);
    if (!parent) throw new Error(`stream ${current.name}: unknown parent ${parentName}`);
    current = parent;
  }
  return current;
}

/** The catalog `--discover` prints. */
export async function discoverCatalog(config: Config, client: KustomerClient, logger: Logger): Promise<Catalog> {
  const facts = new OrgFacts(client, logger);
  return { streams: await catalogEntries(await availableStreams(config, facts), facts) };
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
