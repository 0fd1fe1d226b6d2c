/**
 * `sendDraft`: an agent sends a saved draft. It becomes an outbound message on the draft's conversation (or the
 * customer's latest one, or a new conversation when there is none) and leaves the drafts list.
 */
import type { Resource } from '../model';
import { addMessage, newConversation } from './conversation-activity';
import { change, customerIdOf, findById, removeWhere } from './records';
import { relId } from '../relationships';
import type { Mut } from './working-state';

export function doSendDraft(m: Mut, count: number): void {
  const d = m.data;
  const drafts = m.pick(d.drafts, count, (r) => r.attributes.channel !== 'note');
  const sent = new Set<string>();
  for (const draft of drafts) {
    const cust = findById(d.customers, relId(draft, 'customer'));
    if (!cust) continue;
    const agent = m.agentById(relId(draft, 'createdBy') ?? undefined);
    const channel = String(draft.attributes.channel ?? 'email');
    const subject = (draft.attributes.subject as string | undefined) ?? null;
    const conv = findById(d.conversations, relId(draft, 'conversation')) ?? latestConversationOf(m, cust.id);
    sent.add(draft.id);
    if (conv) addMessage(m, conv, cust, 'out', channel, subject, agent);
    else newConversation(m, cust, 'out', channel, subject, agent);
    m.audit('update', 'customer', cust.id, agent, change('lastMessageAt', null, m.nowIso), cust.id);
  }
  for (const id of removeWhere(d.drafts, (r) => sent.has(r.id))) m.sum.del('drafts', id);
}

/** The customer's most recently created conversation (the first of equals), if any. */
function latestConversationOf(m: Mut, customerId: string): Resource | undefined {
  let latest: Resource | undefined;
  for (const c of m.data.conversations) {
    if (customerIdOf(c) !== customerId) continue;
    if (!latest || String(c.attributes.createdAt) > String(latest.attributes.createdAt)) latest = c;
  }
  return latest;
}
