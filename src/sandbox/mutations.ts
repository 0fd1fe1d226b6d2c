/**
 * Scripted, deterministic changes applied to the sandbox org between sync runs (see model.ts `Mutation`).
 *
 * Every change stamps `now` (ms precision, `Z`) on updatedAt, and on modifiedAt / rev where the record has them.
 * Hard deletes follow Kustomer's cascade and are written to the audit log (eventVerb `delete`) for customers,
 * conversations (including cascaded ones) and kobjects; messages/notes removed by a cascade get no entry.
 * Creates/updates of customers, conversations and companies get `create`/`update` audit entries.
 *
 * Shared (frozen) nested values and relationship containers produced by generate.ts are always REPLACED here,
 * never edited in place.
 */
import type { CollectionName, Mutation, MutationSummary, Relationship, Resource, SandboxData } from './model';
import { Rng, objectId } from './random';
import {
  type Agent,
  type Attrs,
  type CustomerContact,
  type OrgCtx,
  ConvRels,
  EMPTY,
  attachmentRels,
  buildAttachment,
  buildAudit,
  buildCompany,
  buildConversation,
  buildCustomer,
  buildKObject,
  buildMessage,
  buildNote,
  contactOf,
  ctxFromData,
  drawIdentity,
  emptyActivity,
  flat,
  iso,
  messageRef,
  pooledChannels,
  relTo,
  PATHS,
} from './generate';

type Core = 'customers' | 'conversations' | 'messages' | 'notes' | 'companies' | 'kobjects';

/** Collections whose creates/updates reach the audit log: object types the audit log documents. */
const AUDITED: Partial<Record<CollectionName, string>> = { customers: 'customer', conversations: 'conversation', messages: 'message', companies: 'company' };

class Summary {
  readonly updated = new Map<CollectionName, Set<string>>();
  readonly deleted = new Map<CollectionName, Set<string>>();
  readonly created = new Map<CollectionName, Set<string>>();

  private add(m: Map<CollectionName, Set<string>>, c: CollectionName, id: string): void {
    let s = m.get(c);
    if (!s) {
      s = new Set();
      m.set(c, s);
    }
    s.add(id);
  }
  upd(c: CollectionName, id: string): void {
    this.add(this.updated, c, id);
  }
  del(c: CollectionName, id: string): void {
    this.add(this.deleted, c, id);
  }
  cre(c: CollectionName, id: string): void {
    this.add(this.created, c, id);
  }
  merge(o: MutationSummary): void {
    for (const [k, ids] of Object.entries(o.updated)) for (const id of ids ?? []) this.upd(k as CollectionName, id);
    for (const [k, ids] of Object.entries(o.deleted)) for (const id of ids ?? []) this.del(k as CollectionName, id);
    for (const [k, ids] of Object.entries(o.created)) for (const id of ids ?? []) this.cre(k as CollectionName, id);
  }
  /** Deleted wins over created/updated; created wins over updated. */
  toJSON(): MutationSummary {
    const out: MutationSummary = { updated: {}, deleted: {}, created: {} };
    for (const [c, s] of this.deleted) out.deleted[c] = [...s];
    for (const [c, s] of this.created) {
      const gone = this.deleted.get(c);
      const ids = [...s].filter((id) => !gone?.has(id));
      if (ids.length > 0) out.created[c] = ids;
    }
    for (const [c, s] of this.updated) {
      const gone = this.deleted.get(c);
      const fresh = this.created.get(c);
      const ids = [...s].filter((id) => !gone?.has(id) && !fresh?.has(id));
      if (ids.length > 0) out.updated[c] = ids;
    }
    return out;
  }
}

/** Working state of one applyMutation call. */
class Mut {
  readonly rng: Rng;
  readonly ctx: OrgCtx;
  readonly nowMs: number;
  readonly nowIso: string;
  readonly sum = new Summary();
  private lastAuditId: string | undefined;

  constructor(
    readonly data: SandboxData,
    now: Date,
    seed: number,
    readonly opts: MutationOptions = {},
  ) {
    this.rng = new Rng(seed);
    this.ctx = ctxFromData(data, this.rng);
    this.nowMs = now.getTime();
    this.nowIso = iso(this.nowMs);
    for (const a of data.auditLogs) if (this.lastAuditId === undefined || a.id > this.lastAuditId) this.lastAuditId = a.id;
  }

  agent(): Agent {
    return this.rng.pick(this.ctx.agents);
  }

  agentById(id: string | undefined): Agent {
    return this.ctx.agents.find((a) => a.id === id) ?? this.agent();
  }

  /** Stamps `now` on updatedAt (+ modifiedAt, rev, modifiedBy where the record has them). */
  bump(r: Resource, by: Agent | null): void {
    const a = r.attributes;
    a.updatedAt = this.nowIso;
    if ('modifiedAt' in a) a.modifiedAt = this.nowIso;
    if (typeof a.rev === 'number') a.rev = a.rev + 1;
    if (by && r.relationships && 'modifiedBy' in r.relationships) r.relationships = { ...r.relationships, modifiedBy: by.rel };
  }

