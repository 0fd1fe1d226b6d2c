import type { KustomerClient } from './http/client';
import { ForbiddenError } from './http/errors';
import { parseSingleDocument, type Resource } from './http/jsonapi';
import { readList } from './http/read-list';
import type { Logger } from './log';
import type { Klass } from './streams/kobjects';

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
      const request = { path: '/v1/klasses', pageSize: 100, stream: 'klasses', role: 'org.permission.klass.read' };
      await readList(this.client, this.logger, request, (page) => {
        for (const k of page.data) out.push({ id: k.id, name: String(k.attributes?.name ?? k.id) });
      });
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      this.logger.warn(`cannot list KObject klasses (${err.message}); KObjects keep an untyped custom object`);
    }
    return out;
  }

  private async fetchMetadata(resource: string): Promise<string[]> {
    try {
      const res = await this.client.get(`/v1/metadata/${resource}`, { stream: 'custom_attribute_metadata', role: 'org.permission.metadata.read', allow: [404] });
      if (res.status === 404) return [];
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
