import type { Resource } from '../kustomer-client/jsonapi';
import { snakeCase } from '../util/case';

/**
 * The vocabulary of the stream table. A stream is data: a row built by one of these builders, plus its JSON
 * Schema in src/schemas/<name>.json. Behaviour lives once, in the sync engine, per kind:
 *
 *  - `list`     a plain `GET /v1/...` list followed through `links.next`; FULL_TABLE with ACTIVATE_VERSION.
 *  - `search`   the search API (`POST /v1/customers/search`) read as an (updated_at, id) keyset; INCREMENTAL.
 *  - `child`    one `GET` list per parent record, fetched in the parent's pass for changed parents only.
 *  - `flatten`  rows taken from a parent record's nested array: no HTTP at all, emitted in the parent's pass.
 *  - `audit`    the audit log, paged by cursor (`after`), append-only; also the feed of hard deletes.
 *
 * Children share their root's pass (and request budget); the root is fetched when any member is selected.
 */

/** A record on its way to the target: camelCase keys as Kustomer names them, before projection. */
export type Source = Record<string, unknown>;

/** What a flatten/child row builder sees of its parent. */
export interface ParentNode {
  /** The parent as returned (a JSON:API resource, or an array item of a grandparent). */
  raw: Resource | Source;
  /** The parent's id and updatedAt, copied onto child rows. */
  id: string;
  updatedAt: string | null;
  /** Resources side-loaded with the parent's page (`included[]`). */
  included: readonly Resource[];
}

export interface TransformContext {
  /**
   * A KObject's klass reference (`relationships.klass.data.id`) → the klass's 24-hex id and name. Kustomer's
   * published examples name the klass by its name; an older reading has the id. Either resolves to both.
   */
  klass(ref: string | undefined): { id: string | null; name: string | null };
}

export interface DiscoveryContext {
  /** Names of the org's KObject klasses. */
  klassNames(): Promise<string[]>;
}

interface StreamBase {
  /** Singer stream name; the schema file is src/schemas/<name>.json. */
  readonly name: string;
  /** One line for the README's stream table. */
  readonly doc: string;
  /** The Kustomer read role the endpoint needs; named when Kustomer answers 403. */
  readonly role: string;
  /** Singer key properties (snake_case columns). */
  readonly keys: readonly string[];
  /** Pure fix-ups of a quirky source row before projection (named functions from transforms.ts). */
  readonly transform?: (row: Source, ctx: TransformContext) => Source;
  /** In a run without --catalog, and pre-selected by discovery. Default true. */
  readonly selectedByDefault?: boolean;
  /** Custom attributes typed from `/v1/metadata/<resource>` at discovery. */
  readonly customFrom?: string;
  /**
   * Other spellings Kustomer's published examples use for a declared attribute: source key → the attribute the
   * schema names (`extenalId` → `externalId`). Whichever spelling arrives fills the column.
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface ListStream extends StreamBase {
  readonly kind: 'list';
  /** Path of the list, or several (one per resource, e.g. metadata documents), computed at sync time. */
  readonly path: string | ((ctx: DiscoveryContext) => Promise<string[]>);
  /** The endpoint's largest page size (Kustomer clamps larger requests). */
  readonly maxPageSize: number;
  readonly params?: Readonly<Record<string, string>>;
  /** A response that is one document, not a list (`GET /v1/metadata/{resource}`). */
  readonly single?: boolean;
  /** One resource → several rows (a metadata document → one row per property). */
  readonly explode?: (res: Resource) => Source[];
}

export interface SearchStream extends StreamBase {
  readonly kind: 'search';
  /** The search API's `queryContext`: its attributes are `<context>_updated_at`, `<context>_created_at` (`kobject_…` for a klass context). */
  readonly queryContext: string;
  /** Archive search can backfill objects older than the 2-year search window. */
  readonly archive?: boolean;
  /**
   * Kustomer deletes these permanently (they vanish from search; the audit log's `delete` events are the only
   * trace), besides the `deleted` flag every search object carries.
   */
  readonly hardDeletes?: boolean;
}

export interface ChildStream extends StreamBase {
  readonly kind: 'child';
  readonly parent: string;
  readonly path: (parentId: string) => string;
  readonly maxPageSize: number;
  /** The parent-id column (camelCase source key, e.g. `conversationId`). */
  readonly parentKey: string;
  /**
   * Children that never vanish while their parent lives (event history, handle times). Changed parents then
   * skip the trailing tombstones; the rows still go when the parent is deleted.
   */
  readonly appendOnly?: boolean;
}

