import { baseContext } from '../kustomer-client/search-context';

/**
 * Kustomer's live search (`POST /v1/customers/search`) as its published API document describes it, in this
 * project's words: which query contexts exist, which attributes each context documents, what may be sorted, and the
 * shape of the request body. The sandbox enforces it; the contract tests check the tap's requests against it.
 * The tap's runtime does not import this module.
 */

/** The document's `queryContext` pattern: these names, plus `kobject_<klass name>`. */
export const SEARCH_CONTEXT_PATTERN = /^(company|customer|message|conversation|conversation_time|note|kobject|kobject_.*|work_session|work_item)$/;

/** Top-level body keys the schema allows (`additionalProperties: false`). */
export const SEARCH_BODY_KEYS = ['searchHash', 'queryContext', 'includeDeleted', 'timeZone', 'and', 'or', 'not', 'sort', 'aggs', 'fields'] as const;

/** Item limits of the body's lists: `and` / `or` / `not` and `fields` hold at most 20 objects, `sort` at most 5. */
export const SEARCH_LIST_LIMITS = { and: 20, or: 20, not: 20, sort: 5, fields: 20 } as const;

/**
 * Documented standard attributes per context, without the `<context>_` prefix. Taken from the document's
 * "standard attributes" schema; `<context>_id` is listed for none of them.
 */
const DOCUMENTED: Record<string, readonly string[]> = {
  customer: [
    'any_text', 'name', 'gender', 'presence', 'email', 'shared_email', 'phone', 'shared_phone', 'urls', 'address', 'locale',
    'activity_at', 'last_seen_at', 'signed_up_at', 'last_message_sent_at', 'last_message_out_sent_at',
    'last_message_unresponded_to_sent_at', 'last_message_at', 'externalId', 'shared_externalId', 'created_at', 'updated_at',
    'modified_at', 'created_by', 'modified_by', 'satisfaction_avg_score', 'satisfaction_avg_rating', 'conversations_count',
    'status', 'progressive_status', 'active_users', 'watchers', 'tags', 'sentiment', 'social_type', 'social_userid',
    'social_username', 'shared_social_type', 'shared_social_userid', 'shared_social_username', 'default_lang', 'imported_at',
    'imported',
  ],
  company: ['any_text', 'name', 'tags', 'default_lang', 'imported_at', 'imported'],
  message: [
    'any_text', 'body', 'channel', 'size', 'direction', 'sent_at', 'created_at', 'updated_at', 'created_by', 'modified_by',
    'sentiment', 'customer_id', 'status', 'error_at', 'error_title', 'external_id', 'direction_type', 'created_by_teams',
    'redacted', 'redacted_at', 'imported_at', 'imported', 'recipients', 'sender', 'shortcuts', 'subject', 'source',
    'attachment_count', 'auto', 'lang',
  ],
  note: [
    'any_text', 'body', 'created_at', 'modified_at', 'updated_at', 'created_by', 'modified_by', 'deleted', 'user_mentions',
    'team_mentions', 'attachment_count', 'external_id', 'customer_id', 'conversation_id', 'lang', 'imported_at', 'imported',
  ],
  conversation: [
    'any_text', 'name', 'sentiment', 'status', 'sub_status', 'created_at', 'updated_at', 'modified_at', 'modified_by',
    'message_count', 'note_count', 'satisfaction_survey_id', 'satisfaction_sent_by', 'satisfaction_sent_by_teams',
    'satisfaction_created_at', 'satisfaction_score', 'satisfaction_rating', 'satisfaction_status', 'channels', 'satisfaction',
    'priority', 'tags', 'assigned_users', 'assigned_teams', 'last_message_sent_at', 'last_message_out_sent_at',
    'last_message_unresponded_to_sent_at', 'last_message_at', 'first_response_sent_at', 'first_response_time',
    'first_response_created_by', 'last_response_created_by', 'last_message_direction', 'direction', 'outbound_message_count',
    'customer_id', 'campaign_id', 'first_message_in_sent_at', 'first_message_in_direction_type', 'first_message_in_channel',
    'first_message_out_sent_at', 'first_message_out_direction_type', 'first_message_out_channel', 'default_lang', 'sla_status',
    'sla_version_id', 'sla_id', 'sla_breached', 'sla_breach_at', 'sla_satisfied_at', 'sla_breach_metric',
    'first_done_created_by', 'last_done_created_at', 'last_done_created_by', 'last_done_created_by_teams', 'reply_channel',
    'queue', 'external_queue', 'ended', 'ended_at', 'ended_reason', 'imported_at', 'imported',
  ],
  conversation_time: [
    'created_at', 'conversation_id', 'created_by_teams', 'assigned_users', 'assigned_teams', 'touched', 'reopened', 'snoozed',
    'resolved', 'message_at', 'message_time', 'messages_sent', 'note_at', 'note_time', 'notes_sent', 'handle_at',
    'handle_time', 'channels',
  ],
  kobject: ['any_text', 'created_at', 'updated_at', 'imported_at', 'imported'],
  work_session: [],
  work_item: [],
};

