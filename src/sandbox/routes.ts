/**
 * The sandbox's endpoint table: path → collection, page cap, roles, accepted query parameters and error-body shape.
 * Facts from kustomer-api.md §1-§7; the mix of error shapes is deliberate (Kustomer's docs: "accept both").
 */
import type { CollectionName } from './model';

export type ErrorShape = 'simple' | 'jsonapi';

export type RouteKind = 'list' | 'children' | 'metadata' | 'auditLogs' | 'search' | 'archiveSearch' | 'token';

/** An accepted `?sort=` value: the order it gives. */
export interface SortSpec {
  field: 'createdAt' | 'updatedAt' | 'id';
  desc: boolean;
}

/** A query filter: `cmp` compares an attribute (as instants) with the value; `eq`/`bool` test equality. */
export interface FilterSpec {
  attr: string;
  op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'bool';
  /** Accepted values (else 400). */
  values?: string[];
  /** The value that means "no filter" (klasses: `existing_only`). */
  any?: string;
  /** Applied when the parameter is absent (klasses list only enabled ones by default). */
  default?: string;
}

export interface Route {
  /** Stats key, e.g. `GET /v1/conversations/:id/events`. */
  key: string;
  method: 'GET' | 'POST';
  kind: RouteKind;
  collection?: CollectionName;
  /** Per-parent lists: the parent collection and the child relationships that point at it. */
  parent?: { collection: 'conversations' | 'customers'; rels: string[] };
  pageCap: number;
  /** Any one grants access; the first is the one a 403 names. Empty: any valid key. */
  roles: string[];
  errors: ErrorShape;
  sorts?: Record<string, SortSpec>;
  filters?: Record<string, FilterSpec>;
  /** Accepted and ignored (documented params whose effect the sandbox does not model). */
  ignored?: string[];
  /** Single-document route: `GET /v1/slas?versions=all` side-loads versions. */
  sideLoad?: { param: string; values: string[]; when: string; collection: CollectionName; rel: string };
  pattern: RegExp;
}

/** Permission-set role first, then the legacy roles that "still work" (kustomer-api.md §1). */
function read(object: string): string[] {
  return [`org.permission.${object}.read`, `org.user.${object}.read`, `org.admin.${object}.read`, 'org.user.read', 'org.admin.read'];
}

const SEARCH_ROLES = [
  'org.permission.search.create',
  'org.permission.search.update',
  'org.permission.search_global.create',
  'org.permission.search_preview.create',
  'org.user.search.read',
  'org.admin.search.read',
];

const dateFilters = (attr: string): Record<string, FilterSpec> =>
  Object.fromEntries((['gt', 'gte', 'lt', 'lte'] as const).map((op) => [`filter[${attr}][${op}]`, { attr, op }]));

const byId: Record<string, SortSpec> = { asc: { field: 'id', desc: false }, desc: { field: 'id', desc: true } };

type RouteInput = Omit<Route, 'key' | 'pattern' | 'method'> & { method?: 'GET' | 'POST'; path: string };

function route(r: RouteInput): Route {
  const { path, method = 'GET', ...rest } = r;
  const source = path.replace(/:[a-z]+/g, '([^/]+)');
  return { ...rest, method, key: `${method} ${path}`, pattern: new RegExp(`^${source}$`) };
}

function list(path: string, collection: CollectionName, roles: string[], errors: ErrorShape, extra: Partial<RouteInput> = {}): Route {
  return route({ path, kind: 'list', collection, pageCap: 100, roles, errors, ...extra });
}

function children(
  path: string,
  collection: CollectionName,
  parent: Route['parent'],
  roles: string[],
  errors: ErrorShape,
  extra: Partial<RouteInput> = {},
): Route {
  return route({ path, kind: 'children', collection, parent, pageCap: 100, roles, errors, ...extra });
}

const conversationParent: Route['parent'] = { collection: 'conversations', rels: ['conversation'] };

