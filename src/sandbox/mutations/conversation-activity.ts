/**
 * A message reaching a conversation, as Kustomer records it: the message (and maybe an attachment), then the
 * conversation's and the customer's summary fields (counts, last message, unresponded, preview) moved to `now`.
 * Shared by the `create` mutations and `sendDraft`.
 */
import type { Resource } from '../model';
import { objectId } from '../random';
import {
  type Agent,
  type Attrs,
  type CustomerContact,
  ConvRels,
  PATHS,
  attachmentRels,
  buildAttachment,
  buildConversation,
  buildMessage,
  contactOf,
  messageRef,
  pooledChannels,
  relTo,
} from '../generate';
import { change, noChanges } from './records';
import type { Mut } from './working-state';

/** A message's parameters other than its instants: it is sent, created and stored now. */
type SentMessage = Omit<Parameters<typeof buildMessage>[1], 'sentMs' | 'createdMs' | 'updatedMs' | 'importedMs'>;

/** Builds a message sent now (an outbound one by `agent`, or a random agent when none is given), stores and counts it. */
function sendMessage(m: Mut, p: SentMessage): ReturnType<typeof buildMessage> {
  const built = buildMessage(m.ctx, { ...p, sentMs: m.nowMs, createdMs: m.nowMs, importedMs: null, agent: p.direction === 'out' ? p.agent ?? m.agent() : null });
  m.data.messages.push(built.res);
  m.sum.cre('messages', p.id);
  return built;
}

/** Marks a conversation open again (its status already set) and counts the reopening. */
export function reopen(m: Mut, a: Attrs): void {
  a.open = { statusAt: m.nowIso };
  a.reopenCount = Number(a.reopenCount ?? 0) + 1;
  a.reopenFromDoneCount = Number(a.reopenFromDoneCount ?? 0) + 1;
}

/**
 * Adds an outbound or inbound message to an existing conversation, moves the conversation and customer, and
 * audits the conversation's new message count.
 */
export function addMessage(m: Mut, conv: Resource, cust: Resource, dir: 'in' | 'out', channel: string, subject: string | null, agent: Agent | null): Resource {
  const d = m.data;
  const contact = contactOf(cust);
  const convRel = relTo('conversation', conv.id, PATHS.conversation + conv.id);
  const rels = new ConvRels(m.ctx, contact.rel, convRel);
  const id = objectId(m.rng, m.nowMs);
  const lastDir = conv.attributes.lastMessageDirection;
  const directionType = dir === 'out' ? (lastDir === 'in' ? 'response-out' : 'followup-out') : 'followup-in';
  const attIds = m.rng.chance(0.2) ? [objectId(m.rng, m.nowMs)] : [];
  const { res, fact } = sendMessage(m, { id, customer: contact, conversationId: conv.id, rels, channel, direction: dir, directionType, agent, subject, attachmentIds: attIds });
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
      reopen(m, a);
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
  m.audit('update', 'conversation', conv.id, agent, change('messageCount', Number(a.messageCount) - 1, a.messageCount), cust.id);
  return res;
}

/** Creates a conversation (with its first message) for a customer. */
export function newConversation(m: Mut, cust: Resource, dir: 'in' | 'out', channel: string, subject: string | null, agent: Agent | null): Resource {
  const d = m.data;
  const contact: CustomerContact = contactOf(cust);
  const id = objectId(m.rng, m.nowMs);
  const convRel = relTo('conversation', id, PATHS.conversation + id);
  const rels = new ConvRels(m.ctx, contact.rel, convRel);
  const msgId = objectId(m.rng, m.nowMs);
  const { fact } = sendMessage(m, {
    id: msgId,
    customer: contact,
    conversationId: id,
    rels,
    channel,
    direction: dir,
    directionType: dir === 'in' ? 'initial-in' : 'initial-out',
    agent,
    subject,
    attachmentIds: [],
  });
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
  m.audit('create', 'conversation', id, dir === 'out' ? agent : null, noChanges(), cust.id, dir === 'out' ? 'kustomer-web' : 'postmark-inbound');
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