/**
 * Attributes the list omits but the document's own text relies on: it limits *every* standard object to an
 * `updatedAt` within two years and tells readers to page by "the `updated_at` attribute for a standard Object", yet
 * lists no `company_created_at` / `company_updated_at`. Accepted as that reading; the contract table says so.
 */
const INFERRED: Record<string, readonly string[]> = { company: ['created_at', 'updated_at'] };

/**
 * In a `kobject_<klass>` context, `kobject_<klass>_created_at` / `kobject_<klass>_updated_at`: the live list only
 * names `kobject_created_at` / `kobject_updated_at`, but archive search documents this klass-prefixed spelling for
 * both criteria and sort. Accepted as that reading.
 */
function klassTimeAttribute(queryContext: string, name: string): boolean {
  const klass = klassOfContext(queryContext);
  return klass !== null && (name === `kobject_${klass}_created_at` || name === `kobject_${klass}_updated_at`);
}

/** Customer attributes the document lists as sortable (without the `customer_` prefix). */
const SORTABLE_CUSTOMER = [
  'name', 'gender', 'created_at', 'updated_at', 'modified_at', 'externalId', 'activity_at', 'last_seen_at', 'signed_up_at',
  'lastmessage_preview', 'progressive_status', 'done', 'open', 'snoozed', 'last_message_sent_at', 'last_message_out_sent_at',
  'last_message_unresponded_to_sent_at', 'last_message_at',
];

/**
 * "Sorting based on other standard Object attributes is unavailable" follows the customer list; read literally it
 * forbids sorting conversations by `conversation_updated_at`, which the document's own paging advice needs. The
 * reading taken here: every context may also sort by its own created/updated time, nothing else.
 */
const SORTABLE_EVERY_CONTEXT = ['created_at', 'updated_at'];

/** Contexts whose custom attributes are `<context>_custom_<name>` (standard objects). */
const CUSTOM_CONTEXTS = new Set(['customer', 'company', 'conversation', 'message', 'note']);

export interface SearchContractOptions {
  /** Accept `<context>_id` in criteria and sort (undocumented for live search; refused by default). */
  acceptIdAttribute?: boolean;
}

/** The klass name of a `kobject_<klass>` context, else null. */
export const klassOfContext = (queryContext: string): string | null =>
  queryContext.startsWith('kobject_') ? queryContext.slice('kobject_'.length) : null;

/** Why `name` may not be filtered on in `queryContext`, or null when it may. */
export function filterAttributeViolation(queryContext: string, name: string, opts: SearchContractOptions = {}): string | null {
  const base = baseContext(queryContext);
  const prefix = `${base}_`;
  if (name === 'any_text' || klassTimeAttribute(queryContext, name)) return null;
  if (!name.startsWith(prefix)) return `\`${name}\` is not an attribute of the \`${queryContext}\` context`;
  const rest = name.slice(prefix.length);
  if (rest === 'id') return opts.acceptIdAttribute ? null : `\`${name}\`: live search documents no id attribute`;
  if (rest.startsWith('custom_')) {
    if (base === 'kobject') {
      // `kobject_custom_<klass>_<attr>`: in a klass context the klass must be that one.
      const klass = klassOfContext(queryContext);
      const m = /^custom_(.+)_[^_]+$/.exec(rest);
      if (!m) return `\`${name}\`: KObject custom attributes are \`kobject_custom_<klass>_<attribute>\``;
      if (klass !== null && !rest.startsWith(`custom_${klass}_`)) return `\`${name}\` names another klass than \`${klass}\``;
      return null;
    }
    return CUSTOM_CONTEXTS.has(base) && rest.length > 'custom_'.length ? null : `\`${name}\`: no custom attributes in \`${queryContext}\``;
  }
  if (DOCUMENTED[base]?.includes(rest) || INFERRED[base]?.includes(rest)) return null;
  return `\`${name}\` is not a documented attribute of the \`${queryContext}\` context`;
}

