/** The search body (`POST /v1/customers/search`, kustomer-api.md §3): its shape checked, its attribute names not yet. */
import { DateTime } from 'luxon';
import { HttpError, isObject } from '../http-error';

/** A search the sandbox refuses: answered 400, naming the parameter or attribute at fault. */
export class SearchError extends HttpError {
  constructor(message: string, parameter?: string) {
    super(400, message, parameter);
  }
}

export type Criterion = Record<string, unknown>;
export type Direction = 'asc' | 'desc';

export interface SearchBody {
  queryContext: string;
  and?: Criterion[];
  or?: Criterion[];
  not?: Criterion[];
  sort?: Array<Record<string, Direction>>;
  includeDeleted?: boolean;
  timeZone?: string;
  /** Each object names attributes by its keys (the document types `fields` items as objects, nothing more). */
  fields?: Array<Record<string, unknown>>;
}

const BODY_KEYS = new Set(['queryContext', 'and', 'or', 'not', 'sort', 'includeDeleted', 'timeZone', 'fields', 'searchHash', 'aggs']);


/** `and`/`or`/`not`: one criterion object or a list of them (undefined when absent). */
export function criteriaList(v: unknown, name: string): Criterion[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (!list.every(isObject)) throw new SearchError(`\`${name}\` must be an object or an array of objects`, name);
  return list;
}

/** Validates the JSON body's shape (not its attribute names: those depend on the context). */
export function parseSearchBody(raw: unknown): SearchBody {
  if (!isObject(raw)) throw new SearchError('search body must be a JSON object');
  for (const k of Object.keys(raw)) if (!BODY_KEYS.has(k)) throw new SearchError(`unknown search property \`${k}\``, k);
  const { queryContext, includeDeleted, timeZone, fields, sort } = raw;
  if (typeof queryContext !== 'string' || !queryContext) throw new SearchError('`queryContext` is required', 'queryContext');
  if (includeDeleted !== undefined && typeof includeDeleted !== 'boolean') throw new SearchError('`includeDeleted` must be a boolean', 'includeDeleted');
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !DateTime.now().setZone(timeZone).isValid)) {
    throw new SearchError('`timeZone` must be a valid time zone name', 'timeZone');
  }
  if (fields !== undefined && !(Array.isArray(fields) && fields.every(isObject))) {
    throw new SearchError('`fields` must be an array of objects', 'fields');
  }
  let sortList: Array<Record<string, Direction>> | undefined;
  if (sort !== undefined && sort !== null) {
    const items = Array.isArray(sort) ? sort : [sort];
    for (const s of items) {
      if (!isObject(s) || Object.keys(s).length !== 1 || !Object.values(s).every((d) => d === 'asc' || d === 'desc')) {
        throw new SearchError('`sort` items must look like {"<attribute>": "asc"|"desc"}', 'sort');
      }
    }
    sortList = items as Array<Record<string, Direction>>;
  }
  return {
    queryContext,
    and: criteriaList(raw.and, 'and'),
    or: criteriaList(raw.or, 'or'),
    not: criteriaList(raw.not, 'not'),
    sort: sortList,
    includeDeleted: includeDeleted as boolean | undefined,
    timeZone: timeZone as string | undefined,
    fields: fields as Array<Record<string, unknown>> | undefined,
  };
}
