/** One message record (with the facts its conversation and customer summarise), its attachments, and message refs. */
import type { Relationship, Resource } from '../../model';
import type { Rng } from '../../random';
import type { ConvRels, Rels } from '../conversation-rels';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, EMPTY_OBJ, PATHS, flat, relTo, resource, type Attrs } from '../json-api';
import type { Agent, OrgCtx } from '../org-context';
import { ATTACHMENT_FILES, EMAIL_DOMAINS, FIRST, IN_TEXTS, LANGS, OUT_TEXTS } from '../text-pools';
import { SEC, iso } from '../time';
import type { CustomerContact } from './customer';

const APP_OF: Record<string, readonly string[]> = {
  email: ['postmark', 'gmail'],
  chat: ['chat'],
  sms: ['twilio'],
  whatsapp: ['twilio_whatsapp'],
  facebook: ['facebook'],
  instagram: ['instagram'],
  voice: ['kustomer_voice', 'amazon_connect'],
  'twitter-dm': ['twitter'],
};

/** Facts about one generated message, used for conversation/customer summaries. */
export interface MessageFact {
  id: string;
  sentMs: number;
  createdIso: string;
  sentIso: string;
  direction: 'in' | 'out';
  directionType: string;
  channel: string;
  agent: Agent | null;
  meta: unknown;
  sentiment: Attrs | null;
  preview: string;
}

export interface MessageParams {
  id: string;
  customer: CustomerContact;
  conversationId: string;
  rels: ConvRels;
  channel: string;
  direction: 'in' | 'out';
  directionType: string;
  sentMs: number;
  /** createdAt; updatedAt = modifiedAt = createdAt unless `updatedMs` is given. */
  createdMs: number;
  updatedMs?: number;
  importedMs: number | null;
  agent: Agent | null;
  subject: string | null;
  attachmentIds: string[];
}

const reSubjects = new Map<string, string>();
function replySubject(subject: string): string {
  if (subject === '' || subject.startsWith('Re:')) return subject;
  let r = reSubjects.get(subject);
  if (r === undefined) {
    r = flat('Re: ', subject);
    reSubjects.set(subject, r);
  }
  return r;
}

function addrObj(rng: Rng, email: string, name: string | null): Attrs {
  return name !== null && rng.chance(0.8) ? { email, name } : { email };
}

/** `meta.to`/`cc` vary between a string, an object and a list (a real Kustomer inconsistency). */
function addrVariant(rng: Rng, email: string, name: string | null): unknown {
  const r = rng.next();
  if (r < 0.3) return email;
  if (r < 0.6) return addrObj(rng, email, name);
  const list = [addrObj(rng, email, name)];
  if (rng.chance(0.4)) list.push(addrObj(rng, `${rng.pick(FIRST)[1]}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}`, null));
  return list;
}

function messageMeta(ctx: OrgCtx, p: MessageParams, sentIso: string): unknown {
  const rng = ctx.rng;
  const c = p.customer;
  switch (p.channel) {
    case 'email': {
      const custEmail = c.email ?? 'unknown@example.com';
      const subject = p.subject ?? '';
      if (p.direction === 'in') {
        return {
          from: custEmail,
          to: rng.pick(ctx.supportToVariants),
          cc: rng.chance(0.1) ? addrVariant(rng, `${rng.pick(FIRST)[1]}@${rng.pick(EMAIL_DOMAINS)}`, null) : EMPTY,
          bcc: EMPTY,
          subject,
          recipient: ctx.supportRecipient,
          attachmentNum: p.attachmentIds.length,
        };
      }
      return {
        from: ctx.supportEmail,
        to: addrVariant(rng, custEmail, c.name),
        cc: EMPTY,
        bcc: rng.chance(0.05) ? [{ email: 'archive@brand.example.com' }] : EMPTY,
        subject: replySubject(subject),
        inReplyTo: rng.chance(0.7) ? flat('<', rng.hex(16), '@mail.example.com>') : null,
        trackingId: rng.chance(0.3) ? rng.hex(12) : null,
        attachmentNum: p.attachmentIds.length,
      };
    }
    case 'sms':
    case 'whatsapp': {
      const phone = c.phone ?? '+15550100000';
      return p.direction === 'in' ? { from: phone, to: '+15550109999' } : { from: '+15550109999', to: phone };
    }
    case 'voice': {
      const answered = p.sentMs - rng.int(30, 1800) * SEC;
      return {
        placedAt: iso(answered - rng.int(2, 60) * SEC),
        answeredAt: iso(answered),
        endedAt: sentIso,
        status: rng.weighted(['completed', 'no-answer', 'voicemail'], [8, 1, 1]),
        externalRecordingUrl: rng.chance(0.7) ? flat('https://recordings.example.com/', p.id, '.mp3') : null,
      };
    }
    case 'facebook':
    case 'instagram':
    case 'twitter-dm':
      return { messageType: 'message', permalink: rng.chance(0.3) ? flat('https://', p.channel.split('-')[0] ?? 'social', '.com/p/', rng.hex(10)) : null };
    default:
      return EMPTY_OBJ;
  }
}