/** Why `name` may not be sorted on in `queryContext`, or null when it may. */
export function sortAttributeViolation(queryContext: string, name: string, opts: SearchContractOptions = {}): string | null {
  const base = baseContext(queryContext);
  if (klassTimeAttribute(queryContext, name)) return null;
  const rest = name.startsWith(`${base}_`) ? name.slice(base.length + 1) : null;
  if (rest === null) return `\`${name}\` is not an attribute of the \`${queryContext}\` context`;
  if (rest === 'id') return opts.acceptIdAttribute ? null : `\`${name}\`: live search documents no id attribute`;
  if (base === 'customer' && SORTABLE_CUSTOMER.includes(rest)) return null;
  const own = DOCUMENTED[base]?.includes(rest) || INFERRED[base]?.includes(rest);
  if (own && SORTABLE_EVERY_CONTEXT.includes(rest)) return null;
  return `\`${name}\` cannot be sorted on in the \`${queryContext}\` context`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object, or an array of at most `max` distinct objects. */
function listViolation(v: unknown, key: string, max: number, objectAllowed: boolean): string | null {
  if (objectAllowed && isObject(v)) return null;
  if (!Array.isArray(v)) return `\`${key}\` must be ${objectAllowed ? 'an object or ' : ''}an array of objects`;
  if (!v.every(isObject)) return `\`${key}\` items must be objects`;
  if (v.length > max) return `\`${key}\` holds ${v.length} items; at most ${max} are allowed`;
  if (new Set(v.map((x) => JSON.stringify(x))).size !== v.length) return `\`${key}\` items must be distinct`;
  return null;
}

const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : isObject(v) ? [v] : []).filter(isObject);

