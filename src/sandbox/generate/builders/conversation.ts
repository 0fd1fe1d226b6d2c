/** One conversation record, summarising its messages (first/last in and out, response, done, SLA, satisfaction). */
import type { Relationship, Resource } from '../../model';
import { pooledChannels } from '../conversation-rels';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, EMPTY_OBJ, PATHS, flat, resource, type Attrs } from '../json-api';
import type { Agent, OrgCtx, Ref } from '../org-context';
import { LANGS } from '../text-pools';
import { DAY, HOUR, SEC, iso } from '../time';
import type { CustomerContact } from './customer';
import { messageRef, type MessageFact } from './message';

const EMPTY_TEAMS_REF: Attrs = Object.freeze({ createdByTeams: EMPTY });
const EMPTY_SUMMARY: Attrs = Object.freeze({ createdByTeams: EMPTY, assignedTeams: EMPTY, assignedUsers: EMPTY });
const EMPTY_SATISFACTION: Attrs = Object.freeze({ sentByTeams: EMPTY });
const EMPTY_ASSISTANT: Attrs = Object.freeze({ assistantId: EMPTY });

export interface ConversationParams {
  id: string;
  customer: CustomerContact;
  createdMs: number;
  updatedMs: number;
  modifiedMs: number;
  importedMs: number | null;
  facts: MessageFact[];
  noteCount: number;
  status: 'open' | 'snoozed' | 'done';
  agent: Agent | null;
  deletedMs: number | null;
  subject: string | null;
}

