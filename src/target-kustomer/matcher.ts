/**
 * Finds the Kustomer object a record means, trying the stream's match_on keys in order. Every object found or
 * created in this run is remembered under all its keys, so a second row for the same person in one run is an
 * update of the first one's object, never a second create.
 */
import type { KustomerClient, RequestOptions } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';
import type { Resource } from '../kustomer-client/jsonapi';
import type { MatchKey } from './desired';
import type { ObjectType } from './objects';

export interface Known {
  id: string;
  /** The object's attributes as last read or written (updates merge into them; unchanged rows are skipped). */
  attributes: Record<string, unknown>;
}

export type MatchResult = { found: Known; by: MatchKey } | { found: null } | { ambiguous: MatchKey; count: number };

const NAME_LOOKUP_PAGES = 10;

export function indexKey(key: MatchKey): string {
  return `${key.on}\u0000${key.on === 'external_id' ? key.value : key.value.toLowerCase()}`;
}

/** The run's memory of objects by match key, one per object type (shared by every stream writing that type). */
export class KnownObjects {
  private readonly byKey = new Map<string, Known>();

  get(key: MatchKey): Known | undefined {
    return this.byKey.get(indexKey(key));
  }

  remember(known: Known, keys: MatchKey[]): void {
    for (const key of keys) this.byKey.set(indexKey(key), known);
  }
}

export class Matcher {
  constructor(
    private readonly client: KustomerClient,
    private readonly object: ObjectType,
    readonly known: KnownObjects,
    private readonly stream: string,
  ) {}

  async match(keys: MatchKey[]): Promise<MatchResult> {
    for (const key of keys) {
      const cached = this.known.get(key);
      if (cached) return { found: cached, by: key };
      const found = await this.lookup(key);
      if (found === 'none') continue;
      if (Array.isArray(found)) return { ambiguous: key, count: found.length };
      const known = { id: found.id, attributes: found.attributes ?? {} };
      return { found: known, by: key };
    }
    return { found: null };
  }

  private ro(): RequestOptions {
    return { stream: this.stream, role: this.object.writeRole.replace(/\.update$/, '.read'), allow: [404] };
  }

  /** One lookup: the object, 'none', or the candidates when a key names several objects. */
  private async lookup(key: MatchKey): Promise<Resource | 'none' | Resource[]> {
    const value = encodeURIComponent(key.value);
    switch (this.object.kind) {
      case 'customer':
        return this.single(`/v1/customers/${key.on === 'email' ? 'email' : 'externalId'}=${value}`);
      case 'kobject':
        return this.single(`/v1/klasses/${encodeURIComponent(this.object.klass!)}/externalId=${value}`);
      case 'company':
        return key.on === 'external_id'
          ? this.pick(await this.companies(`/v1/companies?externalId=${value}`), (r) => r.attributes?.externalId === key.value)
          : this.pick(await this.companies(`/v1/companies?filter=${value}`), (r) => sameName(r.attributes?.name, key.value));
    }
  }

  private async single(path: string): Promise<Resource | 'none'> {
    const res = await this.client.get(path, this.ro());
    if (res.status === 404) return 'none';
    const data = (res.body as { data?: unknown } | undefined)?.data;
    if (!data || typeof data !== 'object' || Array.isArray(data) || typeof (data as Resource).id !== 'string') {
      throw new ApiError(`stream ${this.stream}: lookup ${path.split('=')[0]}= returned no object`);
    }
    return data as Resource;
  }

  /** Company lists: the filter may match loosely (a name filter may match substrings), so exact equality decides. */
  private async companies(first: string): Promise<Resource[]> {
    const out: Resource[] = [];
    let next: string | null = first;
    for (let page = 0; next && page < NAME_LOOKUP_PAGES; page++) {
      const res = await this.client.get(next, this.ro());
      if (res.status === 404) break;
      const body = res.body as { data?: unknown; links?: { next?: string | null } } | undefined;
      if (!Array.isArray(body?.data)) throw new ApiError(`stream ${this.stream}: GET /v1/companies returned no data list`);
      out.push(...(body.data as Resource[]));
      next = body.links?.next ? this.client.resolveLink(body.links.next) : null;
    }
    return out.filter((r) => r.attributes?.deleted !== true);
  }

  private pick(candidates: Resource[], exact: (r: Resource) => boolean): Resource | 'none' | Resource[] {
    const hits = candidates.filter(exact);
    if (hits.length === 0) return 'none';
    return hits.length === 1 ? hits[0]! : hits;
  }
}

function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}
