/**
 * The sandbox's write API (kustomer-write-api.md §2): creates, updates (PUT and PATCH), lookups by external id and
 * email, company lookups by `?externalId=` / `?filter=`, bulk jobs with status and per-batch results, tag creation
 * and custom attribute definitions. Errors come in both of Kustomer's shapes (customers and KObjects JSON:API,
 * companies, tags and metadata `{code,message}`), and every write goes through WriteStore, so the tap's reads,
 * search and audit log see it.
 */
import { HttpError, parseJsonBody } from './http-error';
import type { Resource, SandboxData } from './model';
import { errorBody, type ErrorShape } from './routes';
import { BulkJobs } from './write-bulk';
import { WRITE_DEFAULTS, WRITE_ROLES, type WriteOptions } from './write-options';
import { WriteStore } from './write-store';
import { validateBody, type WriteKind } from './write-validate';

export interface WriteReply {
  status: number;
  body: unknown;
}

const HEX_ID = '[0-9a-f]{24}';
const SHAPE: Record<WriteKind, ErrorShape> = { customer: 'jsonapi', company: 'simple', kobject: 'jsonapi' };

export class WriteApi {
  readonly store: WriteStore;
  readonly bulk: BulkJobs;

  constructor(
    data: SandboxData,
    clock: () => number,
    seed: number,
    private readonly options: () => Partial<WriteOptions> | undefined,
    changed: () => void,
  ) {
    this.store = new WriteStore(data, clock, seed, changed);
    this.bulk = new BulkJobs(this.store, clock, () => this.opts(), seed + 1);
  }

  private opts(): WriteOptions {
    return { ...WRITE_DEFAULTS, ...this.options() };
  }

  /** The reply to a write-API request, or undefined when the request is not the write API's. */
  handle(method: string, path: string, url: URL, bodyText: string | null, roles: string[]): WriteReply | undefined {
    const route = this.route(method, path, url);
    if (!route) return undefined;
    try {
      if (bodyText === null) throw new HttpError(413, 'request body exceeds 100 kb');
      if (!route.roles.some((r) => roles.includes(r))) throw new HttpError(403, `API key lacks the role ${route.roles[0]} required by ${method} ${path.replace(new RegExp(HEX_ID, 'g'), '{id}')}`);
      return route.run(() => parseJsonBody(bodyText, 'body'));
    } catch (err) {
      // Refusals from here and from bulk jobs (BulkRefusal, a 400) alike.
      if (err instanceof HttpError) return { status: err.status, body: errorBody(route.shape, err.status, err.message, err.parameter) };
      throw err;
    }
  }

