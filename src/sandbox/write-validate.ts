/**
 * Validation of write bodies as Kustomer's OpenAPI schemas state it (kustomer-write-api.md §2.2, §2.5, §2.8, §2.11):
 * known attributes only, typed values, list shapes, company name ≥ 3, KObject title, custom attributes that exist in
 * the org's metadata and fit their type. Returns the first problem, like a schema validator.
 */
import { isObject } from './http-error';
import type { Resource } from './model';

export type WriteKind = 'customer' | 'company' | 'kobject';

export interface Problem {
  message: string;
  parameter: string;
}

const LISTS = ['emails', 'sharedEmails', 'phones', 'sharedPhones', 'whatsapps', 'externalIds', 'sharedExternalIds', 'socials', 'sharedSocials', 'urls', 'locations', 'domains', 'facebookIds', 'instagramIds', 'images'];
const LIST_KEY: Record<string, string> = { emails: 'email', sharedEmails: 'email', phones: 'phone', sharedPhones: 'phone', whatsapps: 'phone', externalIds: 'externalId', sharedExternalIds: 'externalId', urls: 'url', domains: 'domain' };

const ALLOWED: Record<WriteKind, Set<string>> = {
  customer: new Set([
    'name', 'company', 'externalId', 'username', 'signedUpAt', 'lastActivityAt', 'lastCustomerActivityAt', 'lastSeenAt', 'avatarUrl', 'locale', 'timeZone',
    'birthdayAt', 'gender', 'defaultLang', 'createdAt', 'importedAt', 'rev', 'sentiment', 'custom', 'tags',
    'emails', 'sharedEmails', 'phones', 'sharedPhones', 'whatsapps', 'externalIds', 'sharedExternalIds', 'socials', 'sharedSocials', 'urls', 'locations', 'facebookIds', 'instagramIds',
  ]),
  company: new Set(['name', 'externalId', 'avatarUrl', 'emails', 'phones', 'whatsapps', 'socials', 'urls', 'domains', 'locations', 'employeeCount', 'tags', 'custom', 'createdAt', 'importedAt', 'rev', 'defaultLang', 'deleted']),
  kobject: new Set(['title', 'customer', 'company', 'externalId', 'description', 'images', 'icon', 'data', 'custom', 'tags', 'createdAt', 'importedAt', 'rev']),
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TAG = /^[0-9a-zA-Z\u00C0-\u00FF_/<>\-.][0-9a-zA-Z\u00C0-\u00FF _/<>\-.]{0,63}$/;
const DATE_ATTRS = new Set(['signedUpAt', 'lastActivityAt', 'lastCustomerActivityAt', 'lastSeenAt', 'birthdayAt', 'createdAt', 'importedAt']);
const STRING_ATTRS = new Set(['name', 'company', 'externalId', 'username', 'avatarUrl', 'locale', 'timeZone', 'defaultLang', 'title', 'customer', 'description', 'icon']);


export function validateBody(kind: WriteKind, body: unknown, creating: boolean, metadata: Resource | undefined, extraAllowed: string[] = []): Problem | undefined {
  if (!isObject(body)) return { message: 'body must be a JSON object', parameter: 'body' };
  for (const key of Object.keys(body)) {
    if (!ALLOWED[kind].has(key) && !extraAllowed.includes(key)) return { message: 'Additional properties not allowed', parameter: key };
  }
  for (const [key, value] of Object.entries(body)) {
    if (value === null) {
      if (kind === 'company' && key === 'name') return { message: 'name must be a string', parameter: 'name' };
      continue;
    }
    if (STRING_ATTRS.has(key) && typeof value !== 'string') return { message: `${key} must be a string`, parameter: key };
    if (key === 'externalId' && ((value as string).length < 1 || (value as string).length > 256)) return { message: 'externalId must be 1-256 characters', parameter: key };
    if (key === 'name' && (value as string).length > 256) return { message: 'name must be at most 256 characters', parameter: key };
    if (DATE_ATTRS.has(key) && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) return { message: `${key} must be a date-time`, parameter: key };
    if (key === 'gender' && value !== 'm' && value !== 'f') return { message: 'gender must be m or f', parameter: key };
    if (key === 'employeeCount' && typeof value !== 'number') return { message: 'employeeCount must be a number', parameter: key };
    if (key === 'tags') {
      if (!Array.isArray(value) || value.length > 20 || !value.every((t) => typeof t === 'string' && TAG.test(t))) return { message: 'tags must be at most 20 tag strings', parameter: key };
    }
    if (LISTS.includes(key)) {
      if (!Array.isArray(value) || value.length > 10) return { message: `${key} must be an array of at most 10 items`, parameter: key };
      const itemKey = LIST_KEY[key];
      for (const item of value) {
        if (!isObject(item)) return { message: `${key} items must be objects`, parameter: key };
        if (itemKey && typeof item[itemKey] !== 'string') return { message: `${key} items need ${itemKey}`, parameter: key };
        if (itemKey === 'email' && !EMAIL.test(item.email as string)) return { message: `${JSON.stringify(item.email)} is not a valid email`, parameter: key };
      }
    }
    if (key === 'custom') {
      const problem = validateCustom(value, metadata);
      if (problem) return problem;
    }
  }
  if (creating && kind === 'company') {
    if (typeof body.name !== 'string' || body.name.length < 3) return { message: 'name is required (at least 3 characters)', parameter: 'name' };
  }
  if (creating && kind === 'kobject' && (typeof body.title !== 'string' || body.title === '')) return { message: 'title is required', parameter: 'title' };
  return undefined;
}

const TYPE_CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= 1024,
  text: (v) => typeof v === 'string' && v.length <= 1024,
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  url: (v) => {
    if (typeof v !== 'string') return false;
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  },
  id: (v) => typeof v === 'string' && v !== '',
};

function validateCustom(value: unknown, metadata: Resource | undefined): Problem | undefined {
  if (!isObject(value)) return { message: 'custom must be an object', parameter: 'custom' };
  if (Object.keys(value).length > 100) return { message: 'custom has more than 100 properties', parameter: 'custom' };
  const properties = (metadata?.attributes.properties ?? {}) as Record<string, { type?: string; deletedAt?: unknown }>;
  for (const [name, v] of Object.entries(value)) {
    const prop = properties[name];
    if (!prop || prop.deletedAt) return { message: 'Additional properties not allowed', parameter: name };
    if (v === null) continue;
    const check = TYPE_CHECKS[prop.type ?? 'string'];
    if (check && !check(v)) return { message: `${name} must be of type ${prop.type}`, parameter: name };
  }
  return undefined;
}
