/**
 * The sandbox's data model: raw Kustomer JSON:API resources, exactly as the real API returns them
 * (camelCase attributes, relationships by `{type,id}`), held in plain arrays per collection.
 *
 * Two modules build on this contract:
 *  - `generate/` / `mutations/` create and change the data (seeded, deterministic);
 *  - `server.ts` (with `handlers/` and `search/`) serves it over HTTP with Kustomer's envelopes, paging caps, search,
 *    rate limits and faults.
 * After any mutation the server re-sorts its indexes, so generators never maintain order themselves.
 */

export interface RelRef {
  type: string;
  id: string;
}

export interface Relationship {
  data?: RelRef | RelRef[] | null;
  links?: { self?: string; related?: string };
  /** KObject → klass uses `link` (singular) instead of `links`: a real Kustomer quirk kept on purpose. */
  link?: { self?: string };
  meta?: Record<string, unknown>;
}

export interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, Relationship>;
  links?: { self: string; related?: string };
}

/**
 * The collections the sandbox holds, one array of records each: the single list a new entity's collection is added to
 * (`SandboxData`, `CollectionName` and `emptyData()` are derived from it). The order is the order of a generated org's
 * keys.
 */
/** Search-served core objects (each has attributes.updatedAt / createdAt). KObjects: relationships.klass =
 *  {type:'klass', id}, attributes.custom typed from the klass metadata. */
export const SEARCHED_COLLECTIONS = ['customers', 'conversations', 'messages', 'notes', 'companies', 'kobjects'] as const;

export const OTHER_COLLECTIONS = [
  // Plain GET lists (settings objects). outboundAccounts: no `id` in Kustomer's response (kustomer-fields.md §7).
  // slas: `GET /v1/slas?versions=all` side-loads `slaVersions` as `included[]`. routingSettings: one per team,
  // id = team id, attributes.queues = queue ids. metadata: custom attribute metadata documents, id = resource name
  // (customer, company, conversation, message, note, user, and `kobject.<klassName>` for each klass),
  // attributes.properties = { <attrName>: PropertyMeta }.
  'klasses', 'users', 'teams', 'tags', 'brands', 'schedules', 'cards', 'notifications', 'outboundAccounts', 'queues', 'slas',
  'slaVersions', 'satisfactions', 'shortcuts', 'snoozes', 'spamSenders', 'routingSettings', 'metadata',
  // Per-parent children, served under their parent's path: conversationEvents, forwards and conversationTimes point at
  // relationships.conversation; attachments at relationships.message + relationships.conversation; drafts at
  // relationships.customer; customerMerges at relationships.source / .target (customers), served under both.
  'conversationEvents', 'forwards', 'conversationTimes', 'attachments', 'drafts', 'customerMerges',
  // Audit log, oldest first; cursor paging by id. attributes.expiresAt drives retention.
  'auditLogs',
] as const;

export type CollectionName = (typeof SEARCHED_COLLECTIONS)[number] | (typeof OTHER_COLLECTIONS)[number];

/** One array per collection the sandbox serves. Parent links of per-parent children are relationships. */
export type SandboxData = Record<CollectionName, Resource[]> & {
  /** Objects whose updatedAt is older than the 2-year search window: served only by archive search. */
  archived: { customers: Resource[]; conversations: Resource[] };
};

export interface GenerateOptions {
  seed: number;
  /** Number of customers; every other collection is sized from it. */
  scale: number;
  /** The "now" of the generated org: every generated timestamp is at or before it. */
  anchor: Date;
  /** Customers/conversations older than two years (archive-only). Default 0. */
  archived?: number;
}

/** A change applied to the org between runs. Every change bumps updatedAt to `now` (ms precision, `Z`). */
export type Mutation =
  | { kind: 'update'; collection: 'customers' | 'conversations' | 'messages' | 'notes' | 'companies' | 'kobjects'; count: number }
  /** Gives `count` customers one identical updatedAt (bulk update / import). */
  | { kind: 'bulkUpdate'; collection: 'customers' | 'conversations'; count: number }
  /** Soft delete: `deleted: true`, `deletedAt` (companies, notes, conversations). */
  | { kind: 'softDelete'; collection: 'companies' | 'notes' | 'conversations'; count: number }
  /** Permanent delete, written to the audit log (eventVerb `delete`) with Kustomer's cascade:
   *  a customer takes its conversations (+ their messages, notes, events, forwards, times, attachments), drafts,
   *  merges; a conversation takes its messages, notes and per-conversation children. */
  | { kind: 'hardDelete'; collection: 'customers' | 'conversations' | 'kobjects'; count: number }
  /** Removes one email from `count` customers (the customer's updatedAt moves). */
  | { kind: 'removeEmail'; count: number }
  /** A draft is sent: it disappears from the customer's drafts and becomes a message (customer + conversation move). */
  | { kind: 'sendDraft'; count: number }
  | { kind: 'create'; collection: 'customers' | 'conversations' | 'messages' | 'companies' | 'kobjects' | 'notes'; count: number }
  /** Changes a settings object (tag renamed, user added, team removed...). */
  | { kind: 'settings'; count: number };

export interface MutationSummary {
  /** Ids touched per collection, for tests and the control API's answer. */
  updated: Partial<Record<CollectionName, string[]>>;
  deleted: Partial<Record<CollectionName, string[]>>;
  created: Partial<Record<CollectionName, string[]>>;
}