export const ROUTES: Route[] = [
  // Core objects as plain lists (the tap syncs them through search; kept for fidelity).
  list('/v1/customers', 'customers', read('customer'), 'jsonapi', {
    filters: { ...dateFilters('createdAt'), ...dateFilters('updatedAt') },
    sorts: {
      createdAt: { field: 'createdAt', desc: false },
      '-createdAt': { field: 'createdAt', desc: true },
      updatedAt: { field: 'updatedAt', desc: false },
      '-updatedAt': { field: 'updatedAt', desc: true },
    },
  }),
  list('/v1/conversations', 'conversations', read('conversation'), 'jsonapi', { sorts: byId }),
  list('/v1/messages', 'messages', read('message'), 'simple', { sorts: byId, ignored: ['include'] }),
  list('/v1/notes', 'notes', read('note'), 'jsonapi'),
  list('/v1/companies', 'companies', read('company'), 'simple'),

  // Settings objects.
  list('/v1/brands', 'brands', read('brand'), 'simple'),
  list('/v1/schedules', 'schedules', read('schedule'), 'jsonapi'), // the document lists page and pageSize only
  list('/v1/cards', 'cards', read('apps'), 'simple'),
  list('/v1/klasses', 'klasses', read('klass'), 'jsonapi', {
    filters: { status: { attr: 'status', op: 'eq', values: ['enabled', 'disabled', 'existing_only'], any: 'existing_only', default: 'enabled' } },
  }),
  list('/v1/notifications', 'notifications', read('notification'), 'simple'),
  list('/v1/outboundAccounts', 'outboundAccounts', read('outbound_account'), 'jsonapi'),
  list('/v1/routing/queues', 'queues', read('queue'), 'simple'),
  list('/v1/routing/settings', 'routingSettings', read('routing'), 'simple'),
  list('/v1/slas', 'slas', read('sla'), 'jsonapi', {
    sideLoad: { param: 'versions', values: ['active', 'all'], when: 'all', collection: 'slaVersions', rel: 'sla' },
  }),
  list('/v1/satisfaction', 'satisfactions', read('satisfaction'), 'jsonapi'),
  list('/v1/shortcuts', 'shortcuts', read('shortcut'), 'simple'),
  list('/v1/snoozes', 'snoozes', read('snooze'), 'simple'),
  list('/v1/spam/senders', 'spamSenders', read('spam'), 'jsonapi'),
  list('/v1/tags', 'tags', read('tag'), 'simple'),
  list('/v1/teams', 'teams', read('team'), 'jsonapi', { pageCap: 500 }),
  list('/v1/users', 'users', read('user'), 'simple', {
    pageCap: 500,
    filters: {
      deleted: { attr: 'deleted', op: 'bool' },
      userType: { attr: 'userType', op: 'eq' },
      email: { attr: 'email', op: 'eq' },
    },
  }),
  route({ path: '/v1/metadata/:resource', kind: 'metadata', collection: 'metadata', pageCap: 1, roles: read('metadata'), errors: 'jsonapi' }),

  // Per-parent children: 404 when the parent does not exist.
  children('/v1/conversations/:id/events', 'conversationEvents', conversationParent, read('event'), 'jsonapi', {
    sorts: { asc: { field: 'createdAt', desc: false }, desc: { field: 'createdAt', desc: true } },
  }),
  children('/v1/conversations/:id/forwards', 'forwards', conversationParent, read('draft'), 'simple'),
  children('/v1/conversations/:id/times', 'conversationTimes', conversationParent, read('conversation'), 'jsonapi', { pageCap: 1000 }),
  children('/v1/conversations/:id/attachments', 'attachments', conversationParent, read('message'), 'simple'),
  children('/v1/customers/:id/drafts', 'drafts', { collection: 'customers', rels: ['customer'] }, read('draft'), 'jsonapi', {
    ignored: ['include'],
  }),
  children('/v1/customers/:id/merges', 'customerMerges', { collection: 'customers', rels: ['source', 'target'] }, read('customer'), 'simple'),

  route({ path: '/v1/auth/tokens/current', kind: 'token', pageCap: 1, roles: [], errors: 'simple' }),
  route({ path: '/v1/audit-logs', kind: 'auditLogs', collection: 'auditLogs', pageCap: 1000, roles: read('audit_logs'), errors: 'jsonapi' }),
  route({ path: '/v1/customers/search', method: 'POST', kind: 'search', pageCap: 500, roles: SEARCH_ROLES, errors: 'simple' }),
  route({ path: '/v1/customers/archive/search', method: 'POST', kind: 'archiveSearch', pageCap: 500, roles: SEARCH_ROLES, errors: 'jsonapi' }),
];

/** Every role some route asks for first: the default key's role set. */
export const ALL_ROLES: string[] = [...new Set(ROUTES.flatMap((r) => r.roles.slice(0, 1)))];

export interface RouteMatch {
  route: Route;
  /** The path's `:id` / `:resource` segment, decoded. */
  param?: string;
}

export function matchRoute(method: string, path: string): RouteMatch | null {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (m[1] === undefined) return { route: r };
    try {
      return { route: r, param: decodeURIComponent(m[1]) };
    } catch {
      return null;
    }
  }
  return null;
}

/** The shape errors take on paths that match no route. */
export const DEFAULT_ERROR_SHAPE: ErrorShape = 'simple';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'request_too_large',
  429: 'too_many_requests',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** `{"errors":[{code,message,meta}]}` or the JSON:API object `{"errors":[{status,code,title,detail,source}]}`. */
export function errorBody(shape: ErrorShape, status: number, message: string, parameter?: string): unknown {
  const code = CODES[status] ?? 'error';
  if (shape === 'simple') return { errors: [{ code, message, meta: parameter ? { parameter } : {} }] };
  return {
    errors: [
      { status: String(status), code, title: TITLES[status] ?? 'Error', detail: message, source: parameter ? { parameter } : {} },
    ],
  };
}
