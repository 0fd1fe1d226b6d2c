import * as z from '../lean-zod';

/** A Kustomer JSON:API resource as returned (camelCase attributes, relationships by {type,id}). */
export interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string } | Array<{ type: string; id: string }> | null } | undefined>;
  links?: { self?: string; related?: string };
}

const SingleDocument = z.looseObject({
  data: z.looseObject({}),
  included: z.array(z.looseObject({})).optional(),
});

/** A list page; `T` is what the request made of `data`'s elements (Resources, or what the request's `dataElement` made of them). */
export interface ListPage<T = Resource> {
  data: T[];
  included: Resource[];
  meta: Record<string, unknown>;
  next: string | null;
}

/**
 * Checks a list page's envelope and hands its arrays on as they are. The checks stay shallow (records are validated
 * by the stream schemas) and copy nothing: a schema library's object check copies every record of every page.
 * Problems are named as they always were: `data.3: Invalid input: expected object, received null`.
 */
export function parseListDocument<T = Resource>(body: unknown): ListPage<T> | string {
  const problem = listProblem(body);
  if (problem !== undefined) return `unexpected response shape (${problem.path || 'body'}: Invalid input: expected ${problem.expected}, received ${jsonType(problem.value)})`;
  const doc = body as { data: T[]; included?: Resource[]; meta?: Record<string, unknown> | null; links?: { next?: string | null } | null };
  return { data: doc.data, included: doc.included ?? [], meta: doc.meta ?? {}, next: doc.links?.next ?? null };
}

interface Problem {
  path: string;
  expected: 'object' | 'array' | 'string';
  value: unknown;
}

/** The first thing wrong with a list page's envelope, in the order its members are checked; undefined if none. */
function listProblem(body: unknown): Problem | undefined {
  if (!isObject(body)) return { path: '', expected: 'object', value: body };
  const { data, included, meta, links } = body;
  const problem = arrayOfObjectsProblem('data', data);
  if (problem) return problem;
  if (included !== undefined) {
    const inIncluded = arrayOfObjectsProblem('included', included);
    if (inIncluded) return inIncluded;
  }
  if (meta !== undefined && meta !== null && !isObject(meta)) return { path: 'meta', expected: 'object', value: meta };
  if (links !== undefined && links !== null) {
    if (!isObject(links)) return { path: 'links', expected: 'object', value: links };
    const next = links.next;
    if (next !== undefined && next !== null && typeof next !== 'string') return { path: 'links.next', expected: 'string', value: next };
  }
  return undefined;
}

function arrayOfObjectsProblem(name: string, value: unknown): Problem | undefined {
  if (!Array.isArray(value)) return { path: name, expected: 'array', value };
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    if (!isObject(element)) return { path: `${name}.${i}`, expected: 'object', value: element };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value's type as problems name it. */
function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

export function parseSingleDocument(body: unknown): Resource | string {
  const result = SingleDocument.safeParse(body);
  return result.success ? (result.data.data as unknown as Resource) : 'unexpected response shape (data is not an object)';
}

/**
 * Kustomer returns errors in two shapes and its API reference says to accept both:
 * `{"errors":[{"code","message","meta"}]}` and JSON:API `{"errors":[{"status","code","title","detail","source"}]}`.
 */
export function errorMessage(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) {
    const message = (body as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? message : undefined;
  }
  const parts = [first.detail, first.message, first.title, first.code].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts[0];
}

/** Relationship id(s) of a resource. */
export function relId(res: Resource, name: string): string | undefined {
  const data = res.relationships?.[name]?.data;
  return data && !Array.isArray(data) ? data.id : undefined;
}
