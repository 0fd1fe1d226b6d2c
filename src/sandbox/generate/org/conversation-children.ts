/** The per-conversation children: events (a create, then updates), handle times, and sometimes a forward. */
import type { Relationship, Resource, SandboxData } from '../../model';
import { Weighted, objectId } from '../../random';
import { CH_EMPTY, CH_NAME, CH_PRIORITY, CH_STATUS_DONE, CH_STATUS_OPEN, CH_STATUS_SNOOZED, agentChange, tagChange } from '../changes';
import type { Rels } from '../conversation-rels';
import { EMPTY, EMPTY_OBJ, PATHS, flat, resource, type Attrs } from '../json-api';
import { pickAgent, type OrgCtx } from '../org-context';
import { DRAFTJS_POOL, OUT_TEXTS } from '../text-pools';
import { SEC, iso, later, sortedTimes } from '../time';
import type { CustomerLife, Thread } from './life';

const EVENT_COUNT = new Weighted<number>([[1, 14], [2, 15], [3, 20], [4, 20], [5, 12], [6, 8], [8, 6], [10, 5]]);
const TIME_COUNT = new Weighted<number>([[0, 25], [1, 55], [2, 15], [3, 5]]);
const TIMES_PATH = PATHS.conversation + 'times/';

/** Events: a create, then updates spread over the conversation's life. */
export function genEvents(ctx: OrgCtx, data: SandboxData, life: CustomerLife, thread: Thread, updatedMs: number, status: string): void {
  const rng = ctx.rng;
  const { A, bound, imported } = life;
  const { convId, convStart, cr, agent } = thread;
  const evPrefix = flat(PATHS.conversation, convId, '/events/');
  const nEv = EVENT_COUNT.pick(rng);
  const evTimes = sortedTimes(rng, nEv - 1, convStart + 1, updatedMs);
  evTimes.unshift(convStart);
  for (let e = 0; e < evTimes.length; e++) {
    const et = evTimes[e] as number;
    const evAgent = agent ?? pickAgent(ctx);
    let name = 'kustomer.conversation.update';
    let changes: Attrs;
    if (e === 0) {
      name = 'kustomer.conversation.create';
      changes = CH_EMPTY;
    } else {
      const r = rng.next();
      if (r < 0.3) changes = e === evTimes.length - 1 && status === 'done' ? CH_STATUS_DONE : rng.pick([CH_STATUS_OPEN, CH_STATUS_SNOOZED, CH_STATUS_DONE]);
      else if (r < 0.55) changes = agentChange(evAgent);
      else if (r < 0.75 && ctx.tagIds.length > 0) changes = tagChange(rng.pick(ctx.tagIds));
      else if (r < 0.85) changes = CH_PRIORITY;
      else if (r < 0.92) changes = CH_NAME;
      else {
        name = 'kustomer.message.create';
        changes = CH_EMPTY;
      }
    }
    const evId = objectId(rng, imported ? bound : et);
    const eIso = iso(et);
    const pub = rng.chance(0.7) ? eIso : iso(later(rng, et, 500, A));
    data.conversationEvents.push({
      type: 'customer_event',
      id: evId,
      attributes: {
        name,
        type: name === 'kustomer.message.create' ? 'message' : 'conversation',
        changes,
        location: null,
        meta: null,
        publishedAt: pub,
        createdAt: eIso,
        updatedAt: eIso,
        modifiedAt: eIso,
      },
      relationships: cr.agent(evAgent),
      links: { self: evPrefix + evId },
    });
  }
}

