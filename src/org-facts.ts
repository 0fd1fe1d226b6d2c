import type { KustomerClient } from './kustomer-client/client';
import { ForbiddenError } from './kustomer-client/errors';
import { parseSingleDocument, type Resource } from './kustomer-client/jsonapi';
import { listPages } from './paging/links';
import { pageSizeFor } from './paging/page-size';
import { METADATA_ABSENT, STREAMS } from './streams/table';
import type { ListStream } from './streams/kinds';
import type { Logger } from './log';
import type { Klass } from './streams/kobjects';

/** The klass list is read with the `klasses` stream's endpoint, page size and role. */
const KLASSES_STREAM: ListStream = STREAMS.find((s) => s.name === 'klasses')!;

/**
 * What the org looks like beyond the fixed table: its KObject klasses and its custom attributes, read over HTTP.
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
      const request = { path: String(def.path), pageSize: pageSizeFor(def.maxPageSize, undefined), stream: def.name, role: def.role };
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
