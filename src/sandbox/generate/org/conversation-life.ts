/**
 * One conversation of a customer's life: its messages, notes, the conversation record, its children, what it adds to
 * the customer's activity summary, and (sometimes) its audit history.
 */
import { Weighted, objectId } from '../../random';
import { buildConversation } from '../builders/conversation';
import { buildNote } from '../builders/note';
import { CH_EMPTY, CH_PRIORITY, CH_STATUS_DONE } from '../changes';
import { ConvRels } from '../conversation-rels';
import { PATHS, relTo } from '../json-api';
import { pickAgent, type OrgCtx } from '../org-context';
import { SUBJECTS } from '../text-pools';
import { DAY, HOUR, MIN, later, sortedTimes } from '../time';
import { foldConversation } from './activity';
import { genEvents, genForward, genTimes } from './conversation-children';
import type { Acc, CustomerLife, Thread } from './life';
import { genMessages } from './thread-messages';

const CHANNELS = new Weighted<string>([
  ['email', 55], ['chat', 25], ['sms', 8], ['whatsapp', 4], ['facebook', 3], ['instagram', 2], ['voice', 2], ['twitter-dm', 1],
]);
const MSG_COUNT = new Weighted<number>([[1, 25], [2, 25], [3, 20], [4, 12], [5, 8], [6, 5], [8, 3], [12, 2]]);
const NOTE_COUNT = new Weighted<number>([[0, 60], [1, 30], [2, 10]]);

export function genConversation(ctx: OrgCtx, acc: Acc, life: CustomerLife, convStart: number): void {
  const rng = ctx.rng;
  const data = acc.data;
  const { A, bound, imported, importedMs, contact } = life;
  const forceAll = acc.force.conversation;
  acc.force.conversation = false;
  const convId = objectId(rng, imported ? bound : convStart);
  const convRel = relTo('conversation', convId, PATHS.conversation + convId);
  const cr = new ConvRels(ctx, contact.rel, convRel);
  const channel = CHANNELS.pick(rng);
  if (!life.channelsUsed.includes(channel)) life.channelsUsed.push(channel);
  const agent = rng.chance(0.9) ? pickAgent(ctx) : null;
  const outbound = rng.chance(0.08) && agent !== null;
  const nMsg = MSG_COUNT.pick(rng);
  const subject = channel === 'email' ? rng.pick(SUBJECTS) : null;
  const thread: Thread = { convId, convRel, convStart, cr, channel, agent, outbound, subject, forceAll };
  // Message times: squeezed into [convStart, bound].
  const { facts, lastMsgMs } = genMessages(ctx, data, life, thread, nMsg);
  // Notes.
  let nNotes = NOTE_COUNT.pick(rng);
  if (forceAll && nNotes === 0) nNotes = 1;
  const noteTimes = sortedTimes(rng, nNotes, convStart, later(rng, Math.max(convStart, lastMsgMs), 10 * MIN, bound));
  let convEnd = Math.max(lastMsgMs, noteTimes[noteTimes.length - 1] ?? 0);
  convEnd = Math.min(convEnd, bound);
  const status: 'open' | 'snoozed' | 'done' =
    A - convEnd < 3 * DAY ? rng.weighted(['open', 'snoozed', 'done'] as const, [5, 1, 4]) : rng.weighted(['open', 'snoozed', 'done'] as const, [6, 3, 91]);
  let updatedMs = imported ? bound : later(rng, convEnd, 20 * MIN, bound);
  if (updatedMs < convStart) updatedMs = convStart;
  const softDeleted = !imported && rng.chance(0.01) ? updatedMs : null;
  for (const nt of noteTimes) {
    const nid = objectId(rng, imported ? bound : nt);
    const noteAgent = agent ?? pickAgent(ctx);
    const nUpdated = imported ? bound : rng.chance(0.1) ? later(rng, nt, HOUR, bound) : nt;
    const noteDeleted = !imported && rng.chance(0.03) ? nUpdated : null;
    data.notes.push(buildNote(ctx, { id: nid, customer: contact, rels: cr, createdMs: nt, updatedMs: nUpdated, importedMs, deletedMs: noteDeleted, agent: noteAgent }));
  }
  const modifiedMs = rng.chance(0.7) ? updatedMs : Math.max(convStart, Math.min(updatedMs, convEnd));
  const conv = buildConversation(ctx, {
    id: convId,
    customer: contact,
    createdMs: convStart,
    updatedMs,
    modifiedMs,
    importedMs,
    facts,
    noteCount: nNotes,
    status,
    agent,
    deletedMs: softDeleted,
    subject,
  });
  data.conversations.push(conv);
  genEvents(ctx, data, life, thread, updatedMs, status);
  genTimes(ctx, data, life, thread, updatedMs, nNotes, conv);
  genForward(ctx, data, life, thread, updatedMs, facts.length);
  foldConversation(life, conv, facts, status, subject, convEnd);
  // Audit history (modest): create + latest update of some conversations.
  if (rng.chance(acc.auditPConversation)) {
    acc.audit.push({ verb: 'create', objectType: 'conversation', objectId: convId, ms: convStart, agent: outbound ? agent : null, client: imported ? 'bulk-import' : outbound ? 'kustomer-web' : 'postmark-inbound', changes: CH_EMPTY, customerId: contact.id });
    if (updatedMs > convStart) acc.audit.push({ verb: 'update', objectType: 'conversation', objectId: convId, ms: updatedMs, agent, client: agent ? 'kustomer-web' : 'business-rules', changes: status === 'done' ? CH_STATUS_DONE : CH_PRIORITY, customerId: contact.id });
  }
}
