/**
 * Custom attributes: the name's suffix sets the type (kustomer-write-api.md §2.8), and an attribute must exist in
 * `/v1/metadata/<resource>` (Kustomer answers 400 "Additional properties not allowed" otherwise), so both are
 * checked before anything is sent.
 */
import type { KustomerClient } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';

const SUFFIXES = ['Str', 'Txt', 'Num', 'At', 'Bool', 'Url', 'Id'] as const;
type Suffix = (typeof SUFFIXES)[number];

const MAX_STR = 1024;

export function suffixOf(name: string): Suffix | undefined {
  // Longest first is not needed: no suffix ends another (Str/Txt/Num/At/Bool/Url/Id).
  return SUFFIXES.find((s) => name.length > s.length && name.endsWith(s) && /[a-z0-9]/.test(name.charAt(name.length - s.length - 1)));
}

/** Why `value` does not fit attribute `name`'s type, or undefined when it does (null always fits: it clears). */
export function customValueProblem(name: string, value: unknown): string | undefined {
  if (value === null) return undefined;
  const suffix = suffixOf(name);
  switch (suffix) {
    case 'Str':
    case 'Txt':
      if (typeof value !== 'string') return `${name} must be a string`;
      return value.length > MAX_STR ? `${name} is longer than ${MAX_STR} characters` : undefined;
    case 'Num':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${name} must be a number`;
    case 'Bool':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false`;
    case 'At':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : `${name} must be an ISO-8601 date-time`;
    case 'Url':
      if (typeof value !== 'string') return `${name} must be a URL string`;
      try {
        new URL(value);
        return undefined;
      } catch {
        return `${name} must be an absolute URL`;
      }
    case 'Id':
      return typeof value === 'string' && value !== '' ? undefined : `${name} must be an object id`;
    default:
      return `${name} has no type suffix (Str, Txt, Num, At, Bool, Url, Id)`;
  }
}

/** The live (not deleted) custom attribute names of one resource, read once per run. */
export class CustomAttributeCatalog {
  private readonly cache = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly client: KustomerClient,
    private readonly stream: string,
  ) {}

  names(resource: string): Promise<Set<string>> {
    let names = this.cache.get(resource);
    if (!names) {
      names = this.load(resource);
      this.cache.set(resource, names);
    }
    return names;
  }

  private async load(resource: string): Promise<Set<string>> {
    const res = await this.client.get(`/v1/metadata/${encodeURIComponent(resource)}`, {
      stream: this.stream,
      role: 'org.permission.metadata.read',
      allow: [404],
    });
    if (res.status === 404) return new Set();
    const properties = (res.body as { data?: { attributes?: { properties?: unknown } } } | undefined)?.data?.attributes?.properties;
    if (properties === undefined || properties === null || typeof properties !== 'object') {
      throw new ApiError(`GET /v1/metadata/${resource} returned no properties object`);
    }
    const live = Object.entries(properties as Record<string, { deletedAt?: unknown }>).filter(([, p]) => !p?.deletedAt);
    return new Set(live.map(([name]) => name));
  }
}
