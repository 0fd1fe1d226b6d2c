import { audit, child, flatten, list, search, streamTable } from './kinds';
import { ALL_KLASSES, KOBJECT_ALIASES, klassMetadataResource, withKlassName } from './kobjects';
import {
  includedVersionsOf,
  mentionRow,
  metadataProperties,
  nested,
  normaliseMessageRefs,
  normaliseDraftRecipients,
  normaliseRecipients,
  related,
  slaCriteria,
} from './transforms';

/**
 * THE stream table: every Kustomer entity the tap offers, in sync order (settings first, then the incremental
 * families, then the audit log, whose delete events apply to streams synced before it).
 * Adding an entity = one row here + its schema in src/schemas/<name>.json + the sandbox's route and data (README,
 * "Adding an entity"). Tests derive their stream lists and counts from this table.
 * Roles: the "permission set" read role Kustomer's API reference names for the endpoint; the legacy
 * `org.user.read` / `org.admin.read` roles also grant every read.
 */

/**
 * Custom-attribute documents read for `custom_attribute_metadata`: the resources Kustomer documents for
 * `GET /v1/metadata/{resource}` (KObject klasses, `kobject.<name>`, are added at run time).
 */
const METADATA_RESOURCES = ['customer', 'company', 'conversation', 'message'] as const;

/** A metadata resource the org does not have answers 404, or 400 as an invalid value: neither is a failure. */
export const METADATA_ABSENT: readonly number[] = [400, 404];

const conversationChild = <const N extends string>(name: N, path: string, doc: string, role: string, opts: { appendOnly?: boolean; maxPageSize?: number } = {}) =>
  child(name, 'conversations', (id) => `/v1/conversations/${id}/${path}`, { doc, role, ...opts });

const customerArray = <const N extends string>(name: N, field: string, what: string) =>
  flatten(name, 'customers', nested(field), { doc: `${what} (\`attributes.${field}[]\` of each customer)`, role: 'org.permission.customer.read' });

const companyArray = <const N extends string>(name: N, field: string, what: string) =>
  flatten(name, 'companies', nested(field), { doc: `${what} (\`attributes.${field}[]\` of each company)`, role: 'org.permission.company.read' });

