/**
 * Kustomer's standard attributes a record property can map to, per object, and how a value becomes the body
 * Kustomer expects (a single email becomes `emails: [{email}]`, domains become `[{domain}]`...).
 */
import type { ObjectKind } from './objects';

export type FieldKind = 'string' | 'number' | 'date' | 'email' | 'phone' | 'emails' | 'phones' | 'domains' | 'urls' | 'custom';

export interface StandardField {
  /** The attribute in Kustomer's body. */
  attr: string;
  kind: FieldKind;
}

const common: Record<string, StandardField> = {
  external_id: { attr: 'externalId', kind: 'string' },
  custom: { attr: 'custom', kind: 'custom' },
};

const CUSTOMER: Record<string, StandardField> = {
  ...common,
  name: { attr: 'name', kind: 'string' },
  email: { attr: 'emails', kind: 'email' },
  emails: { attr: 'emails', kind: 'emails' },
  phone: { attr: 'phones', kind: 'phone' },
  phones: { attr: 'phones', kind: 'phones' },
  urls: { attr: 'urls', kind: 'urls' },
  username: { attr: 'username', kind: 'string' },
  locale: { attr: 'locale', kind: 'string' },
  avatar_url: { attr: 'avatarUrl', kind: 'string' },
  company: { attr: 'company', kind: 'string' },
  time_zone: { attr: 'timeZone', kind: 'string' },
  default_lang: { attr: 'defaultLang', kind: 'string' },
  gender: { attr: 'gender', kind: 'string' },
  birthday_at: { attr: 'birthdayAt', kind: 'date' },
  signed_up_at: { attr: 'signedUpAt', kind: 'date' },
};

const COMPANY: Record<string, StandardField> = {
  ...common,
  name: { attr: 'name', kind: 'string' },
  domains: { attr: 'domains', kind: 'domains' },
  email: { attr: 'emails', kind: 'email' },
  emails: { attr: 'emails', kind: 'emails' },
  phone: { attr: 'phones', kind: 'phone' },
  phones: { attr: 'phones', kind: 'phones' },
  urls: { attr: 'urls', kind: 'urls' },
  avatar_url: { attr: 'avatarUrl', kind: 'string' },
  employee_count: { attr: 'employeeCount', kind: 'number' },
  default_lang: { attr: 'defaultLang', kind: 'string' },
};

const KOBJECT: Record<string, StandardField> = {
  ...common,
  title: { attr: 'title', kind: 'string' },
  description: { attr: 'description', kind: 'string' },
  customer: { attr: 'customer', kind: 'string' },
  company: { attr: 'company', kind: 'string' },
};

const BY_KIND: Record<ObjectKind, Record<string, StandardField>> = { customer: CUSTOMER, company: COMPANY, kobject: KOBJECT };

/** `externalId`, `external_id`, `External-ID` → `externalid`: how property names are compared. */
export function normalizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** The standard field a name (snake_case or camelCase) denotes for this object, if any. */
export function standardField(kind: ObjectKind, name: string): StandardField | undefined {
  const wanted = normalizeName(name);
  for (const [key, field] of Object.entries(BY_KIND[kind])) if (normalizeName(key) === wanted) return field;
  return undefined;
}

export function standardFieldNames(kind: ObjectKind): string[] {
  return Object.keys(BY_KIND[kind]);
}

const LIST_ITEM_KEY: Partial<Record<FieldKind, string>> = { email: 'email', emails: 'email', phone: 'phone', phones: 'phone', domains: 'domain', urls: 'url' };
/** Item properties Kustomer accepts besides the main one (OAS: additionalProperties false). */
const ITEM_EXTRAS = ['type', 'verified'];

/**
 * A record value as Kustomer's body wants it, or an error message. Lists accept plain strings or objects carrying
 * the item key (the tap's own output: `[{email, type, verified}]`).
 */
export function toBodyValue(field: StandardField, value: unknown): { value: unknown } | { error: string } {
  if (value === null || value === undefined) return { value: null };
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' ? { value } : typeof value === 'number' ? { value: String(value) } : { error: `${field.attr} must be a string` };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { error: `${field.attr} must be a number` };
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? { value } : { error: `${field.attr} must be an ISO-8601 date-time` };
    case 'custom':
      return typeof value === 'object' && !Array.isArray(value) ? { value } : { error: 'custom must be an object of custom attributes' };
    case 'email':
    case 'phone': {
      if (typeof value !== 'string') return { error: `${field.kind} must be a string` };
      const key = LIST_ITEM_KEY[field.kind]!;
      return { value: value.trim() === '' ? [] : [{ [key]: value.trim() }] };
    }
    default: {
      const key = LIST_ITEM_KEY[field.kind]!;
      const list = Array.isArray(value) ? value : [value];
      const items: Record<string, unknown>[] = [];
      for (const item of list) {
        if (typeof item === 'string') items.push({ [key]: item });
        else if (item && typeof item === 'object' && typeof (item as Record<string, unknown>)[key] === 'string') {
          const src = item as Record<string, unknown>;
          const out: Record<string, unknown> = { [key]: src[key] };
          for (const extra of ITEM_EXTRAS) if (src[extra] !== undefined && src[extra] !== null) out[extra] = src[extra];
          items.push(out);
        } else return { error: `${field.attr} items must be strings or objects with ${key}` };
      }
      return { value: items };
    }
  }
}
