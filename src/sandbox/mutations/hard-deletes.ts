/**
 * Hard deletes with Kustomer's cascade: a customer takes its conversations, drafts and (when neither side is left)
 * merges; a conversation takes its messages, notes, events, forwards, times and attachments and moves its customer's
 * counts. Customers, conversations and KObjects deleted as such are audit-logged (`delete`); the messages and notes
 * a cascade removes are logged only under `auditCascade: 'all'`.
 */
import type { Resource } from '../model';
import type { Agent, Attrs } from '../generate';
import { change, convIdOf, customerIdOf, noChanges, removeWhere } from './records';
import { relId } from '../relationships';
import type { Mut } from './working-state';

export function doHardDelete(m: Mut, c: 'customers' | 'conversations' | 'kobjects', count: number): void {
  const by = m.agent();
  if (c === 'kobjects') deleteKObjects(m, count, by);
  else if (c === 'customers') deleteCustomers(m, count, by);
  else deleteConversations(m, count, by);
}

function deleteKObjects(m: Mut, count: number, by: Agent): void {
  const d = m.data;
  const ids = new Set(m.pick(d.kobjects, count).map((r) => r.id));
  for (const r of d.kobjects) if (ids.has(r.id)) m.audit('delete', 'kobject', r.id, by, noChanges(), relId(r, 'customer'));
  for (const id of removeWhere(d.kobjects, (r) => ids.has(r.id))) m.sum.del('kobjects', id);
}

function deleteCustomers(m: Mut, count: number, by: Agent): void {
  const d = m.data;
  // Prefer customers with conversations (the cascade is the interesting part).
  const victims = m.pick(d.customers, count, (r) => Number((r.attributes.conversationCounts as Attrs | undefined)?.all ?? 0) > 0);
  if (victims.length < count) victims.push(...m.pick(d.customers, count - victims.length, (r) => !victims.includes(r)));
  const custIds = new Set(victims.map((r) => r.id));
  const convIds = new Set<string>();
  for (const r of d.conversations) {
    const cid = customerIdOf(r);
    if (cid !== null && custIds.has(cid)) convIds.add(r.id);
  }
  for (const r of victims) m.audit('delete', 'customer', r.id, by, noChanges(), r.id);
  for (const r of d.conversations) if (convIds.has(r.id)) m.audit('delete', 'conversation', r.id, by, noChanges(), customerIdOf(r));
  for (const id of removeWhere(d.conversations, (r) => convIds.has(r.id))) m.sum.del('conversations', id);
  cascadeConversations(m, convIds, custIds);
  for (const id of removeWhere(d.drafts, (r) => custIds.has(customerIdOf(r) ?? ''))) m.sum.del('drafts', id);
  // A merge is the surviving customer's history too: it goes only when neither side remains.
  const gone = (id: string | null) => id === null || custIds.has(id) || !d.customers.some((c) => c.id === id);
  for (const id of removeWhere(d.customerMerges, (r) => gone(relId(r, 'source')) && gone(relId(r, 'target')))) {
    m.sum.del('customerMerges', id);
  }
  for (const id of removeWhere(d.customers, (r) => custIds.has(r.id))) m.sum.del('customers', id);
}

/** Conversations: their messages, notes and per-conversation children go; the customer's counts move. */
function deleteConversations(m: Mut, count: number, by: Agent): void {
  const d = m.data;
  const victims = m.pick(d.conversations, count);
  const convIds = new Set(victims.map((r) => r.id));
  const touched = new Map<string, number>();
  for (const r of victims) {
    const cid = relId(r, 'customer');
    m.audit('delete', 'conversation', r.id, by, noChanges(), cid);
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

/** Removes what hangs off the deleted conversations (and, for deleted customers, any stray message or note). */
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
  const cascaded = (r: Resource): boolean => inConv(r) || ofCust(r);
  if ((m.opts.auditCascade ?? 'all') === 'all') {
    const by = m.agent();
    for (const r of d.messages) if (cascaded(r)) m.audit('delete', 'message', r.id, by, noChanges(), customerIdOf(r));
    for (const r of d.notes) if (cascaded(r)) m.audit('delete', 'note', r.id, by, noChanges(), customerIdOf(r));
  }
  const msgIds = new Set(removeWhere(d.messages, cascaded));
  for (const id of msgIds) m.sum.del('messages', id);
  for (const id of removeWhere(d.notes, cascaded)) m.sum.del('notes', id);
  for (const id of removeWhere(d.conversationEvents, inConv)) m.sum.del('conversationEvents', id);
  for (const id of removeWhere(d.forwards, inConv)) m.sum.del('forwards', id);
  for (const id of removeWhere(d.conversationTimes, inConv)) m.sum.del('conversationTimes', id);
  for (const id of removeWhere(d.attachments, (r) => inConv(r) || msgIds.has(relId(r, 'message') ?? ''))) m.sum.del('attachments', id);
}
