/**
 * THE contract table: every Kustomer endpoint the tap calls, as Kustomer documents it, in this project's words.
 * Method, path pattern, the query parameters allowed and their values, the body rules, and the response envelope.
 *
 * `source` says where the fact comes from: `published` = Kustomer's "Core Resources" API document (see
 * kustomer-api.md, Corrections); `portal` = only the developer portal's per-operation pages and our reference notes
 * (the published document does not cover the endpoint; treat it as less certain).
 *
 * The sandbox and the contract tests use this table; the tap's runtime does not import it.
 */
import { AUDIT_DEFAULT_COUNT, AUDIT_MAX_COUNT, AUDIT_OBJECT_TYPES } from './audit-log';
import { isMetadataResource } from './metadata';

export type ParamRule =
  /** A positive integer (at most `max` when the document gives one: larger values are clamped, not refused). */
  | { kind: 'positiveInt' }
  | { kind: 'enum'; values: readonly string[] }
  /** An ISO-8601 timestamp. */
  | { kind: 'instant' }
  /** A comma-separated list of values from an enum. */
  | { kind: 'enumList'; values: readonly string[] }
  /** Any non-empty string (an id or a free-text filter). */
  | { kind: 'text' };

export type Envelope =
  /** `{data: [...], meta, links}` paged by `page` / `pageSize`. */
  | 'pageList'
  /** `{data: {...}}`: one document. */
  | 'document'
  /** The audit log: `{data: [...], meta: {count, total, cursorCount}, links: {self, first, prev, next}}`. */
  | 'auditCursor'
  /** Search: `{data: [...], meta: {pageSize, page, total, totalPages, aggregations}, links: {self, first, prev, next, last}}`. */
  | 'searchPage';

export interface EndpointContract {
  method: 'GET' | 'POST';
  /** The path with `{name}` placeholders, e.g. `/v1/conversations/{id}/events`. */
  path: string;
  source: 'published' | 'portal';
  query: Readonly<Record<string, ParamRule>>;
  /** Path placeholders that must satisfy a rule beyond "one segment". */
  pathParams?: Readonly<Record<string, (value: string) => boolean>>;
  /** The body's rules (contract/search.ts): live search or archive search. GETs send no body. */
  body?: 'liveSearch' | 'archiveSearch';
  envelope: Envelope;
  /** Every item's (or the document's) `type`. */
  itemType: string | RegExp;
  /** Items carry no `id` (outbound accounts). */
  noItemId?: boolean;
  /** What is unusual or inferred about this row. */
  note?: string;
}

const PAGE: Record<string, ParamRule> = { page: { kind: 'positiveInt' }, pageSize: { kind: 'positiveInt' } };
const HEX24 = (v: string): boolean => /^[0-9a-f]{24}$/.test(v);

const list = (path: string, itemType: string, source: EndpointContract['source'], extra: Partial<EndpointContract> = {}): EndpointContract => ({
  method: 'GET',
  path,
  source,
  query: PAGE,
  envelope: 'pageList',
  itemType,
  ...extra,
});

const child = (path: string, itemType: string, extra: Partial<EndpointContract> = {}): EndpointContract =>
  list(path, itemType, 'published', { pathParams: { id: HEX24 }, ...extra });

