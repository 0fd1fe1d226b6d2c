import type { Resource } from '../kustomer-client/jsonapi';
import type { ParentNode, Source } from './kinds';

/**
 * Pure record transforms, referenced by name from the stream table. Each exists because of one Kustomer quirk,
 * stated in its comment.
 */

/**
 * A JSON:API resource → one flat camelCase row: id, attributes, and relationships as `<name>Id` (to-one) or
 * `<singular name>Ids` (to-many: `shortcuts` → `shortcutIds`). A relationship whose id is null does not overwrite an
 * attribute of the same name (audit logs carry `attributes.userId` next to `relationships.user` = `{id: null}`):
 * the projector's rule, a null never overwrites a value, holds here too.
 */
export function flattenResource(res: Resource): Source {
  // Some resources have no id at all (outbound accounts): their key is made of attributes.
  const row: Source = res.id === undefined ? { ...res.attributes } : { id: res.id, ...res.attributes };
  const rels = res.relationships;
  if (rels) {
    for (const name in rels) {
      const data = rels[name]?.data;
      if (data === undefined || data === null) continue;
      if (Array.isArray(data)) row[relationshipKey(name, true)] = data.map((d) => d.id);
      else if (data.id !== null && data.id !== undefined) row[relationshipKey(name, false)] = data.id;
      else row[relationshipKey(name, false)] ??= null;
    }
  }
  if (res.links?.self !== undefined) row.selfUrl = res.links.self;
  if (res.links?.related !== undefined) row.relatedUrl = res.links.related;
  return row;
}

/** The source key of a relationship: `createdBy` → `createdById`, to-many `shortcuts` → `shortcutIds`. */
export function relationshipKey(name: string, toMany: boolean): string {
  return toMany ? `${name.replace(/s$/, '')}Ids` : `${name}Id`;
}

/** Links a flattened row carries (`links.self` / `links.related`): derived from the id, never kept as extras. */
export const LINK_KEYS: ReadonlySet<string> = new Set(['selfUrl', 'relatedUrl']);

/**
 * A JSON:API resource: a `type` and an `attributes` object. The id may be missing: Kustomer's documented
 * conversation attachments and outbound accounts carry none, and they are still resources to flatten.
 */
export function isResource(value: unknown): value is Resource {
  if (typeof value !== 'object' || value === null) return false;
  const { id, type, attributes } = value as { id?: unknown; type?: unknown; attributes?: unknown };
  return typeof type === 'string' && (id === undefined || typeof id === 'string') && typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes);
}

/**
 * A message's `meta.to` / `cc` / `bcc` arrive as a string, an `{email,name}` object, or a list of either
 * (MeltanoLabs' tap normalises the same six cases). One shape downstream: a list of `{email, name}`.
 */
export function normaliseRecipients(row: Source): Source {
  const meta = row.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return row;
  const fixed: Record<string, unknown> = { ...(meta as Record<string, unknown>) };
  for (const field of ['to', 'cc', 'bcc'] as const) {
    if (field in fixed) fixed[field] = toRecipientList(fixed[field]);
  }
  return { ...row, meta: fixed };
}

/** Drafts carry `to` / `cc` / `bcc` at the top level, in the same shapes as a message's `meta`: one list each. */
export function normaliseDraftRecipients(row: Source): Source {
  const fixed = normaliseRecipients(row);
  const out: Source = fixed === row ? { ...row } : fixed;
  for (const field of ['to', 'cc', 'bcc'] as const) {
    if (field in out) out[field] = toRecipientList(out[field]);
  }
  return out;
}

function toRecipientList(value: unknown): Array<{ email: string | null; name: string | null }> | null {
  if (value === null || value === undefined) return null;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (typeof item === 'string') return item.split(',').map((s) => s.trim()).filter(Boolean).map((email) => ({ email, name: null }));
    if (typeof item === 'object' && item !== null) {
      const o = item as Record<string, unknown>;
      return [{ email: typeof o.email === 'string' ? o.email : null, name: typeof o.name === 'string' ? o.name : null }];
    }
    return [];
  });
}

