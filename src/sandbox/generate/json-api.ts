/** The JSON:API building blocks every generated record shares: frozen empties, relationships, links, paths. */
import type { Relationship, Resource } from '../model';

export type Attrs = Record<string, unknown>;

/** Shared immutable empties. */
export const EMPTY: readonly never[] = Object.freeze([]) as readonly never[];
export const EMPTY_OBJ: Readonly<Record<string, never>> = Object.freeze({});

export function frozenArr<T>(items: T[]): readonly T[] {
  return Object.freeze(items);
}

/** Concatenation as one flat string (a template literal would keep a chain of 32-byte cons cells alive). */
export function flat(...parts: Array<string | number>): string {
  return parts.join('');
}

/** `{data:{type,id}, links:{self}}`, frozen (shared between records). */
export function relTo(type: string, id: string, self: string): Relationship {
  return Object.freeze({ data: Object.freeze({ type, id }), links: Object.freeze({ self }) });
}

/** API path prefix per resource type, for links. */
export const PATHS = {
  org: '/v1/orgs/',
  customer: '/v1/customers/',
  conversation: '/v1/conversations/',
  message: '/v1/messages/',
  note: '/v1/notes/',
  company: '/v1/companies/',
  user: '/v1/users/',
  team: '/v1/teams/',
  tag: '/v1/tags/',
  brand: '/v1/brands/',
  schedule: '/v1/schedules/',
  card: '/v1/cards/',
  notification: '/v1/notifications/',
  queue: '/v1/routing/queues/',
  routing: '/v1/routing/settings/',
  sla: '/v1/slas/',
  satisfaction: '/v1/satisfaction/',
  shortcut: '/v1/shortcuts/',
  snooze: '/v1/snoozes/',
  spam: '/v1/spam/senders/',
  klass: '/v1/klasses/',
  metadata: '/v1/metadata/',
  forward: '/v1/forwards/',
  attachment: '/v1/attachments/',
  draft: '/v1/drafts/',
  merge: '/v1/customers/merges/',
  audit: '/v1/audit-logs/',
  outbound: '/v1/outboundAccounts/',
} as const;

export function resource(type: string, id: string, self: string, attributes: Attrs, relationships: Record<string, Relationship>): Resource {
  return { type, id, attributes, relationships, links: { self } };
}
