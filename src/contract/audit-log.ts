/**
 * Kustomer's audit log as its published API document describes it (`GET /v1/audit-logs`), in this project's words.
 * Shared by the sandbox (which serves it) and the contract tests (which check requests and answers against it).
 * The tap's runtime does not import this module.
 */
import { DateTime } from 'luxon';

/** The values `filter[objectType]` (and each item of `filter[include]`) may take. No `kobject`, no `note`. */
export const AUDIT_OBJECT_TYPES = [
  'bill_subscription',
  'business_rule',
  'company',
  'conversation',
  'customer',
  'message',
  'search',
  'shortcut',
  'user',
  'work_item',
  'ip_rule',
  'work_session',
  'shopify_rest',
] as const;

export type AuditObjectType = (typeof AUDIT_OBJECT_TYPES)[number];

export const isAuditObjectType = (v: string): v is AuditObjectType => (AUDIT_OBJECT_TYPES as readonly string[]).includes(v);

/** Query parameters the document lists for the audit log. Anything else is undocumented. */
export const AUDIT_QUERY_PARAMS = [
  'count',
  'after',
  'before',
  'filter[objectType]',
  'filter[objectId]',
  'filter[userId]',
  'filter[include]',
  'filter[start]',
  'filter[end]',
] as const;

/** `count`: 100 when absent, at most 1000. */
export const AUDIT_DEFAULT_COUNT = 100;
export const AUDIT_MAX_COUNT = 1000;

/** Object types whose *update* events Kustomer keeps for 90 days (help centre, audit-log storage limits). */
const SHORT_LIVED_UPDATES = new Set(['conversation', 'customer', 'message']);

/**
 * When an audit entry expires: conversation, customer and message update events after 90 days, every other event
 * after 12 months. A tap that relies on soft-delete signals in update events must read them within 90 days.
 */
export function auditExpiresAt(verb: string, objectType: string, createdMs: number): number {
  const created = DateTime.fromMillis(createdMs, { zone: 'utc' });
  const kept = verb === 'update' && SHORT_LIVED_UPDATES.has(objectType) ? { days: 90 } : { months: 12 };
  return created.plus(kept).toMillis();
}
