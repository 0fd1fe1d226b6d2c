/**
 * One RECORD → the attributes it asks Kustomer to hold (the "desired" body) and its match keys, after validating
 * everything that can be validated before sending: value types, email shape, custom attributes (exist, fit their
 * suffix). Nulls are left out: a warehouse null means "unknown here", not "erase it in Kustomer".
 */
import { customValueProblem } from './custom-attributes';
import { toBodyValue } from './fields';
import type { StreamMapping } from './mapping';
import type { MatchOn } from './objects';

export interface RecordError {
  code: string;
  message: string;
}

export interface MatchKey {
  on: MatchOn;
  value: string;
}

export interface Desired {
  body: Record<string, unknown>;
  /** The record's values for the stream's match_on keys, in match_on order (absent keys left out). */
  keys: MatchKey[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function desiredOf(mapping: StreamMapping, record: Record<string, unknown>, customNames: Set<string>): Desired | { error: RecordError } {
  const body: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const { property, field } of mapping.targets) {
    const value = record[property];
    if (value === undefined || value === null) continue;
    if (field.kind === 'customOne') {
      const problem = customValueProblem(field.name, value);
      if (problem) return { error: { code: 'invalid_custom_attribute', message: problem } };
      custom[field.name] = value;
      continue;
    }
    const converted = toBodyValue(field, value);
    if ('error' in converted) return { error: { code: 'invalid_value', message: `${property}: ${converted.error}` } };
    if (field.kind === 'custom') {
      for (const [name, v] of Object.entries(converted.value as Record<string, unknown>)) {
        if (v === null || v === undefined) continue;
        if (!customNames.has(name)) return { error: { code: 'unknown_custom_attribute', message: `custom attribute ${name} does not exist in /v1/metadata/${mapping.object.resource}` } };
        const problem = customValueProblem(name, v);
        if (problem) return { error: { code: 'invalid_custom_attribute', message: problem } };
        custom[name] = v;
      }
      continue;
    }
    body[field.attr] = converted.value;
  }
  if (Object.keys(custom).length > 0) body.custom = custom;

  const emails = body.emails as Array<{ email: string }> | undefined;
  for (const e of emails ?? []) {
    if (!EMAIL.test(e.email)) return { error: { code: 'invalid_email', message: `${JSON.stringify(e.email)} is not an email address` } };
  }
  const keys: MatchKey[] = [];
  for (const on of mapping.matchOn) {
    const raw = on === 'external_id' ? body.externalId : on === 'email' ? emails?.[0]?.email : body.name;
    if (typeof raw === 'string' && raw.trim() !== '') keys.push({ on, value: raw.trim() });
  }
  return { body, keys };
}

/** What creating needs beyond the match keys (Kustomer: company `name` ≥ 3 chars, KObject `title`). */
export function createProblem(mapping: StreamMapping, body: Record<string, unknown>): RecordError | undefined {
  if (mapping.object.kind === 'company') {
    const name = body.name;
    if (typeof name !== 'string' || name.trim().length < 3) return { code: 'missing_name', message: 'a company needs a name of at least 3 characters' };
  }
  if (mapping.object.kind === 'kobject' && (typeof body.title !== 'string' || body.title === '')) {
    return { code: 'missing_title', message: `a ${mapping.object.resource} needs a title` };
  }
  return undefined;
}