/** Conversation times (handle sessions). */
export function genTimes(ctx: OrgCtx, data: SandboxData, life: CustomerLife, thread: Thread, updatedMs: number, nNotes: number, conv: Resource): void {
  const rng = ctx.rng;
  const { bound, imported } = life;
  const { convStart, cr, agent, forceAll } = thread;
  let nTimes = TIME_COUNT.pick(rng);
  if (forceAll && nTimes === 0) nTimes = 1;
  for (let k = 0; k < nTimes; k++) {
    const handleAt = Math.floor(rng.float(convStart, Math.max(convStart, updatedMs - 60 * SEC)));
    const handleTime = rng.int(20, 1800);
    const createdAtMs = Math.min(updatedMs, handleAt + handleTime * SEC);
    const tAgent = agent ?? pickAgent(ctx);
    const hasNote = nNotes > 0 && rng.chance(0.4);
    const tid = objectId(rng, imported ? bound : createdAtMs);
    data.conversationTimes.push({
      type: 'conversation_time',
      id: tid,
      attributes: {
        handleAt: iso(handleAt),
        handleTime,
        messageAt: iso(handleAt + rng.int(1, 30) * SEC),
        messageTime: Math.floor(handleTime * rng.float(0.2, 0.9)),
        noteAt: hasNote ? iso(handleAt + rng.int(1, 30) * SEC) : null,
        noteTime: hasNote ? rng.int(5, 120) : null,
        channels: (conv.attributes.channels as readonly string[]) ?? EMPTY,
        assignedUsers: tAgent.asList,
        assignedTeams: tAgent.teams,
        createdByTeams: tAgent.teams,
        createdAt: iso(createdAtMs),
      },
      relationships: cr.times(tAgent),
      links: { self: TIMES_PATH + tid },
    });
  }
}

/** Sometimes (always when forced) a forward of the conversation; `nMessages` = how many messages it just got. */
export function genForward(ctx: OrgCtx, data: SandboxData, life: CustomerLife, thread: Thread, updatedMs: number, nMessages: number): void {
  const rng = ctx.rng;
  const { bound, imported, contact } = life;
  const { convRel, convStart, agent, subject, forceAll } = thread;
  if ((forceAll || rng.chance(0.1)) && updatedMs > convStart) {
    const fAgent = agent ?? pickAgent(ctx);
    const fc = Math.floor(rng.float(convStart, updatedMs));
    const fu = rng.chance(0.3) ? Math.floor(rng.float(fc, updatedMs)) : fc;
    const fid = objectId(rng, imported ? bound : fc);
    const k = rng.int(0, OUT_TEXTS.length - 1);
    const status = rng.weighted(['sent', 'draft', 'failed'], [80, 12, 8]);
    const fattrs: Attrs = {
      channel: 'email',
      app: rng.pick(['gmail', 'postmark']),
      status,
      from: { email: ctx.supportEmail, name: 'Support' },
      to: rng.chance(0.7) ? [{ email: `warehouse@partner.example.com`, name: 'Warehouse' }] : [{ email: 'billing@brand.example.com', name: 'Billing' }, { email: 'ops@brand.example.com', name: 'Ops 🛠' }],
      body: OUT_TEXTS[k] ?? '',
      subject: subject ? (subject.startsWith('Fwd:') ? subject : flat('Fwd: ', subject)) : 'Fwd: conversation',
      lang: rng.chance(0.5) ? 'en' : null,
      payload: { draftJs: DRAFTJS_POOL[k] ?? EMPTY_OBJ },
      createdAt: iso(fc),
      updatedAt: iso(fu),
      modifiedAt: iso(fu),
    };
    const frels: Rels = { org: ctx.orgRel, customer: contact.rel, conversation: convRel, createdBy: fAgent.rel, modifiedBy: fAgent.rel };
    // Real quirk: forwards' `attachments` is an ARRAY of relationship objects, not {data:[...]}.
    const firstMsg = data.messages[data.messages.length - nMessages];
    const firstAtt = firstMsg?.relationships?.attachments?.data;
    if (Array.isArray(firstAtt) && firstAtt.length > 0 && rng.chance(0.7)) {
      frels.attachments = firstAtt.map((d) => ({ data: { type: 'attachment', id: d.id } })) as unknown as Relationship;
    }
    data.forwards.push(resource('forward', fid, PATHS.forward + fid, fattrs, frels));
  }
}