export const STREAMS = streamTable([
  // ---- Replace: full table every run, ACTIVATE_VERSION drops rows that vanished ----
  list('brands', '/v1/brands', { doc: 'Brands', role: 'org.permission.brand.read' }),
  list('business_schedules', '/v1/schedules', { doc: 'Business-hours schedules', role: 'org.permission.schedule.read' }),
  list('cards', '/v1/cards', { doc: 'Installed Apps-platform cards', role: 'org.permission.apps.read' }),
  list('custom_attribute_metadata', async (ctx) => [...METADATA_RESOURCES, ...(await ctx.klassNames()).map(klassMetadataResource)].map((r) => `/v1/metadata/${r}`), {
    doc: 'Custom attribute definitions, one row per (resource, attribute), KObject klasses included',
    role: 'org.permission.metadata.read',
    keys: ['resource', 'name'],
    single: true,
    explode: metadataProperties,
  }),
  list('klasses', '/v1/klasses', { doc: 'KObject klasses (custom object types)', role: 'org.permission.klass.read', aliases: { displayname: 'displayName' } }),
  list('notifications', '/v1/notifications', { doc: "In-app notifications of the API key's own user (Kustomer keeps 7 days)", role: 'org.permission.notification.read' }),
  list('outbound_accounts', '/v1/outboundAccounts', {
    doc: 'Outbound sending accounts (Kustomer gives them no id: keyed by channel + account)',
    role: 'org.permission.outbound_account.read',
    keys: ['channel', 'account'],
  }),
  list('queues', '/v1/routing/queues', { doc: 'Routing queues', role: 'org.permission.queue.read' }),
  list('slas', '/v1/slas', { doc: 'SLA policies', role: 'org.permission.sla.read', params: { versions: 'all' } }),
  flatten('sla_versions', 'slas', includedVersionsOf, { doc: 'SLA versions (side-loaded with `GET /v1/slas?versions=all`)', role: 'org.permission.sla.read', positional: false }),
  flatten('sla_criteria', 'sla_versions', slaCriteria, {
    doc: "SLA match conditions (each version's `criteria.and[]` / `or[]`)",
    role: 'org.permission.sla.read',
    positional: false,
    parentKey: 'slaVersionId',
    keys: ['sla_version_id', 'match_type', 'index'],
  }),
  list('satisfactions', '/v1/satisfaction', { doc: 'CSAT survey forms', role: 'org.permission.satisfaction.read', aliases: { modified: 'modifiedAt' } }),
  list('shortcuts', '/v1/shortcuts', { doc: 'Shortcuts (canned replies)', role: 'org.permission.shortcut.read' }),
  list('snoozes', '/v1/snoozes', { doc: 'Snooze options of the agent menu', role: 'org.permission.snooze.read' }),
  list('spam_senders', '/v1/spam/senders', { doc: 'Email senders on the spam allow/block lists', role: 'org.permission.spam.read' }),
  list('tags', '/v1/tags', { doc: 'Tags', role: 'org.permission.tag.read' }),
  list('team_routing_settings', '/v1/routing/settings', { doc: 'Routing settings, one per team (id = team id)', role: 'org.permission.routing.read' }),
  flatten('team_queues', 'team_routing_settings', nested('queues', 'queueId'), {
    doc: "Queues a team routes from (each routing setting's `queues[]`)",
    role: 'org.permission.routing.read',
    positional: false,
    parentKey: 'teamId',
    keys: ['team_id', 'queue_id'],
  }),
  list('teams', '/v1/teams', { doc: 'Teams', role: 'org.permission.team.read', maxPageSize: 500 }),
  list('users', '/v1/users', { doc: 'Users (agents and machine users)', role: 'org.permission.user.read', maxPageSize: 500 }),

  // ---- Update: incremental on updated_at through the search API, deletes detected ----
  search('companies', 'company', {
    doc: 'Companies (soft-deleted ones become tombstones)',
    role: 'org.permission.company.read',
    customFrom: 'company',
    aliases: { extenalId: 'externalId' },
  }),
  companyArray('company_emails', 'emails', 'Company email addresses'),
  companyArray('company_locations', 'locations', 'Company locations'),
  companyArray('company_phones', 'phones', 'Company phone numbers'),
  companyArray('company_socials', 'socials', 'Company social profiles'),
  companyArray('company_urls', 'urls', 'Company URLs'),

  search('customers', 'customer', { doc: 'Customers', role: 'org.permission.customer.read', customFrom: 'customer', archive: true, hardDeletes: true }),
  customerArray('customer_emails', 'emails', 'Customer email addresses'),
  customerArray('customer_external_ids', 'externalIds', 'Customer external ids'),
  customerArray('customer_locations', 'locations', 'Customer locations'),
  customerArray('customer_phones', 'phones', 'Customer phone numbers'),
  customerArray('customer_shared_emails', 'sharedEmails', 'Email addresses the customer shares with others'),
  customerArray('customer_shared_external_ids', 'sharedExternalIds', 'External ids the customer shares with others'),
  customerArray('customer_shared_phones', 'sharedPhones', 'Phone numbers the customer shares with others'),
  customerArray('customer_shared_socials', 'sharedSocials', 'Social profiles the customer shares with others'),
  customerArray('customer_socials', 'socials', 'Customer social profiles'),
  customerArray('customer_urls', 'urls', 'Customer URLs'),
  child('customer_drafts', 'customers', (id) => `/v1/customers/${id}/drafts`, {
    doc: 'Unsent drafts of each changed customer (sent drafts vanish and are tombstoned)',
    role: 'org.permission.draft.read',
    transform: normaliseDraftRecipients,
  }),
  child('customer_merges', 'customers', (id) => `/v1/customers/${id}/merges`, { doc: 'Merges involving each changed customer', role: 'org.permission.customer.read' }),

  search('conversations', 'conversation', {
    doc: 'Conversations',
    role: 'org.permission.conversation.read',
    customFrom: 'conversation',
    archive: true,
    hardDeletes: true,
    transform: normaliseMessageRefs,
  }),
  conversationChild('conversation_events', 'events', 'Change history of each changed conversation', 'org.permission.event.read', { appendOnly: true }),
  conversationChild('conversation_forwards', 'forwards', 'Email forwards of each changed conversation', 'org.permission.draft.read'),
  conversationChild('conversation_times', 'times', 'Agent handle-time sessions (v1 endpoint: seconds)', 'org.permission.conversation.read', {
    appendOnly: true,
    maxPageSize: 1000,
  }),
  conversationChild('message_attachments', 'attachments', 'Attachments of the messages of each changed conversation', 'org.permission.message.read'),

  search('messages', 'message', { doc: 'Messages (`meta.to/cc/bcc` normalised to lists)', role: 'org.permission.message.read', customFrom: 'message', transform: normaliseRecipients }),
  flatten('message_shortcuts', 'messages', related('shortcuts', (ref) => ({ shortcutId: ref.id })), {
    doc: 'Shortcuts used in each message (`relationships.shortcuts`)',
    role: 'org.permission.message.read',
  }),

  search('notes', 'note', { doc: 'Internal notes (custom attributes untyped: Kustomer documents no note metadata)', role: 'org.permission.note.read' }),
  flatten('note_user_mentions', 'notes', related('userMentions', mentionRow), { doc: 'Users and teams @-mentioned in each note', role: 'org.permission.note.read' }),

  search('kobjects', 'kobject', {
    doc: 'KObjects (custom objects) of every klass, with their klass',
    role: 'org.permission.kobject.read',
    customFrom: ALL_KLASSES,
    hardDeletes: true,
    transform: withKlassName,
    aliases: KOBJECT_ALIASES,
  }),

  // ---- Append: the audit log, read by cursor; also the feed of hard deletes ----
  audit('audit_logs', '/v1/audit-logs', { doc: 'Audit log (append-only; its delete events drive tombstones)', role: 'org.permission.audit_logs.read' }),
]);

