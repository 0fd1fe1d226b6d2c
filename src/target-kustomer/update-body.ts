/**
 * The body of an update: only what differs from what Kustomer holds. `custom` is sent whole (Kustomer's
 * merge-or-replace behaviour for `custom` on update is unconfirmed; the whole merged object is right either way), a
 * single email/phone is added to the object's list instead of replacing it, and tags are the full new array.
 */
import { sameValue } from './compare';
import type { StreamMapping } from './mapping';

export function updateBody(
  mapping: StreamMapping,
  desired: Record<string, unknown>,
  existing: Record<string, unknown>,
  tags?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const singles = new Set(mapping.targets.filter((t) => t.field.kind === 'email' || t.field.kind === 'phone').map((t) => t.field.attr));
  for (const [attr, value] of Object.entries(desired)) {
    if (attr === 'custom') {
      const current = isObject(existing.custom) ? existing.custom : {};
      const wanted = value as Record<string, unknown>;
      if (!Object.entries(wanted).every(([k, v]) => sameValue(current[k] ?? null, v))) out.custom = { ...current, ...wanted };
      continue;
    }
    if (singles.has(attr)) {
      const item = (value as Array<Record<string, unknown>>)[0];
      if (!item) continue;
      const key = attr === 'emails' ? 'email' : 'phone';
      const current = Array.isArray(existing[attr]) ? (existing[attr] as Array<Record<string, unknown>>) : [];
      const norm = (v: unknown) => String(v ?? '').trim().toLowerCase();
      if (!current.some((c) => norm(c[key]) === norm(item[key]))) out[attr] = [item, ...current.map((c) => ({ [key]: c[key], ...(c.type ? { type: c.type } : {}) }))];
      continue;
    }
    if (Array.isArray(value) && Array.isArray(existing[attr])) {
      const current = existing[attr] as unknown[];
      // List items compare on the properties the record gives (Kustomer adds `verified` and the like).
      const same = value.length === current.length && value.every((v, i) => isObject(v) && isObject(current[i]) ? Object.entries(v).every(([k, x]) => sameValue((current[i] as Record<string, unknown>)[k] ?? null, x)) : sameValue(v, current[i]));
      if (!same) out[attr] = value;
      continue;
    }
    if (!sameValue(existing[attr] ?? null, value)) out[attr] = value;
  }
  if (tags) out.tags = tags;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