export const ENDPOINTS: readonly EndpointContract[] = [
  // ---- Settings lists ----
  list('/v1/brands', 'brand', 'published'),
  list('/v1/schedules', 'schedule', 'published'),
  list('/v1/klasses', 'klass', 'published', { query: { ...PAGE, status: { kind: 'enum', values: ['enabled', 'disabled', 'existing_only'] } } }),
  list('/v1/outboundAccounts', 'outbound_account', 'published', { noItemId: true }),
  list('/v1/satisfaction', 'satisfaction', 'published'),
  list('/v1/spam/senders', 'sender', 'published', { note: 'the document lists no parameters; its own example links page with page and pageSize' }),
  list('/v1/cards', 'card', 'portal'),
  list('/v1/notifications', 'notification', 'portal'),
  list('/v1/routing/queues', 'queue', 'portal'),
  list('/v1/routing/settings', 'team_routing_setting', 'portal'),
  list('/v1/slas', 'sla', 'portal', {
    query: { ...PAGE, versions: { kind: 'enum', values: ['active', 'all'] } },
    note: 'the document has GET /slas/{id} with `versions` (active|all); the list is from the portal',
  }),
  list('/v1/shortcuts', 'shortcut', 'portal'),
  list('/v1/snoozes', 'snooze', 'portal'),
  list('/v1/tags', 'tag', 'portal'),
  list('/v1/teams', 'team', 'portal'),
  list('/v1/users', 'user', 'portal'),
  {
    method: 'GET',
    path: '/v1/metadata/{resource}',
    source: 'published',
    query: {},
    pathParams: { resource: isMetadataResource },
    envelope: 'document',
    itemType: 'metadata',
    note: 'resource: company, conversation, customer, message or kobject.<klass name>; not note, not user',
  },

  // ---- Per-parent children ----
  child('/v1/conversations/{id}/events', 'customer_event', { query: { ...PAGE, sort: { kind: 'enum', values: ['asc', 'desc'] } } }),
  child('/v1/conversations/{id}/forwards', 'forward'),
  child('/v1/conversations/{id}/times', 'conversation_time', { note: 'the document lists no parameters; its own example links page with page and pageSize' }),
  child('/v1/conversations/{id}/attachments', 'attachment'),
  child('/v1/customers/{id}/drafts', 'draft', { query: { ...PAGE, include: { kind: 'enum', values: ['attachments'] } } }),
  child('/v1/customers/{id}/merges', 'customer_merge'),

  // ---- The audit log ----
  {
    method: 'GET',
    path: '/v1/audit-logs',
    source: 'published',
    query: {
      count: { kind: 'positiveInt' },
      after: { kind: 'text' },
      before: { kind: 'text' },
      'filter[objectType]': { kind: 'enum', values: AUDIT_OBJECT_TYPES },
      'filter[objectId]': { kind: 'text' },
      'filter[userId]': { kind: 'text' },
      'filter[include]': { kind: 'enumList', values: AUDIT_OBJECT_TYPES },
      'filter[start]': { kind: 'instant' },
      'filter[end]': { kind: 'instant' },
    },
    envelope: 'auditCursor',
    itemType: 'audit_log',
    note: `count defaults to ${AUDIT_DEFAULT_COUNT}, at most ${AUDIT_MAX_COUNT}; newest first: next = before=<id>, prev = after=<id>`,
  },

  // ---- Search ----
  {
    method: 'POST',
    path: '/v1/customers/search',
    source: 'published',
    query: { ...PAGE, idsOnly: { kind: 'enum', values: ['true', 'false'] } },
    body: 'liveSearch',
    envelope: 'searchPage',
    itemType: /^(customer|company|conversation|message|note|conversation_time|kobject\.[^.]+)$/,
    note: 'the document lists no query parameters; its example links page with page and pageSize (100 pages at most); idsOnly is from the portal',
  },
  {
    method: 'POST',
    path: '/v1/customers/archive/search',
    source: 'published',
    query: PAGE,
    body: 'archiveSearch',
    envelope: 'searchPage',
    itemType: /^(customer|company|conversation|message|kobject\.[^.]+)$/,
    note: 'objects older than the live search’s two years; its own attribute and sort lists',
  },
];

export interface EndpointMatch {
  endpoint: EndpointContract;
  params: Record<string, string>;
}

/** The table row a request's method and path fall under, with its path parameters, or null. */
export function matchEndpoint(method: string, path: string): EndpointMatch | null {
  for (const endpoint of ENDPOINTS) {
    if (endpoint.method !== method) continue;
    const names: string[] = [];
    const source = endpoint.path.replace(/\{([a-z]+)\}/gi, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const m = new RegExp(`^${source}$`).exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] as string)));
    return { endpoint, params };
  }
  return null;
}