/** Every attribute named in a criteria list, nested `and` / `or` / `not` included. */
function criteriaAttributes(list: Record<string, unknown>[], out: string[] = []): string[] {
  for (const c of list) {
    for (const [k, v] of Object.entries(c)) {
      if (k === 'and' || k === 'or' || k === 'not') criteriaAttributes(asList(v), out);
      else out.push(k);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Archive search (`POST /v1/customers/archive/search`): objects older than the live search's two years.

/** The archive's `queryContext` pattern. */
export const ARCHIVE_CONTEXT_PATTERN = /^(message|conversation|customer|kobject|kobject_.*|company)$/;

/** Top-level body keys of archive search (no `fields`, `aggs` or `searchHash`). */
export const ARCHIVE_BODY_KEYS = ['queryContext', 'includeDeleted', 'timeZone', 'and', 'or', 'not', 'sort'] as const;

/** The limited attribute list archive search documents for criteria; `<x>` stands for a klass name. */
const ARCHIVE_FILTER: readonly (string | RegExp)[] = [
  'conversation_id', 'conversation_created_at', 'conversation_updated_at', 'conversation_customer_id', 'conversation_any_text',
  'conversation_deleted', 'customer_id', 'customer_companyId', 'customer_created_at', 'customer_updated_at', 'customer_deleted',
  'customer_any_text_new', 'message_id', 'message_created_at', 'message_updated_at', 'message_conversation_id', 'message_any_text',
  'kobject_id', 'kobject_created_at', 'kobject_updated_at', 'kobject_customer_id', 'kobject_company_id', 'kobject_any_text',
  /^kobject_.*_(id|created_at|updated_at|customer_id|company_id|any_text)$/, 'company_created_at', 'company_updated_at',
];

/** What archive search may sort on. Note: `message_id`, but no `customer_id` or `conversation_id`. */
const ARCHIVE_SORT: readonly (string | RegExp)[] = [
  'conversation_created_at', 'conversation_updated_at', 'conversation_customer_id', 'conversation_deleted', 'customer_companyId',
  'customer_created_at', 'customer_updated_at', 'customer_deleted', 'message_id', 'message_created_at', 'message_updated_at',
  'kobject_created_at', 'kobject_updated_at', /^kobject.*_created_at$/, /^kobject.*_updated_at$/, 'company_created_at', 'company_updated_at',
];

const listed = (list: readonly (string | RegExp)[], name: string): boolean => list.some((x) => (typeof x === 'string' ? x === name : x.test(name)));

/** The attribute must belong to the context: `customer_…` in `customer`, `kobject_…` in `kobject` / `kobject_<klass>`. */
const ownedBy = (queryContext: string, name: string): boolean => name.startsWith(`${baseContext(queryContext)}_`);

/** Why `name` may not be filtered on in an archive search of `queryContext`, or null. */
export function archiveFilterViolation(queryContext: string, name: string): string | null {
  return ownedBy(queryContext, name) && listed(ARCHIVE_FILTER, name) ? null : `\`${name}\` is not a documented archive-search attribute of \`${queryContext}\``;
}

/** Why `name` may not be sorted on in an archive search of `queryContext`, or null. */
export function archiveSortViolation(queryContext: string, name: string, opts: SearchContractOptions = {}): string | null {
  if (opts.acceptIdAttribute && name === `${baseContext(queryContext)}_id`) return null;
  return ownedBy(queryContext, name) && listed(ARCHIVE_SORT, name) ? null : `\`${name}\` cannot be sorted on in archive search`;
}

/** The rules one search endpoint applies to its body. */
interface BodyRules {
  keys: readonly string[];
  contexts: RegExp;
  filter(queryContext: string, name: string): string | null;
  sort(queryContext: string, name: string): string | null;
}

const liveRules = (opts: SearchContractOptions): BodyRules => ({
  keys: SEARCH_BODY_KEYS,
  contexts: SEARCH_CONTEXT_PATTERN,
  filter: (ctx, name) => filterAttributeViolation(ctx, name, opts),
  sort: (ctx, name) => sortAttributeViolation(ctx, name, opts),
});

const archiveRules = (opts: SearchContractOptions): BodyRules => ({
  keys: ARCHIVE_BODY_KEYS,
  contexts: ARCHIVE_CONTEXT_PATTERN,
  filter: (ctx, name) => archiveFilterViolation(ctx, name),
  sort: (ctx, name) => archiveSortViolation(ctx, name, opts),
});

/**
 * Every way `raw` breaks the documented live-search body: its schema (keys, types, list limits) and, for a valid
 * context, the attributes it filters and sorts on. Empty when the body is within the contract.
 */
export function searchBodyViolations(raw: unknown, opts: SearchContractOptions = {}): string[] {
  return bodyViolations(raw, liveRules(opts));
}

/** The same for archive search, against its own (shorter) attribute lists. */
export function archiveSearchBodyViolations(raw: unknown, opts: SearchContractOptions = {}): string[] {
  return bodyViolations(raw, archiveRules(opts));
}

function bodyViolations(raw: unknown, rules: BodyRules): string[] {
  if (!isObject(raw)) return ['the search body must be a JSON object'];
  const out: string[] = [];
  for (const k of Object.keys(raw)) if (!rules.keys.includes(k)) out.push(`unknown search body key \`${k}\``);
  const ctx = raw.queryContext;
  if (typeof ctx !== 'string') out.push('`queryContext` must be a string');
  else if (!rules.contexts.test(ctx)) out.push(`\`queryContext\` \`${ctx}\` is not a search context`);
  if (raw.includeDeleted !== undefined && typeof raw.includeDeleted !== 'boolean') out.push('`includeDeleted` must be a boolean');
  if (raw.timeZone !== undefined && typeof raw.timeZone !== 'string') out.push('`timeZone` must be a string');
  if (raw.searchHash !== undefined && typeof raw.searchHash !== 'string') out.push('`searchHash` must be a string');
  if (raw.aggs !== undefined && !isObject(raw.aggs)) out.push('`aggs` must be an object');
  for (const key of ['and', 'or', 'not', 'sort'] as const) {
    if (raw[key] === undefined) continue;
    const v = listViolation(raw[key], key, SEARCH_LIST_LIMITS[key], true);
    if (v) out.push(v);
  }
  if (raw.fields !== undefined) {
    const v = listViolation(raw.fields, 'fields', SEARCH_LIST_LIMITS.fields, false);
    if (v) out.push(v);
  }
  if (typeof ctx !== 'string' || !rules.contexts.test(ctx)) return out;

  const criteria = [...asList(raw.and), ...asList(raw.or), ...asList(raw.not)];
  for (const name of new Set(criteriaAttributes(criteria))) {
    const v = rules.filter(ctx, name);
    if (v) out.push(v);
  }
  for (const s of asList(raw.sort)) {
    const entries = Object.entries(s);
    if (entries.length !== 1) {
      out.push('each `sort` item names one attribute');
      continue;
    }
    const [name, dir] = entries[0] as [string, unknown];
    if (dir !== 'asc' && dir !== 'desc') out.push(`\`sort\`: \`${name}\` must be "asc" or "desc"`);
    const v = rules.sort(ctx, name);
    if (v) out.push(v);
  }
  return out;
}
