/**
 * Response variants: ways a real org's answers may differ from the attributes our schemas declare, each a named
 * sandbox option (all off by default). They are applied to a reply's copy as it is served, so the stored data, its
 * indexes, search and the mutations never see them.
 *
 *  - `undeclaredAttributes`: records carry an attribute that no stream schema declares (Kustomer's published
 *    reference documents far fewer attributes than it returns). It is added where a row of every stream comes from:
 *    each resource's attributes, each object item of its top-level array attributes (emails, locations...), each
 *    property of a metadata document, each condition of an SLA version's criteria, and the `meta` of each to-many
 *    relationship reference (JSON:API allows it; shortcuts and mentions are rows of their own).
 *  - `documentedSpellings`: attributes spelled as Kustomer's published examples spell them.
 *  - `idlessAttachments`: conversation attachments without an `id`, as the documented example items.
 */
import { z } from 'zod';

export const responseVariantsSchema = z
  .object({
    undeclaredAttributes: z.boolean(),
    documentedSpellings: z.boolean(),
    idlessAttachments: z.boolean(),
  })
  .partial()
  .strict();

export type ResponseVariants = z.infer<typeof responseVariantsSchema>;

/** Every variant on: what the fold and compliance suites run with besides the defaults. */
export const ALL_RESPONSE_VARIANTS: Required<ResponseVariants> = { undeclaredAttributes: true, documentedSpellings: true, idlessAttachments: true };

/** The attribute no schema declares. Its value names the resource it was added to (`of`: that resource's id). */
export const UNDECLARED_ATTRIBUTE = 'sandboxUndeclared';

/** Resource type → declared attribute → the spelling Kustomer's published examples use instead. */
export const DOCUMENTED_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  company: { externalId: 'extenalId' },
  kobject: { reopenFromDoneCount: 'reopenDoneCount' },
  klass: { displayName: 'displayname' },
  satisfaction: { modifiedAt: 'modified' },
};

type Json = Record<string, unknown>;
type Served = Json & { type?: unknown; id?: unknown; attributes?: Json; relationships?: Record<string, { data?: unknown } & Json> };

/** The reply body with the variants applied to its `data` and `included` resources (copies; the input is untouched). */
export function applyResponseVariants(body: unknown, variants: ResponseVariants): unknown {
  if (!variants.undeclaredAttributes && !variants.documentedSpellings && !variants.idlessAttachments) return body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const doc = body as Json;
  if (!('data' in doc)) return body; // an error document
  const out: Json = { ...doc, data: Array.isArray(doc.data) ? doc.data.map((r) => present(r, variants)) : present(doc.data, variants) };
  if (Array.isArray(doc.included)) out.included = doc.included.map((r) => present(r, variants));
  return out;
}

function present(value: unknown, variants: ResponseVariants): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const res = value as Served;
  if (res.attributes === undefined) return value; // ids-only search results
  const type = typeof res.type === 'string' ? res.type : '';
  let attributes: Json = { ...res.attributes };
  const out: Served = { ...res, attributes };
  if (variants.undeclaredAttributes) {
    const probe = { of: typeof res.id === 'string' ? res.id : null };
    attributes = withProbe(attributes, type, probe);
    out.attributes = attributes;
    if (res.relationships) out.relationships = probedRelationships(res.relationships, probe);
  }
  if (variants.documentedSpellings) {
    for (const [declared, documented] of Object.entries(DOCUMENTED_SPELLINGS[type] ?? {})) {
      if (!(declared in attributes)) continue;
      attributes[documented] = attributes[declared];
      delete attributes[declared];
    }
  }
  if (variants.idlessAttachments && type === 'attachment') delete out.id;
  return out;
}

function withProbe(attributes: Json, type: string, probe: Json): Json {
  const probed = (value: unknown): unknown => (isObject(value) ? { ...value, [UNDECLARED_ATTRIBUTE]: probe } : value);
  const out: Json = { ...attributes, [UNDECLARED_ATTRIBUTE]: probe };
  for (const [key, value] of Object.entries(attributes)) if (Array.isArray(value)) out[key] = value.map(probed);
  if (type === 'metadata' && isObject(attributes.properties)) out.properties = mapValues(attributes.properties, probed);
  if (type === 'sla_version' && isObject(attributes.criteria)) {
    // Conditions are `{<field>: {operator, value}}`: the probe goes next to operator and value.
    const criteria: Json = { ...attributes.criteria };
    for (const match of ['and', 'or']) {
      const conditions = criteria[match];
      if (Array.isArray(conditions)) criteria[match] = conditions.map((c) => (isObject(c) ? mapValues(c, probed) : c));
    }
    out.criteria = criteria;
  }
  return out;
}

function mapValues(obj: Json, f: (value: unknown) => unknown): Json {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v)]));
}

function probedRelationships(relationships: Record<string, { data?: unknown } & Json>, probe: Json): Record<string, { data?: unknown } & Json> {
  const out: Record<string, { data?: unknown } & Json> = {};
  for (const [name, rel] of Object.entries(relationships)) {
    const data = rel?.data;
    out[name] = Array.isArray(data) ? { ...rel, data: data.map((ref) => (isObject(ref) ? { ...ref, meta: { [UNDECLARED_ATTRIBUTE]: probe } } : ref)) } : rel;
  }
  return out;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