  audit(verb: 'create' | 'update' | 'delete', objectType: string, objectId: string, by: Agent | null, changes: Attrs, customerId?: string | null, client = 'kustomer-web'): void {
    const entry = buildAudit(this.ctx, this.lastAuditId, { verb, objectType, objectId, ms: this.nowMs, agent: by, client, changes, customerId: customerId ?? null, capMs: this.nowMs });
    this.lastAuditId = entry.id;
    this.data.auditLogs.push(entry);
    this.sum.cre('auditLogs', entry.id);
  }

  /** Audit entry when the collection is one Kustomer audits for creates/updates. */
  auditIfCore(verb: 'create' | 'update', c: CollectionName, r: Resource, by: Agent | null, changes: Attrs, client?: string): void {
    const objectType = AUDITED[c];
    if (!objectType) return;
    const customerId = c === 'customers' ? r.id : relIdOf(r, 'customer');
    this.audit(verb, objectType, r.id, by, changes, customerId, client);
  }

  /** Up to `count` distinct records passing `ok`, chosen at random. */
  pick(list: Resource[], count: number, ok: (r: Resource) => boolean = () => true): Resource[] {
    const want = Math.max(0, Math.floor(count));
    if (want === 0 || list.length === 0) return [];
    const out: Resource[] = [];
    const seen = new Set<number>();
    for (const i of this.rng.sampleIndices(list.length, Math.min(list.length, want * 4 + 16))) {
      const r = list[i] as Resource;
      seen.add(i);
      if (ok(r)) out.push(r);
      if (out.length === want) return out;
    }
    const rest: Resource[] = [];
    for (let i = 0; i < list.length; i++) if (!seen.has(i) && ok(list[i] as Resource)) rest.push(list[i] as Resource);
    return out.concat(this.rng.sample(rest, want - out.length));
  }
}

function relIdOf(r: Resource, name: string): string | null {
  const d = r.relationships?.[name]?.data;
  return d && !Array.isArray(d) ? d.id : null;
}

/** `relationships.conversation.data.id` with named property loads (hot in cascades over ~2M records). */
function convIdOf(r: Resource): string | null {
  const rels = r.relationships;
  const rel = rels === undefined ? undefined : rels.conversation;
  const d = rel === undefined ? undefined : rel.data;
  return d && !Array.isArray(d) ? d.id : null;
}

function customerIdOf(r: Resource): string | null {
  const rels = r.relationships;
  const rel = rels === undefined ? undefined : rels.customer;
  const d = rel === undefined ? undefined : rel.data;
  return d && !Array.isArray(d) ? d.id : null;
}

function change(attr: string, before: unknown, after: unknown): Attrs {
  return { attributes: { [attr]: { op: 'replace', before: before ?? null, after: after ?? null } }, relationships: {} };
}

/** Removes the matching records in place (keeps the array identity the server holds); returns the removed ids. */
function removeWhere(list: Resource[], pred: (r: Resource) => boolean): string[] {
  const removed: string[] = [];
  let w = 0;
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as Resource;
    if (pred(r)) removed.push(r.id);
    else list[w++] = r;
  }
  list.length = w;
  return removed;
}

function findById(list: Resource[], id: string | null): Resource | undefined {
  if (id === null) return undefined;
  for (const r of list) if (r.id === id) return r;
  return undefined;
}

const notDeleted = (r: Resource): boolean => r.attributes.deleted !== true;

// ---------------------------------------------------------------------------------------------------------------
// update / bulkUpdate / softDelete

function updateOne(m: Mut, c: Core, r: Resource): void {
  const rng = m.rng;
  const a = r.attributes;
  const by = m.agent();
  let changes: Attrs;
  switch (c) {
    case 'customers': {
      if (rng.chance(0.5)) {
        const custom = (a.custom as Attrs | undefined) ?? {};
        const before = custom.loyaltyTierStr ?? null;
        const after = rng.pick(['bronze', 'silver', 'gold', 'platinum'].filter((t) => t !== before));
        a.custom = { ...custom, loyaltyTierStr: after };
        changes = change('custom', { loyaltyTierStr: before }, { loyaltyTierStr: after });
      } else {
        const before = (a.tags as readonly string[] | undefined) ?? EMPTY;
        const tag = m.ctx.tagIds.length > 0 ? rng.pick(m.ctx.tagIds) : null;
        const after = tag && !before.includes(tag) ? [...before, tag] : before.slice(1);
        a.tags = after;
        changes = change('tags', before, after);
      }
      break;
    }
    case 'conversations': {
      const before = a.status;
      const after = before === 'done' ? 'open' : 'done';
      a.status = after;
      a.open = after === 'open' ? { statusAt: m.nowIso } : null;
      if (after === 'done') a.doneCount = Number(a.doneCount ?? 0) + 1;
      else {
        a.reopenCount = Number(a.reopenCount ?? 0) + 1;
        a.reopenFromDoneCount = Number(a.reopenFromDoneCount ?? 0) + 1;
      }
      a.priority = rng.int(1, 5);
      changes = change('status', before, after);
      break;
    }
    case 'messages': {
      a.sentiment = rng.pick(m.ctx.sentiments);
      a.custom = { ...((a.custom as Attrs | undefined) ?? {}), campaignStr: rng.pick(['spring-sale', 'winback-q3', 'nps-2024']) };
      changes = change('sentiment', null, a.sentiment);
      break;
    }
    case 'notes': {
      const before = a.body;
      a.body = flat(String(before ?? ''), rng.pick([' (edited)', '\nUpdate: resolved ✅', ' — vu']));
      changes = change('body', before, a.body);
      break;
    }
    case 'companies': {
      const before = a.employeeCount;
      a.employeeCount = rng.int(1, 5000);
      a.custom = { ...((a.custom as Attrs | undefined) ?? {}), enterpriseBool: rng.chance(0.5) };
      changes = change('employeeCount', before, a.employeeCount);
      break;
    }
    case 'kobjects': {
      const custom = (a.custom as Attrs | undefined) ?? {};
      a.custom = { ...custom, fulfilledBool: true, activeBool: rng.chance(0.7) };
      changes = change('custom', null, a.custom);
      break;
    }
  }
  m.bump(r, by);
  m.sum.upd(c, r.id);
  m.auditIfCore('update', c, r, by, changes);
}

