import * as z from '../lean-zod';

/** A Kustomer JSON:API resource as returned (camelCase attributes, relationships by {type,id}). */
export interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string } | Array<{ type: string; id: string }> | null } | undefined>;
  links?: { self?: string; related?: string };
}

/** Envelope checks stay shallow: records are validated by the stream schemas, not here (per-record cost). */
const ListDocument = z.looseObject({
  data: z.array(z.looseObject({})),
  included: z.array(z.looseObject({})).optional(),
  meta: z.looseObject({}).nullable().optional(),
  links: z.looseObject({ next: z.string().nullable().optional() }).nullable().optional(),
});
const SingleDocument = z.looseObject({
  data: z.looseObject({}),
  included: z.array(z.looseObject({})).optional(),
});

export interface ListPage {
  data: Resource[];
  included: Resource[];
  meta: Record<string, unknown>;
  next: string | null;
}

export function parseListDocument(body: unknown): ListPage | string {
  const result = ListDocument.safeParse(body);
  if (!result.success) return `unexpected response shape (${result.error.issues[0]?.path.join('.') || 'body'}: ${result.error.issues[0]?.message})`;
  const doc = result.data;
  return {
    data: doc.data as unknown as Resource[],
    included: (doc.included ?? []) as unknown as Resource[],
    meta: (doc.meta ?? {}) as Record<string, unknown>,
    next: (doc.links?.next as string | null | undefined) ?? null,
  };
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