export function buildMessage(ctx: OrgCtx, p: MessageParams): { res: Resource; fact: MessageFact } {
  const rng = ctx.rng;
  const sentIso = iso(p.sentMs);
  const createdIso = iso(p.createdMs);
  const updatedIso = p.updatedMs === undefined || p.updatedMs === p.createdMs ? createdIso : iso(p.updatedMs);
  const text = p.direction === 'in' ? rng.pick(IN_TEXTS) : rng.pick(OUT_TEXTS);
  const meta = messageMeta(ctx, p, sentIso);
  const sentiment = p.direction === 'in' && rng.chance(0.7) ? rng.pick(ctx.sentiments) : null;
  const isError = p.direction === 'out' && rng.chance(0.01);
  const agent = p.agent;
  const attrs: Attrs = {
    channel: p.channel,
    app: rng.pick(APP_OF[p.channel] ?? ['api']),
    size: text.length + rng.int(0, 4000),
    direction: p.direction,
    directionType: p.directionType,
    preview: text.slice(0, 200),
    subject: p.channel === 'email' ? p.subject : null,
    meta,
    status: isError ? 'error' : p.direction === 'in' ? 'received' : 'sent',
    assignedTeams: agent && agent.teams.length > 0 && rng.chance(0.6) ? agent.teams : EMPTY,
    assignedUsers: agent && rng.chance(0.7) ? agent.asList : EMPTY,
    auto: p.direction === 'out' && rng.chance(0.05),
    sentAt: sentIso,
    createdAt: createdIso,
    updatedAt: updatedIso,
    modifiedAt: updatedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
    redacted: false,
    createdByTeams: agent ? agent.teams : EMPTY,
    rev: p.updatedMs !== undefined && p.updatedMs !== p.createdMs ? 2 : 1,
    reactions: p.channel === 'chat' && rng.chance(0.05) ? [{ subjectId: p.customer.id, subjectType: 'customer', name: '👍', createdAt: updatedIso }] : EMPTY,
    sentiment: sentiment ?? EMPTY_OBJ,
    lang: rng.chance(0.8) ? rng.pick(LANGS) : null,
    custom: customValues(rng, CUSTOM_SPECS.message, p.createdMs, p.createdMs),
  };
  if (isError) {
    attrs.error = { status: 422, code: 'invalid_recipient', title: 'Unprocessable Entity', detail: 'Recipient address rejected', source: null, meta: null, links: null };
    attrs.errorAt = createdIso;
  }
  if (p.direction === 'out') {
    attrs.responseTime = rng.int(30, 86400) * SEC;
    attrs.responseBusinessTime = Math.floor((attrs.responseTime as number) * rng.float(0.3, 1));
    if (p.channel === 'chat') {
      const upd = Math.max(p.updatedMs ?? p.createdMs, p.createdMs);
      attrs.firstDelivered = { timestamp: iso(Math.min(p.createdMs + rng.int(50, 3000), upd)), clientType: rng.pick(['web', 'ios', 'android']) };
      if (rng.chance(0.6)) attrs.firstRead = { timestamp: iso(Math.min(p.createdMs + rng.int(3000, 600000), upd)) };
    }
  } else if (rng.chance(0.1)) {
    attrs.intentDetections = [{ intent: rng.pick(['order_status', 'refund', 'cancel', 'exchange']), confidence: Math.round(rng.float(0.5, 1) * 1000) / 1000, resolutionType: 'none' }];
  }
  if (rng.chance(0.03)) attrs.source = rng.pick(['bulk', 'satisfaction']);
  if (rng.chance(0.1)) attrs.externalId = flat('msg-', rng.hex(10));
  if (p.channel === 'chat' && rng.chance(0.05)) attrs.location = { cityName: 'Zürich', countryCode: 'CH', countryName: 'Switzerland', latitude: 47.3769, longitude: 8.5417 };
  let rels: Rels = agent ? p.rels.agent(agent) : p.rels.in();
  const shortcuts = p.direction === 'out' && ctx.shortcutRels.length > 0 && rng.chance(0.15) ? rng.pick(ctx.shortcutRels) : null;
  if (shortcuts || p.attachmentIds.length > 0) {
    rels = { ...rels };
    if (shortcuts) rels.shortcuts = shortcuts;
    if (p.attachmentIds.length > 0) rels.attachments = { data: p.attachmentIds.map((id) => ({ type: 'attachment', id })) };
  }
  const res = resource('message', p.id, PATHS.message + p.id, attrs, rels);
  return {
    res,
    fact: {
      id: p.id,
      sentMs: p.sentMs,
      sentIso,
      createdIso,
      direction: p.direction,
      directionType: p.directionType,
      channel: p.channel,
      agent,
      meta,
      sentiment,
      preview: attrs.preview as string,
    },
  };
}

/** Frozen relationships shared by the attachments of one message. */
export function attachmentRels(ctx: OrgCtx, messageId: string, conversationRel: Relationship): Rels {
  return Object.freeze({ org: ctx.orgRel, message: relTo('message', messageId, PATHS.message + messageId), conversation: conversationRel });
}

export function buildAttachment(ctx: OrgCtx, id: string, rels: Rels): Resource {
  const rng = ctx.rng;
  const [name, contentType] = rng.pick(ATTACHMENT_FILES);
  return {
    type: 'attachment',
    id,
    attributes: { name, contentType, contentLength: rng.int(800, 8_000_000), redacted: rng.chance(0.01) },
    relationships: rels,
    links: { self: PATHS.attachment + id, related: flat(PATHS.attachment, id, '/download') },
  };
}

export function messageRef(f: MessageFact, withMeta: boolean): Attrs {
  return {
    id: f.id,
    sentAt: f.sentIso,
    createdAt: f.createdIso,
    channel: f.channel,
    directionType: f.directionType,
    createdBy: f.agent ? f.agent.id : null,
    createdByTeams: f.agent ? f.agent.teams : EMPTY,
    meta: withMeta && f.channel === 'email' ? f.meta : null,
  };
}