/** A `/v1/metadata/{resource}` document → one row per custom attribute (its `properties` map). */
export function metadataProperties(doc: Resource): Source[] {
  const properties = (doc.attributes?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const orgId = (doc.relationships?.org?.data as { id?: string } | undefined)?.id ?? null;
  return Object.entries(properties).map(([name, meta]) => ({ ...meta, resource: doc.id, name, orgId }));
}

/** A parent's nested array (`attributes.<field>`) as plain items; scalar items (ids) become `{[scalarKey]: item}`. */
export function nested(field: string, scalarKey = 'value') {
  return (parent: ParentNode): Source[] => {
    const raw = parent.raw as Resource;
    const value = (raw.attributes ?? (raw as unknown as Source))[field];
    return Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'object' && v !== null ? (v as Source) : { [scalarKey]: v })) : [];
  };
}

/**
 * A parent's to-many relationship, one row per related id. Whatever else a reference carries (JSON:API allows a
 * `meta`) stays on the row, so the projector keeps it in `_sdc_extra` instead of dropping it.
 */
export function related(name: string, toRow: (ref: { type: string; id: string }) => Source) {
  return (parent: ParentNode): Source[] => {
    const data = (parent.raw as Resource).relationships?.[name]?.data;
    if (!Array.isArray(data)) return [];
    return data.map((ref) => {
      const { type: _type, id: _id, ...rest } = ref as { type: string; id: string } & Source;
      const row = toRow(ref);
      return Object.keys(rest).length > 0 ? { ...rest, ...row } : row;
    });
  };
}

/** SLA versions arrive side-loaded (`GET /v1/slas?versions=all` → `included[]`); pick the parent SLA's. */
export function includedVersionsOf(parent: ParentNode): Resource[] {
  return parent.included.filter((inc) => {
    const sla = inc.relationships?.sla?.data;
    return !Array.isArray(sla) && sla?.id === parent.id;
  });
}

/** An SLA version's `criteria: {and: [{field: {operator, value}}], or: [...]}` → one row per condition. */
export function slaCriteria(parent: ParentNode): Source[] {
  const version = parent.raw as Resource;
  const criteria = (version.attributes?.criteria ?? {}) as Record<string, unknown>;
  const slaId = (version.relationships?.sla?.data as { id?: string } | undefined)?.id ?? null;
  const rows: Source[] = [];
  for (const matchType of ['and', 'or'] as const) {
    const conditions = criteria[matchType];
    if (!Array.isArray(conditions)) continue;
    conditions.forEach((condition, index) => {
      const [field, spec] = Object.entries((condition ?? {}) as Record<string, { operator?: unknown; value?: unknown }>)[0] ?? [];
      // Keys of a condition besides operator and value are kept on the row (→ `_sdc_extra`), not dropped.
      const { operator, value, ...rest } = (spec ?? {}) as Source;
      rows.push({ ...rest, slaId, matchType, index, field: field ?? null, operator: operator ?? null, value: value ?? null });
    });
  }
  return rows;
}

/** A note's `relationships.userMentions` holds users and teams; one row per mention, typed. */
export function mentionRow(ref: { type: string; id: string }): Source {
  return { mentionType: ref.type, userId: ref.type === 'user' ? ref.id : null, teamId: ref.type === 'team' ? ref.id : null };
}

/** Conversations embed message summaries (`firstMessageIn`…) whose `meta.to` varies like a message's. */
export function normaliseMessageRefs(row: Source): Source {
  const out = { ...row };
  for (const key of MESSAGE_REFS) {
    const ref = out[key];
    if (ref && typeof ref === 'object') out[key] = normaliseRecipients(ref as Source);
  }
  return out;
}
const MESSAGE_REFS = ['firstMessageIn', 'firstMessageOut', 'lastMessageIn', 'lastMessageOut', 'lastMessageUnrespondedTo', 'lastMessageUnrespondedToSinceLastDone'];