function doUpdate(m: Mut, c: Core, count: number): void {
  for (const r of m.pick(m.data[c], count, notDeleted)) updateOne(m, c, r);
}

function doBulkUpdate(m: Mut, c: 'customers' | 'conversations', count: number): void {
  const by = m.ctx.machine;
  const tag = m.ctx.tagIds.length > 0 ? m.rng.pick(m.ctx.tagIds) : null;
  for (const r of m.pick(m.data[c], count, notDeleted)) {
    const before = (r.attributes.tags as readonly string[] | undefined) ?? EMPTY;
    if (tag && !before.includes(tag)) r.attributes.tags = [...before, tag];
    m.bump(r, by);
    m.sum.upd(c, r.id);
    m.auditIfCore('update', c, r, by, change('tags', before, r.attributes.tags), 'bulk-update');
  }
}

function doSoftDelete(m: Mut, c: 'companies' | 'notes' | 'conversations', count: number): void {
  for (const r of m.pick(m.data[c], count, notDeleted)) {
    const by = m.agent();
    r.attributes.deleted = true;
    r.attributes.deletedAt = m.nowIso;
    m.bump(r, by);
    // Companies carry no deletedBy relationship (kustomer-fields.md §21); notes and conversations do.
    if (c !== 'companies') r.relationships = { ...r.relationships, deletedBy: by.rel };
    m.sum.upd(c, r.id);
    m.auditIfCore('update', c, r, by, change('deleted', false, true));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// hardDelete (with Kustomer's cascade)

export interface MutationOptions {
  /**
   * Which deletes reach the audit log (UNCONFIRMED in Kustomer's docs): `all` logs every object a delete removes,
   * including the messages and notes of a deleted conversation; `root` logs only the customers, conversations and
   * KObjects deleted as such. Default `all`.
   */
  auditCascade?: 'all' | 'root';
}

function cascadeConversations(m: Mut, convIds: Set<string>, custIds: Set<string>): void {
  const d = m.data;
  const inConv = (r: Resource): boolean => {
    const c = convIdOf(r);
    return c !== null && convIds.has(c);
  };
  // Messages and notes always hang off a conversation; the customer check only catches strays.
  const ofCust = (r: Resource): boolean => {
    if (custIds.size === 0) return false;
    const c = customerIdOf(r);
    return c !== null && custIds.has(c);
  };
  if ((m.opts.auditCascade ?? 'all') === 'all') {
    const by = m.agent();
    for (const r of d.messages) if (inConv(r) || ofCust(r)) m.audit('delete', 'message', r.id, by, { attributes: {}, relationships: {} }, customerIdOf(r));
    for (const r of d.notes) if (inConv(r) || ofCust(r)) m.audit('delete', 'note', r.id, by, { attributes: {}, relationships: {} }, customerIdOf(r));
  }
  const msgIds = new Set(removeWhere(d.messages, (r) => inConv(r) || ofCust(r)));
  for (const id of msgIds) m.sum.del('messages', id);
  for (const id of removeWhere(d.notes, (r) => inConv(r) || ofCust(r))) m.sum.del('notes', id);
  for (const id of removeWhere(d.conversationEvents, inConv)) m.sum.del('conversationEvents', id);
  for (const id of removeWhere(d.forwards, inConv)) m.sum.del('forwards', id);
  for (const id of removeWhere(d.conversationTimes, inConv)) m.sum.del('conversationTimes', id);
  for (const id of removeWhere(d.attachments, (r) => inConv(r) || msgIds.has(relIdOf(r, 'message') ?? ''))) m.sum.del('attachments', id);
}

function doHardDelete(m: Mut, c: 'customers' | 'conversations' | 'kobjects', count: number): void {
  const d = m.data;
  const by = m.agent();
  if (c === 'kobjects') {
    const ids = new Set(m.pick(d.kobjects, count).map((r) => r.id));
    for (const r of d.kobjects) if (ids.has(r.id)) m.audit('delete', 'kobject', r.id, by, { attributes: {}, relationships: {} }, relIdOf(r, 'customer'));
    for (const id of removeWhere(d.kobjects, (r) => ids.has(r.id))) m.sum.del('kobjects', id);
    return;
  }
  if (c === 'customers') {
    // Prefer customers with conversations (the cascade is the interesting part).
    const victims = m.pick(d.customers, count, (r) => Number((r.attributes.conversationCounts as Attrs | undefined)?.all ?? 0) > 0);
    if (victims.length < count) victims.push(...m.pick(d.customers, count - victims.length, (r) => !victims.includes(r)));
    const custIds = new Set(victims.map((r) => r.id));
    const convIds = new Set<string>();
    for (const r of d.conversations) {
      const cid = customerIdOf(r);
      if (cid !== null && custIds.has(cid)) convIds.add(r.id);
    }
    for (const r of victims) m.audit('delete', 'customer', r.id, by, { attributes: {}, relationships: {} }, r.id);
    for (const r of d.conversations) if (convIds.has(r.id)) m.audit('delete', 'conversation', r.id, by, { attributes: {}, relationships: {} }, customerIdOf(r));
    for (const id of removeWhere(d.conversations, (r) => convIds.has(r.id))) m.sum.del('conversations', id);
    cascadeConversations(m, convIds, custIds);
    for (const id of removeWhere(d.drafts, (r) => custIds.has(customerIdOf(r) ?? ''))) m.sum.del('drafts', id);
    // A merge is the surviving customer's history too: it goes only when neither side remains.
    const gone = (id: string | null) => id === null || custIds.has(id) || !d.customers.some((c) => c.id === id);
    for (const id of removeWhere(d.customerMerges, (r) => gone(relIdOf(r, 'source')) && gone(relIdOf(r, 'target')))) {
      m.sum.del('customerMerges', id);
    }
    for (const id of removeWhere(d.customers, (r) => custIds.has(r.id))) m.sum.del('customers', id);
    return;
  }
  // Conversations: their messages, notes and per-conversation children go; the customer's counts move.
  const victims = m.pick(d.conversations, count);
  const convIds = new Set(victims.map((r) => r.id));
  const touched = new Map<string, number>();
  for (const r of victims) {
    const cid = relIdOf(r, 'customer');
    m.audit('delete', 'conversation', r.id, by, { attributes: {}, relationships: {} }, cid);
    if (cid !== null) touched.set(cid, (touched.get(cid) ?? 0) + 1);
  }
  for (const id of removeWhere(d.conversations, (r) => convIds.has(r.id))) m.sum.del('conversations', id);
  cascadeConversations(m, convIds, new Set());
  for (const cust of d.customers) {
    const n = touched.get(cust.id);
    if (n === undefined) continue;
    const counts = (cust.attributes.conversationCounts as Attrs | undefined) ?? {};
    const after = { ...counts, all: Math.max(0, Number(counts.all ?? 0) - n) };
    cust.attributes.conversationCounts = after;
    m.bump(cust, by);
    m.sum.upd('customers', cust.id);
    m.audit('update', 'customer', cust.id, by, change('conversationCounts', counts, after), cust.id);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// removeEmail / sendDraft

function doRemoveEmail(m: Mut, count: number): void {
  for (const r of m.pick(m.data.customers, count, (c) => ((c.attributes.emails as unknown[] | undefined) ?? []).length >= 2)) {
    const before = r.attributes.emails as Attrs[];
    const drop = m.rng.int(0, before.length - 1);
    const after = before.filter((_, i) => i !== drop);
    r.attributes.emails = after;
    const by = m.agent();
    m.bump(r, by);
    m.sum.upd('customers', r.id);
    m.audit('update', 'customer', r.id, by, change('emails', before, after), r.id);
  }
}

/** Adds an outbound or inbound message to an existing conversation and moves the conversation and customer. */
function addMessage(m: Mut, conv: Resource, cust: Resource, dir: 'in' | 'out', channel: string, subject: string | null, agent: Agent | null): Resource {
  const d = m.data;
  const contact = contactOf(cust);
  const convRel = relTo('conversation', conv.id, PATHS.conversation + conv.id);
  const rels = new ConvRels(m.ctx, contact.rel, convRel);
  const id = objectId(m.rng, m.nowMs);
  const lastDir = conv.attributes.lastMessageDirection;
  const directionType = dir === 'out' ? (lastDir === 'in' ? 'response-out' : 'followup-out') : 'followup-in';
  const attIds = m.rng.chance(0.2) ? [objectId(m.rng, m.nowMs)] : [];
  const { res, fact } = buildMessage(m.ctx, {
    id,
    customer: contact,
    conversationId: conv.id,
    rels,
    channel,
    direction: dir,
    directionType,
    sentMs: m.nowMs,
    createdMs: m.nowMs,
    importedMs: null,
    agent: dir === 'out' ? agent ?? m.agent() : null,
    subject,
    attachmentIds: attIds,
  });
  d.messages.push(res);
  m.sum.cre('messages', id);
  if (attIds.length > 0) {
    const arels = attachmentRels(m.ctx, id, convRel);
    for (const aid of attIds) {
      d.attachments.push(buildAttachment(m.ctx, aid, arels));
      m.sum.cre('attachments', aid);
    }
  }
  // Conversation summary fields.
  const a = conv.attributes;
  const ref = messageRef(fact, true);
  a.messageCount = Number(a.messageCount ?? 0) + 1;
  if (dir === 'out') {
    a.outboundMessageCount = Number(a.outboundMessageCount ?? 0) + 1;
    a.lastMessageOut = ref;
    if (!a.firstMessageOut || Object.keys(a.firstMessageOut as Attrs).length <= 1) a.firstMessageOut = ref;
    a.lastMessageUnrespondedTo = {};
    a.lastMessageUnrespondedToSinceLastDone = {};
  } else {
    a.inboundMessageCount = Number(a.inboundMessageCount ?? 0) + 1;
    a.lastMessageIn = ref;
    a.lastReceivedAt = m.nowIso;
    a.lastMessageUnrespondedTo = ref;
    a.lastMessageUnrespondedToSinceLastDone = ref;
    if (a.status === 'done') {
      a.status = 'open';
      a.open = { statusAt: m.nowIso };
      a.reopenCount = Number(a.reopenCount ?? 0) + 1;
      a.reopenFromDoneCount = Number(a.reopenFromDoneCount ?? 0) + 1;
    }
  }
  const channels = (a.channels as string[] | undefined) ?? [];
  if (!channels.includes(channel)) a.channels = pooledChannels([...channels, channel]);
  a.lastMessageDirection = dir;
  a.lastMessageAt = m.nowIso;
  a.lastActivityAt = m.nowIso;
  m.bump(conv, agent);
  m.sum.upd('conversations', conv.id);
  // Customer summary fields.
  const ca = cust.attributes;
  if (dir === 'out') ca.lastMessageOut = { sentAt: m.nowIso };
  else {
    ca.lastMessageIn = { sentAt: m.nowIso, channel, sentiment: fact.sentiment };
    ca.lastCustomerActivityAt = m.nowIso;
    ca.lastMessageUnrespondedTo = { sentAt: m.nowIso, channel };
  }
  ca.lastMessageAt = m.nowIso;
  ca.lastActivityAt = m.nowIso;
  ca.preview = { previewAt: m.nowIso, type: 'message', channel, subject, text: fact.preview };
  m.bump(cust, agent);
  m.sum.upd('customers', cust.id);
  return res;
}

/** Creates a conversation (with its first message) for a customer. */
function newConversation(m: Mut, cust: Resource, dir: 'in' | 'out', channel: string, subject: string | null, agent: Agent | null): Resource {
  const d = m.data;
  const contact: CustomerContact = contactOf(cust);
  const id = objectId(m.rng, m.nowMs);
  const convRel = relTo('conversation', id, PATHS.conversation + id);
  const rels = new ConvRels(m.ctx, contact.rel, convRel);
  const msgId = objectId(m.rng, m.nowMs);
  const { res, fact } = buildMessage(m.ctx, {
    id: msgId,
    customer: contact,
    conversationId: id,
    rels,
    channel,
    direction: dir,
    directionType: dir === 'in' ? 'initial-in' : 'initial-out',
    sentMs: m.nowMs,
    createdMs: m.nowMs,
    importedMs: null,
    agent: dir === 'out' ? agent ?? m.agent() : null,
    subject,
    attachmentIds: [],
  });
  d.messages.push(res);
  m.sum.cre('messages', msgId);
  const conv = buildConversation(m.ctx, {
    id,
    customer: contact,
    createdMs: m.nowMs,
    updatedMs: m.nowMs,
    modifiedMs: m.nowMs,
    importedMs: null,
    facts: [fact],
    noteCount: 0,
    status: 'open',
    agent,
    deletedMs: null,
    subject,
  });
  d.conversations.push(conv);
  m.sum.cre('conversations', id);
  m.audit('create', 'conversation', id, dir === 'out' ? agent : null, { attributes: {}, relationships: {} }, cust.id, dir === 'out' ? 'kustomer-web' : 'postmark-inbound');
  // Customer summary fields.
  const ca = cust.attributes;
  const counts = (ca.conversationCounts as Attrs | undefined) ?? {};
  ca.conversationCounts = { ...counts, all: Number(counts.all ?? 0) + 1, open: Number(counts.open ?? 0) + 1 };
  ca.lastConversation = { id, channels: conv.attributes.channels, tags: conv.attributes.tags, sentiment: conv.attributes.sentiment };
  if (dir === 'out') ca.lastMessageOut = { sentAt: m.nowIso };
  else {
    ca.lastMessageIn = { sentAt: m.nowIso, channel, sentiment: fact.sentiment };
    ca.lastCustomerActivityAt = m.nowIso;
  }
  ca.lastMessageAt = m.nowIso;
  ca.lastActivityAt = m.nowIso;
  m.bump(cust, agent);
  m.sum.upd('customers', cust.id);
  return conv;
}

function doSendDraft(m: Mut, count: number): void {
  const d = m.data;
  const drafts = m.pick(d.drafts, count, (r) => r.attributes.channel !== 'note');
  const sent = new Set<string>();
  for (const draft of drafts) {
    const cust = findById(d.customers, relIdOf(draft, 'customer'));
    if (!cust) continue;
    const agent = m.agentById(relIdOf(draft, 'createdBy') ?? undefined);
    const channel = String(draft.attributes.channel ?? 'email');
    const subject = (draft.attributes.subject as string | undefined) ?? null;
    let conv = findById(d.conversations, relIdOf(draft, 'conversation'));
    if (!conv) {
      for (const c of d.conversations) {
        if (customerIdOf(c) !== cust.id) continue;
        if (!conv || String(c.attributes.createdAt) > String(conv.attributes.createdAt)) conv = c;
      }
    }
    sent.add(draft.id);
    if (conv) {
      addMessage(m, conv, cust, 'out', channel, subject, agent);
      m.audit('update', 'conversation', conv.id, agent, change('messageCount', Number(conv.attributes.messageCount) - 1, conv.attributes.messageCount), cust.id);
    } else {
      newConversation(m, cust, 'out', channel, subject, agent);
    }
    m.audit('update', 'customer', cust.id, agent, change('lastMessageAt', null, m.nowIso), cust.id);
  }
  for (const id of removeWhere(d.drafts, (r) => sent.has(r.id))) m.sum.del('drafts', id);
}

// ---------------------------------------------------------------------------------------------------------------
// create

function doCreate(m: Mut, c: Core, count: number): void {
  const d = m.data;
  const rng = m.rng;
  const liveCompanies = (): Resource[] => d.companies.filter(notDeleted);
  for (let i = 0; i < Math.max(0, Math.floor(count)); i++) {
    switch (c) {
      case 'customers': {
        const id = objectId(rng, m.nowMs);
        const cos = rng.chance(0.5) ? liveCompanies() : [];
        const co = cos.length > 0 ? rng.pick(cos) : null;
        const company = co ? { id: co.id, name: String(co.attributes.name), rel: relTo('company', co.id, PATHS.company + co.id) } : null;
        const agent = rng.chance(0.5) ? m.agent() : null;
        const res = buildCustomer(m.ctx, {
          id,
          identity: drawIdentity(rng),
          createdMs: m.nowMs,
          updatedMs: m.nowMs,
          modifiedMs: m.nowMs,
          importedMs: null,
          company,
          activity: emptyActivity(),
          createdBy: agent ? agent.rel : m.ctx.machine.rel,
          channels: [],
        });
        d.customers.push(res);
        m.sum.cre('customers', id);
        m.audit('create', 'customer', id, agent ?? m.ctx.machine, { attributes: {}, relationships: {} }, id, agent ? 'kustomer-web' : 'api');
        break;
      }
      case 'conversations': {
        const [cust] = m.pick(d.customers, 1);
        if (!cust) return;
        const channel = rng.weighted(['email', 'chat', 'sms', 'whatsapp'], [6, 3, 1, 1]);
        const subject = channel === 'email' ? rng.pick(['New order question', 'Où est ma commande ?', 'Problem with my account 😩', '至急対応お願いします']) : null;
        newConversation(m, cust, 'in', channel, subject, rng.chance(0.5) ? m.agent() : null);
        break;
      }
      case 'messages': {
        const [conv] = m.pick(d.conversations, 1, notDeleted);
        if (!conv) return;
        const cust = findById(d.customers, relIdOf(conv, 'customer'));
        if (!cust) return;
        const dir = conv.attributes.lastMessageDirection === 'in' ? 'out' : 'in';
        const channels = (conv.attributes.channels as string[] | undefined) ?? [];
        const agent = dir === 'out' ? m.agent() : null;
        addMessage(m, conv, cust, dir, channels[0] ?? 'email', (conv.attributes.name as string | null) ?? null, agent);
        m.audit('update', 'conversation', conv.id, agent, change('messageCount', Number(conv.attributes.messageCount) - 1, conv.attributes.messageCount), cust.id);
        break;
      }
      case 'notes': {
        const [conv] = m.pick(d.conversations, 1, notDeleted);
        if (!conv) return;
        const custId = relIdOf(conv, 'customer');
        const cust = findById(d.customers, custId);
        const contact = cust ? contactOf(cust) : contactOfId(custId ?? conv.id);
        const convRel = relTo('conversation', conv.id, PATHS.conversation + conv.id);
        const agent = m.agent();
        const id = objectId(rng, m.nowMs);
        d.notes.push(buildNote(m.ctx, { id, customer: contact, rels: new ConvRels(m.ctx, contact.rel, convRel), createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null, deletedMs: null, agent }));
        m.sum.cre('notes', id);
        const before = Number(conv.attributes.noteCount ?? 0);
        conv.attributes.noteCount = before + 1;
        conv.attributes.lastActivityAt = m.nowIso;
        m.bump(conv, agent);
        m.sum.upd('conversations', conv.id);
        m.audit('update', 'conversation', conv.id, agent, change('noteCount', before, before + 1), custId);
        break;
      }
      case 'companies': {
        const id = objectId(rng, m.nowMs);
        const res = buildCompany(m.ctx, { id, createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null, deletedMs: null });
        res.attributes.modifiedAt = m.nowIso;
        d.companies.push(res);
        m.sum.cre('companies', id);
        m.audit('create', 'company', id, m.agent(), { attributes: {}, relationships: {} }, null, 'api');
        break;
      }
      case 'kobjects': {
        const [cust] = m.pick(d.customers, 1);
        if (!cust || m.ctx.klasses.length === 0) return;
        const id = objectId(rng, m.nowMs);
        d.kobjects.push(buildKObject(m.ctx, { id, klass: rng.pick(m.ctx.klasses), customer: contactOf(cust), createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null }));
        m.sum.cre('kobjects', id);
        break;
      }
    }
  }
}

function contactOfId(id: string): CustomerContact {
  return { id, rel: relTo('customer', id, PATHS.customer + id), name: null, email: null, phone: null, companyId: null, companyRel: null, companyName: null };
}

// ---------------------------------------------------------------------------------------------------------------
// settings

const SETTINGS_OPS = ['renameTag', 'removeTag', 'addUser', 'renameTeam', 'queuePriority'] as const;

function doSettings(m: Mut, count: number): void {
  const d = m.data;
  const rng = m.rng;
  const owner = d.users[0];
  const ownerRel: Relationship | undefined = owner ? relTo('user', owner.id, PATHS.user + owner.id) : undefined;
  for (let i = 0; i < Math.max(0, Math.floor(count)); i++) {
    const op = SETTINGS_OPS[i % SETTINGS_OPS.length];
    switch (op) {
      case 'renameTag': {
        const [t] = m.pick(d.tags, 1, notDeleted);
        if (!t) break;
        t.attributes.name = flat(String(t.attributes.name ?? 'tag'), rng.pick(['-v2', ' (renamed)', '_old', ' ✨']));
        m.bump(t, null);
        if (ownerRel) t.relationships = { ...t.relationships, modifiedBy: ownerRel };
        m.sum.upd('tags', t.id);
        break;
      }
      case 'removeTag': {
        const renamed = m.sum.updated.get('tags');
        const [t] = m.pick(d.tags, 1, (r) => !renamed?.has(r.id));
        if (!t) break;
        // Gone from GET /v1/tags; records that reference it keep the id (as in Kustomer).
        for (const id of removeWhere(d.tags, (r) => r.id === t.id)) m.sum.del('tags', id);
        break;
      }
      case 'addUser': {
        const id = objectId(rng, m.nowMs);
        const first = rng.pick(['Aoife', 'Kenji', 'Lucía', 'Mateusz', 'Nadia', 'Oskar', 'Thandiwe', 'Ülkü']);
        const last = rng.pick(['Byrne', 'Watanabe', 'Moreno', 'Zieliński', 'Haddad', 'Berg', 'Dlamini', 'Öztürk']);
        const name = flat(first, ' ', last);
        const slug = flat(first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase(), '.', last.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase(), rng.int(1, 99));
        const rels: Record<string, Relationship> = { org: m.ctx.orgRel };
        if (ownerRel) {
          rels.createdBy = ownerRel;
          rels.modifiedBy = ownerRel;
        }
        d.users.push({
          type: 'user',
          id,
          attributes: {
            name,
            displayName: first,
            email: flat(slug, '@brand.example.com'),
            mobile: null,
            avatarUrl: null,
            emailSignature: flat('— ', name),
            userType: 'user',
            roles: ['org.user'],
            roleGroups: EMPTY,
            emailVerifiedAt: null,
            firstEmailVerifiedAt: null,
            verifiedEmailStatus: 'pending',
            isEmailValid: true,
            password: { allowNew: true, forceNew: true, updatedAt: m.nowIso },
            firstLoginAt: null,
            mostRecentLoginAt: null,
            deleted: false,
            deletedAt: null,
            custom: {},
            createdAt: m.nowIso,
            updatedAt: m.nowIso,
            modifiedAt: m.nowIso,
          },
          relationships: rels,
          links: { self: PATHS.user + id },
        });
        m.sum.cre('users', id);
        m.audit('create', 'user', id, null, { attributes: {}, relationships: {} }, null, 'kustomer-web');
        break;
      }
      case 'renameTeam': {
        const [t] = m.pick(d.teams, 1, notDeleted);
        if (!t) break;
        t.attributes.displayName = flat(String(t.attributes.name ?? 'Team'), ' ', rng.pick(['(EMEA)', '(night shift)', '🌙']));
        m.bump(t, null);
        m.sum.upd('teams', t.id);
        break;
      }
      case 'queuePriority': {
        const [q] = m.pick(d.queues, 1, (r) => r.attributes.system !== true && notDeleted(r));
        if (!q) break;
        q.attributes.priority = rng.int(1, 100);
        m.bump(q, null);
        m.sum.upd('queues', q.id);
        break;
      }
      default:
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/** Applies one mutation at `now`; deterministic for the same (data, m, now, seed). */
export function applyMutation(data: SandboxData, m: Mutation, now: Date, seed: number, opts: MutationOptions = {}): MutationSummary {
  const st = new Mut(data, now, seed, opts);
  switch (m.kind) {
    case 'update':
      doUpdate(st, m.collection, m.count);
      break;
    case 'bulkUpdate':
      doBulkUpdate(st, m.collection, m.count);
      break;
    case 'softDelete':
      doSoftDelete(st, m.collection, m.count);
      break;
    case 'hardDelete':
      doHardDelete(st, m.collection, m.count);
      break;
    case 'removeEmail':
      doRemoveEmail(st, m.count);
      break;
    case 'sendDraft':
      doSendDraft(st, m.count);
      break;
    case 'create':
      doCreate(st, m.collection, m.count);
      break;
    case 'settings':
      doSettings(st, m.count);
      break;
  }
  return st.sum.toJSON();
}

/** Options of one scripted round (`POST /__sandbox/mutate {"round": N, ...}`). */
export interface RoundOptions {
  /**
   * How many records the round's closing bulk update touches (default ~2% of customers, at least 5). Every one is
   * audit-logged after the round's deletes: customers first, then conversations, then messages when customers run
   * out, so a large value puts more than a page of audit entries between a delete and the next sync.
   */
  bulkUpdate?: number;
}

/** The round's closing bulk update: `count` records stamped with one instant, customers first. */
function closingBulkUpdate(data: SandboxData, count: number): Mutation[] {
  const live = (list: Resource[]): number => list.filter((r) => r.attributes.deleted !== true).length;
  const customers = Math.min(count, live(data.customers));
  const conversations = Math.min(count - customers, live(data.conversations));
  const messages = count - customers - conversations;
  return [
    { kind: 'bulkUpdate', collection: 'customers', count: customers },
    ...(conversations > 0 ? [{ kind: 'bulkUpdate' as const, collection: 'conversations' as const, count: conversations }] : []),
    ...(messages > 0 ? [{ kind: 'update' as const, collection: 'messages' as const, count: messages }] : []),
  ];
}

/** The records the closing bulk update touches when the round does not say. */
const defaultBulkUpdate = (data: SandboxData): number => Math.max(5, Math.round(data.customers.length * 0.02));

/** The scripted mix of round `round` (seeded by seed + round), closing bulk update included. */
export function roundScript(data: SandboxData, round: number, seed: number, options: RoundOptions = {}): Mutation[] {
  return [...scriptedSteps(round, seed), ...closingBulkUpdate(data, options.bulkUpdate ?? defaultBulkUpdate(data))];
}

/** The round's steps before its closing bulk update. */
function scriptedSteps(round: number, seed: number): Mutation[] {
  const rng = new Rng(seed + round);
  const soft: Array<'companies' | 'notes' | 'conversations'> = ['companies', 'notes', 'conversations'];
  const skip = round % 3;
  return [
    { kind: 'update', collection: 'customers', count: rng.int(3, 8) },
    { kind: 'update', collection: 'conversations', count: rng.int(3, 8) },
    { kind: 'update', collection: 'messages', count: rng.int(2, 6) },
    { kind: 'update', collection: 'notes', count: rng.int(1, 4) },
    { kind: 'update', collection: 'companies', count: rng.int(1, 3) },
    { kind: 'update', collection: 'kobjects', count: rng.int(1, 4) },
    ...soft.filter((_, i) => i !== skip).map((collection) => ({ kind: 'softDelete' as const, collection, count: 1 })),
    { kind: 'removeEmail', count: rng.int(1, 2) },
    { kind: 'sendDraft', count: 1 },
    { kind: 'create', collection: 'customers', count: rng.int(2, 5) },
    { kind: 'create', collection: 'conversations', count: rng.int(2, 4) },
    { kind: 'create', collection: 'messages', count: rng.int(3, 8) },
    { kind: 'create', collection: 'notes', count: rng.int(1, 3) },
    { kind: 'create', collection: 'companies', count: 1 },
    { kind: 'create', collection: 'kobjects', count: rng.int(1, 3) },
    { kind: 'hardDelete', collection: 'customers', count: rng.int(1, 2) },
    { kind: 'hardDelete', collection: 'conversations', count: rng.int(1, 2) },
    { kind: 'hardDelete', collection: 'kobjects', count: 1 },
    { kind: 'settings', count: 3 },
  ];
}

/**
 * Round N of the scripted change mix: a few updates across core collections, soft deletes, hard deletes (customers,
 * conversations, a kobject), a removed email, a sent draft, new records, a settings change, and one bulk update of
 * ~2% of customers (at least 5) sharing one updatedAt. All stamped `now`.
 */
export function applyMutationRound(
  data: SandboxData,
  round: number,
  now: Date,
  seed: number,
  opts: MutationOptions = {},
  options: RoundOptions = {},
): MutationSummary {
  const sum = new Summary();
  const bulk = options.bulkUpdate ?? defaultBulkUpdate(data);
  const steps = scriptedSteps(round, seed);
  let i = 0;
  for (const step of steps) sum.merge(applyMutation(data, step, now, (seed + round) * 97 + i++ * 7919 + 1, opts));
  // Sized now, after the round's deletes, so every one of the `bulk` records still exists.
  for (const step of closingBulkUpdate(data, bulk)) sum.merge(applyMutation(data, step, now, (seed + round) * 97 + i++ * 7919 + 1, opts));
  return sum.toJSON();
}