  private route(method: string, path: string, url: URL): { roles: readonly string[]; shape: ErrorShape; run: (body: () => unknown) => WriteReply } | undefined {
    let m: RegExpExecArray | null;
    const kindRoute = (kind: WriteKind, run: (body: () => unknown) => WriteReply, klass?: string) => ({
      roles: WRITE_ROLES[kind],
      shape: SHAPE[kind],
      run: (body: () => unknown) => {
        if (klass !== undefined && !this.store.klassExists(klass)) throw new HttpError(404, `klass ${klass} not found`, 'name');
        return run(body);
      },
    });

    // Bulk jobs.
    if (method === 'GET' && (m = /^\/v1\/bulk\/([^/]+)(\/batches)?$/.exec(path))) {
      const [, id, batches] = m;
      return {
        roles: WRITE_ROLES.bulk,
        shape: 'jsonapi',
        run: () => {
          const body = batches ? this.bulk.batches(id!) : this.bulk.status(id!);
          if (body === undefined) throw new HttpError(404, `bulk operation ${id} not found`, 'id');
          return { status: 200, body };
        },
      };
    }
    for (const [kind, re] of [['customer', /^\/v1\/customers\/bulk$/], ['company', /^\/v1\/companies\/bulk$/], ['kobject', /^\/v1\/klasses\/([^/]+)\/bulk$/]] as const) {
      if ((method === 'POST' || method === 'PUT') && (m = re.exec(path))) {
        const klass = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
        return kindRoute(kind, (body) => ({ status: 201, body: this.bulk.submit(method, kind, body(), klass) }), klass);
      }
    }

    // Customers.
    if (method === 'GET' && (m = /^\/v1\/customers\/(externalId|email)=(.+)$/.exec(path))) {
      const [, by, raw] = m;
      const value = decodeURIComponent(raw!);
      return kindRoute('customer', () => found(by === 'email' ? this.store.byEmail(value) : this.store.byExternalId('customer', value), by!));
    }
    if (method === 'POST' && path === '/v1/customers') return kindRoute('customer', (body) => this.create('customer', body()));
    if ((m = new RegExp(`^/v1/customers/(${HEX_ID})$`).exec(path)) && ['GET', 'PUT', 'PATCH'].includes(method)) {
      const id = m[1]!;
      return kindRoute('customer', (body) => this.one('customer', method, id, url, body));
    }

    // Companies.
    if (method === 'GET' && path === '/v1/companies' && (url.searchParams.has('externalId') || url.searchParams.has('filter'))) {
      return kindRoute('company', () => this.companyList(url));
    }
    if (method === 'POST' && path === '/v1/companies') return kindRoute('company', (body) => this.create('company', body()));
    if ((m = new RegExp(`^/v1/companies/(${HEX_ID})$`).exec(path)) && ['GET', 'PUT'].includes(method)) {
      const id = m[1]!;
      return kindRoute('company', (body) => this.one('company', method, id, url, body));
    }

    // KObjects.
    if (method === 'GET' && (m = /^\/v1\/klasses\/([^/]+)\/externalId=(.+)$/.exec(path))) {
      const klass = decodeURIComponent(m[1]!);
      const value = decodeURIComponent(m[2]!);
      return kindRoute('kobject', () => found(this.store.byExternalId('kobject', value, klass), 'externalId'), klass);
    }
    if (method === 'POST' && (m = /^\/v1\/klasses\/([^/]+)$/.exec(path)) && !/^[0-9a-f]{24}$/.test(m[1]!)) {
      const klass = decodeURIComponent(m[1]!);
      return kindRoute('kobject', (body) => this.create('kobject', body(), klass), klass);
    }
    if ((m = new RegExp(`^/v1/klasses/([^/]+)/(${HEX_ID})$`).exec(path)) && ['GET', 'PUT'].includes(method)) {
      const klass = decodeURIComponent(m[1]!);
      const id = m[2]!;
      return kindRoute('kobject', (body) => this.one('kobject', method, id, url, body, klass), klass);
    }

    // Tags and custom attribute definitions.
    if (method === 'POST' && path === '/v1/tags') {
      return {
        roles: WRITE_ROLES.tag,
        shape: 'simple',
        run: (body) => {
          const name = (body() as { name?: unknown } | null)?.name;
          if (typeof name !== 'string' || !/^[0-9a-zA-Z\u00C0-\u00FF_/<>\-.][0-9a-zA-Z\u00C0-\u00FF _/<>\-.]{0,63}$/.test(name)) throw new HttpError(400, 'name must be a tag name of 1-64 characters', 'name');
          return { status: 201, body: { data: this.store.createTag(name) } };
        },
      };
    }
    if (method === 'PUT' && (m = /^\/v1\/metadata\/([^/]+)$/.exec(path))) {
      const resource = decodeURIComponent(m[1]!);
      return {
        roles: WRITE_ROLES.metadata,
        shape: 'simple',
        run: (body) => {
          const properties = (body() as { properties?: unknown } | null)?.properties;
          if (!properties || typeof properties !== 'object' || Array.isArray(properties)) throw new HttpError(400, 'properties must be an object', 'properties');
          for (const name of Object.keys(properties)) {
            if (!/^[a-z][A-Za-z0-9]*(Str|Txt|Num|At|Bool|Url|Id)$/.test(name)) throw new HttpError(400, `${name}: a custom attribute name is camelCase with a type suffix`, name);
          }
          return { status: 200, body: { data: this.store.defineAttributes(resource, properties as Record<string, Record<string, unknown>>) } };
        },
      };
    }
    return undefined;
  }

  private create(kind: WriteKind, body: unknown, klass?: string): WriteReply {
    const problem = validateBody(kind, body, true, this.store.metadataFor(kind, klass));
    if (problem) throw new HttpError(400, problem.message, problem.parameter);
    const attrs = body as Record<string, unknown>;
    if (typeof attrs.externalId === 'string' && this.opts().refuseExternalIds.includes(attrs.externalId)) throw new HttpError(400, 'externalId is refused by a server-side rule', 'externalId');
    if (this.bulk.isDuplicate(kind, attrs, klass)) throw new HttpError(409, 'duplicate detected', 'externalId');
    return { status: 201, body: { data: this.store.create(kind, attrs, klass) } };
  }

  private one(kind: WriteKind, method: string, id: string, url: URL, body: () => unknown, klass?: string): WriteReply {
    const r = this.store.byId(kind, id, klass);
    if (!r) throw new HttpError(404, `${kind} ${id} not found`, 'id');
    if (method === 'GET') return { status: 200, body: { data: r } };
    const problem = validateBody(kind, body(), false, this.store.metadataFor(kind, klass));
    if (problem) throw new HttpError(400, problem.message, problem.parameter);
    const replace = method === 'PUT' && url.searchParams.get('replace') === 'true';
    return { status: 200, body: { data: this.store.update(kind, r, body() as Record<string, unknown>, replace, klass) } };
  }

  /** `?externalId=` matches exactly; `?filter=` matches names loosely (substring, any case); both given: both ignored. */
  private companyList(url: URL): WriteReply {
    const externalId = url.searchParams.get('externalId');
    const filter = url.searchParams.get('filter');
    let list = this.store.list('company');
    if (externalId !== null && filter === null) list = list.filter((r) => r.attributes.externalId === externalId);
    if (filter !== null && externalId === null) list = list.filter((r) => String(r.attributes.name ?? '').toLowerCase().includes(filter.toLowerCase()));
    const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? 100) || 100, 100);
    const data = list.slice(0, pageSize);
    return { status: 200, body: { data, meta: { pageSize, page: 1, total: list.length }, links: { self: `${url.pathname}${url.search}`, next: null } } };
  }
}

function found(r: Resource | undefined, parameter: string): WriteReply {
  // Kustomer's recorded 404 for a lookup: JSON:API with a numeric status (kustomer-write-api.md §2.4).
  if (!r) return { status: 404, body: { errors: [{ status: 404, source: { parameter }, code: 'notfound', title: 'Not Found' }] } };
  return { status: 200, body: { data: r } };
}