export interface FlattenStream extends StreamBase {
  readonly kind: 'flatten';
  readonly parent: string;
  /** The parent's nested items; no HTTP request. */
  readonly items: (parent: ParentNode) => ReadonlyArray<Resource | Source>;
  /** The parent-id column (camelCase source key). */
  readonly parentKey: string;
  /**
   * Position-keyed rows ([parent id, index]) of an incremental parent: when the parent changes, positions past
   * its new end are tombstoned (see README, "How deletes are detected"). Replace-mode children use natural keys.
   */
  readonly positional: boolean;
}

export interface AuditStream extends StreamBase {
  readonly kind: 'audit';
  readonly path: string;
  readonly maxPageSize: number;
}

export type StreamDef = ListStream | SearchStream | ChildStream | FlattenStream | AuditStream;
export type RootDef = ListStream | SearchStream | AuditStream;

// ---------------------------------------------------------------------------------------------------------------
// Builders: defaults live here so a table row states only what is particular to its entity. Names and parents keep
// their literal types, so `streamTable` can check every parent against the table's names at compile time.

/** A row whose name (and parent) are known to the type checker. */
type Named<T extends StreamDef, N extends string> = T & { readonly name: N };
type ParentOf<D> = D extends { readonly parent: infer P } ? P : never;
/** Parents that name no stream of the table (never, in a sound table). */
type UnknownParents<T extends readonly StreamDef[]> = Exclude<ParentOf<T[number]>, T[number]['name']>;

/**
 * The stream table, checked: a `parent` that names no stream of it is a compile error
 * ("Property 'unknownParent' is missing…", naming the parent).
 */
export function streamTable<const T extends readonly StreamDef[]>(
  rows: T & ([UnknownParents<T>] extends [never] ? unknown : { readonly unknownParent: UnknownParents<T> }),
): T {
  return rows;
}

type Opt<T extends StreamDef, K extends keyof T> = Omit<T, 'kind' | 'name' | K | 'keys'> & { keys?: readonly string[] };

export const list = <const N extends string>(
  name: N,
  path: ListStream['path'],
  opts: Opt<ListStream, 'path' | 'maxPageSize'> & { maxPageSize?: number },
): Named<ListStream, N> => ({
  kind: 'list',
  name,
  path,
  maxPageSize: 100,
  keys: ['id'],
  ...opts,
});

export const search = <const N extends string>(name: N, queryContext: string, opts: Opt<SearchStream, 'queryContext'>): Named<SearchStream, N> => ({
  kind: 'search',
  name,
  queryContext,
  keys: ['id'],
  ...opts,
});

export const child = <const N extends string, const P extends string>(
  name: N,
  parent: P,
  path: ChildStream['path'],
  opts: Opt<ChildStream, 'parent' | 'path' | 'parentKey' | 'maxPageSize'> & { maxPageSize?: number },
): Named<ChildStream, N> & { readonly parent: P } => {
  const parentKey = `${singular(parent)}Id`;
  return {
    kind: 'child',
    name,
    parent,
    path,
    parentKey,
    maxPageSize: 100,
    keys: [snakeCase(parentKey), 'index'],
    // Each one costs a request per changed parent: opt-in, and the README says what it costs.
    selectedByDefault: false,
    ...opts,
  };
};

export const flatten = <const N extends string, const P extends string>(
  name: N,
  parent: P,
  items: FlattenStream['items'],
  opts: Opt<FlattenStream, 'parent' | 'items' | 'parentKey' | 'positional'> & { positional?: boolean; parentKey?: string },
): Named<FlattenStream, N> & { readonly parent: P } => {
  const parentKey = opts.parentKey ?? `${singular(parent)}Id`;
  const positional = opts.positional ?? true;
  return {
    kind: 'flatten',
    name,
    parent,
    items,
    parentKey,
    positional,
    keys: positional ? [snakeCase(parentKey), 'index'] : ['id'],
    ...opts,
  };
};

export const audit = <const N extends string>(name: N, path: string, opts: Opt<AuditStream, 'path' | 'maxPageSize'>): Named<AuditStream, N> => ({
  kind: 'audit',
  name,
  path,
  maxPageSize: 1000,
  keys: ['id'],
  ...opts,
});

function singular(stream: string): string {
  const map: Record<string, string> = { companies: 'company', customers: 'customer', conversations: 'conversation', messages: 'message', notes: 'note' };
  return map[stream] ?? stream.replace(/s$/, '');
}

