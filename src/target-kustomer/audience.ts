/**
 * Audiences by tag. Customers and companies have no tag add/remove endpoint: tags are their `tags` attribute (tag
 * ids), so a tag change is a read-modify-write of that array inside the ordinary (bulk) update
 * (kustomer-write-api.md §2.6). The tag is found by name in `GET /v1/tags` and created when missing.
 */
import type { KustomerClient } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';
import type { Resource } from '../kustomer-client/jsonapi';
import type { ObjectKind } from './objects';

const MAX_TAG_PAGES = 100;
/** Kustomer search: at most 100 pages (kustomer-api.md Corrections §2). */
const MAX_SEARCH_PAGES = 100;

/** The tag's id, or undefined when it does not exist (and `create` is false: a dry run plans its creation). */
export async function tagId(client: KustomerClient, stream: string, name: string, create: boolean): Promise<string | undefined> {
  let next: string | null = '/v1/tags?pageSize=100';
  for (let page = 0; next && page < MAX_TAG_PAGES; page++) {
    const res = await client.get(next, { stream, role: 'org.permission.tag.read' });
    const body = res.body as { data?: Resource[]; links?: { next?: string | null } } | undefined;
    if (!Array.isArray(body?.data)) throw new ApiError(`stream ${stream}: GET /v1/tags returned no data list`);
    const hit = body.data.find((t) => t.attributes?.name === name && t.attributes?.deleted !== true);
    if (hit) return hit.id;
    next = body.links?.next ? client.resolveLink(body.links.next) : null;
  }
  if (!create) return undefined;
  const res = await client.post('/v1/tags', { name }, { stream, role: 'org.permission.tag.create' });
  const id = (res.body as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (typeof id !== 'string') throw new ApiError(`stream ${stream}: POST /v1/tags returned no tag id`);
  return id;
}

export function tagsOf(attributes: Record<string, unknown>): string[] {
  const tags = attributes.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** Every object of `kind` carrying the tag, read by search (`customer_tags` / `company_tags`). */
export async function taggedObjects(client: KustomerClient, stream: string, kind: ObjectKind, id: string): Promise<Resource[]> {
  const context = kind === 'company' ? 'company' : 'customer';
  const out: Resource[] = [];
  const seen = new Set<string>();
  for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
    const res = await client.post(
      `/v1/customers/search?page=${page}&pageSize=500`,
      { queryContext: context, and: [{ [`${context}_tags`]: { equals: id } }], sort: [{ [`${context}_created_at`]: 'asc' }] },
      { stream, role: 'org.permission.search.create', search: true },
    );
    const body = res.body as { data?: Resource[]; links?: { next?: string | null } } | undefined;
    if (!Array.isArray(body?.data)) throw new ApiError(`stream ${stream}: search for tag ${id} returned no data list`);
    for (const r of body.data) {
      if (!seen.has(r.id)) {
        seen.add(r.id);
        out.push(r);
      }
    }
    if (!body.links?.next || body.data.length === 0) return out;
  }
  throw new ApiError(`stream ${stream}: more objects carry the tag than search can page through (100 pages)`);
}