export function buildConversation(ctx: OrgCtx, p: ConversationParams): Resource {
  const rng = ctx.rng;
  const facts = p.facts;
  let firstIn: MessageFact | null = null;
  let firstOut: MessageFact | null = null;
  let lastIn: MessageFact | null = null;
  let lastOut: MessageFact | null = null;
  let inCount = 0;
  const channels: string[] = [];
  const byChannel: Record<string, number> = {};
  const outByChannel: Record<string, number> = {};
  for (const f of facts) {
    if (!channels.includes(f.channel)) channels.push(f.channel);
    byChannel[f.channel] = (byChannel[f.channel] ?? 0) + 1;
    if (f.direction === 'in') {
      inCount++;
      firstIn ??= f;
      lastIn = f;
    } else {
      outByChannel[f.channel] = (outByChannel[f.channel] ?? 0) + 1;
      firstOut ??= f;
      lastOut = f;
    }
  }
  const first = facts[0];
  const last = facts[facts.length - 1];
  const agent = p.agent;
  const team = agent && agent.teams.length > 0 ? agent.teams : EMPTY;
  const updatedIso = iso(p.updatedMs);
  const lastMs = last ? last.sentMs : p.createdMs;
  const done = p.status === 'done';
  const doneMs = done ? Math.max(lastMs, Math.min(p.updatedMs, lastMs + rng.int(1, 600) * SEC)) : null;
  const doneCount = done ? rng.weighted([1, 2, 3], [8, 2, 0.5]) : rng.weighted([0, 1], [9, 1]);
  const openTime = (doneMs ?? p.updatedMs) - p.createdMs;
  const doneSummary: Attrs | null =
    doneMs === null
      ? null
      : {
          createdAt: iso(doneMs),
          createdBy: agent ? agent.id : null,
          createdByTeams: team,
          assignedUsers: agent ? agent.asList : EMPTY,
          assignedTeams: team,
          time: openTime,
          businessTime: Math.floor(openTime * 0.4),
          noteCount: p.noteCount,
          messageCount: facts.length,
          messageCountByChannel: byChannel,
          outboundMessageCount: facts.length - inCount,
          outboundMessageCountByChannel: facts.length - inCount > 0 ? outByChannel : null,
          lastMessageDirection: last ? last.direction : 'in',
          lastMessageDirectionType: last ? last.directionType : 'initial-in',
          source: agent ? 'user' : 'business-rule',
        };
  let response: Attrs = EMPTY_SUMMARY;
  if (firstOut && firstIn && firstOut.sentMs >= firstIn.sentMs) {
    const rt = firstOut.sentMs - firstIn.sentMs;
    response = {
      id: firstOut.id,
      createdAt: firstOut.createdIso,
      sentAt: firstOut.sentIso,
      createdBy: firstOut.agent ? firstOut.agent.id : null,
      createdByTeams: firstOut.agent ? firstOut.agent.teams : EMPTY,
      assignedUsers: agent ? agent.asList : EMPTY,
      assignedTeams: team,
      time: rt,
      businessTime: Math.floor(rt * 0.5),
      responseTime: rt,
      source: 'user',
    };
  }
  const unresponded = last && last.direction === 'in' && !done ? messageRef(last, false) : EMPTY_OBJ;
  const rated = done && rng.chance(0.15);
  const rating = rated ? rng.int(1, 5) : 0;
  const sla = ctx.slas.length > 0 && rng.chance(0.35) ? rng.pick(ctx.slas) : null;
  const firstInRef = firstIn ? messageRef(firstIn, true) : EMPTY_OBJ;
  const firstOutRef = firstOut ? messageRef(firstOut, true) : EMPTY_TEAMS_REF;
  const deleted = p.deletedMs !== null;
  const subject = p.subject;
  const preview = first ? first.preview.slice(0, 120) : '';
  const attrs: Attrs = {
    name: subject && subject.length > 0 ? subject : preview.slice(0, 40) || null,
    preview,
    channels: pooledChannels(channels),
    status: p.status,
    open: p.status === 'open' ? { statusAt: last && last.sentMs <= p.updatedMs ? last.sentIso : iso(Math.min(p.updatedMs, lastMs)) } : null,
    direction: first ? first.direction : 'in',
    priority: rng.weighted([1, 2, 3, 4, 5], [1, 2, 12, 2, 1]),
    messageCount: facts.length,
    noteCount: p.noteCount,
    outboundMessageCount: facts.length - inCount,
    inboundMessageCount: inCount,
    doneCount,
    reopenCount: doneCount > 1 ? doneCount - 1 : 0,
    reopenFromDoneCount: doneCount > 1 ? doneCount - 1 : 0,
    snoozeCount: p.status === 'snoozed' ? rng.int(1, 2) : rng.weighted([0, 1], [9, 1]),
    lastMessageDirection: last ? last.direction : null,
    lastReceivedAt: lastIn ? lastIn.sentIso : null,
    lastActivityAt: last ? last.sentIso : iso(lastMs),
    lastMessageAt: last ? last.sentIso : null,
    createdAt: iso(p.createdMs),
    updatedAt: updatedIso,
    modifiedAt: p.modifiedMs === p.updatedMs ? updatedIso : iso(p.modifiedMs),
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
    satisfaction: rating,
    satisfactionLevel:
      rated && doneMs !== null
        ? {
            form: ctx.satisfactionIds[0] ?? null,
            formResponse: rng.hex(24),
            status: rng.chance(0.3) ? 'commented' : 'rated',
            channel: channels[0] ?? 'email',
            score: rating >= 4 ? 1 : 0,
            rating,
            firstAnswer: rng.pick(['Great service!', 'Très bien', 'Too slow 😤', '']),
            sentBy: agent ? agent.id : null,
            sentByTeams: team,
            answers: EMPTY,
            scheduledFor: iso(doneMs),
            sentAt: iso(doneMs),
            createdAt: iso(doneMs),
            updatedAt: iso(Math.min(p.updatedMs, doneMs + HOUR)),
          }
        : EMPTY_SATISFACTION,
    sentiment: lastIn && lastIn.sentiment ? lastIn.sentiment : EMPTY_OBJ,
    tags: rng.chance(0.45) && ctx.tagCombos.length > 0 ? rng.pick(ctx.tagCombos) : EMPTY,
    suggestedTags: rng.chance(0.1) && ctx.tagIds.length > 0 ? [{ tag: rng.pick(ctx.tagIds), confidence: Math.round(rng.float(0.5, 1) * 100) / 100 }] : EMPTY,
    suggestedShortcuts: rng.chance(0.05) && ctx.shortcuts.length > 0 ? [{ shortcutId: rng.pick(ctx.shortcuts).id, confidence: 0.77 }] : EMPTY,
    predictions: EMPTY,
    assignedUsers: agent && rng.chance(0.85) ? agent.asList : EMPTY,
    assignedTeams: team,
    firstMessageIn: firstInRef,
    firstMessageOut: firstOutRef,
    lastMessageIn: lastIn ? (lastIn === firstIn ? firstInRef : messageRef(lastIn, true)) : EMPTY_OBJ,
    lastMessageOut: lastOut ? (lastOut === firstOut ? firstOutRef : messageRef(lastOut, true)) : EMPTY_OBJ,
    lastMessageUnrespondedTo: unresponded,
    lastMessageUnrespondedToSinceLastDone: unresponded,
    firstResponse: response,
    firstResponseSinceLastDone: response,
    lastResponse: response,
    firstDone: doneSummary ?? EMPTY_SUMMARY,
    lastDone: doneSummary ?? EMPTY_SUMMARY,
    totalOpen: openTime > 0 ? { time: openTime, businessTime: Math.floor(openTime * 0.4) } : EMPTY_OBJ,
    totalDone: EMPTY_OBJ,
    totalSnooze: EMPTY_OBJ,
    snooze:
      p.status === 'snoozed' ? { time: iso(p.updatedMs), status: 'scheduled', statusAt: iso(Math.max(p.createdMs, p.updatedMs - DAY)) } : null,
    sla: sla
      ? {
          name: sla.name,
          version: sla.version,
          matchedAt: iso(Math.min(p.updatedMs, p.createdMs + rng.int(10, 900))),
          status: done ? 'satisfied' : 'active',
          breached: rng.chance(0.1),
          summary: done && doneMs !== null ? { satisfiedAt: iso(doneMs) } : EMPTY_OBJ,
          metrics: firstOut ? { firstResponse: { satisfiedAt: firstOut.sentIso } } : EMPTY_OBJ,
        }
      : null,
    assistant: EMPTY_ASSISTANT,
    ended: channels.includes('chat') && done,
    spam: rng.chance(0.005),
    deleted,
    locked: false,
    defaultLang: rng.chance(0.5) ? rng.pick(LANGS) : null,
    custom: customValues(rng, CUSTOM_SPECS.conversation, p.createdMs, p.updatedMs),
    rev: facts.length + p.noteCount + doneCount + 1,
    roleGroupVersions: EMPTY,
    accessOverride: EMPTY,
  };
  if (attrs.ended === true && doneMs !== null) {
    attrs.endedAt = iso(doneMs);
    attrs.endedReason = rng.pick(['agent-ended', 'customer-ended', 'inactivity']);
    attrs.endedByType = rng.pick(['user', 'customer']);
  }
  if (deleted && p.deletedMs !== null) attrs.deletedAt = iso(p.deletedMs);
  if (rng.chance(0.05)) attrs.externalId = flat('conv-', rng.hex(8));
  const rels: Record<string, Relationship> = { org: ctx.orgRel, customer: p.customer.rel };
  rels.messages = { links: { self: flat(PATHS.conversation, p.id, '/messages') } };
  if (ctx.brands.length > 0) rels.brand = (ctx.brands.length > 1 && rng.chance(0.2) ? rng.pick(ctx.brands) : (ctx.brands[0] as Ref)).rel;
  if (first && first.direction === 'out' && first.agent) rels.createdBy = first.agent.rel;
  if (agent) rels.modifiedBy = agent.rel;
  if (ctx.queues.length > 0 && rng.chance(0.6)) rels.queue = rng.pick(ctx.queues).rel;
  if (sla) {
    rels.sla = sla.rel;
    rels.slaVersion = sla.versionRef.rel;
  }
  if (deleted) rels.deletedBy = (agent ?? rng.pick(ctx.agents)).rel;
  return resource('conversation', p.id, PATHS.conversation + p.id, attrs, rels);
}
