/** One customer record, from its identity and the activity summary of its generated conversations. */
import type { Relationship, Resource } from '../../model';
import type { Rng } from '../../random';
import {
  LOCATION_POOL, RECENT_LOCATION_POOL, emailItems, externalIdItems, orEmpty, personName, phoneItems, phoneNumber, socialItems, urlItems,
} from '../contact-points';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, EMPTY_OBJ, PATHS, flat, frozenArr, relTo, resource, type Attrs } from '../json-api';
import type { OrgCtx } from '../org-context';
import { EMOJI, LANGS, LOCALES, TIMEZONES } from '../text-pools';
import { DAY, iso } from '../time';
import type { CompanyInfo } from './company';
import { relId } from '../../relationships';

export interface CustomerContact {
  id: string;
  rel: Relationship;
  name: string | null;
  email: string | null;
  phone: string | null;
  companyId: string | null;
  companyRel: Relationship | null;
  companyName: string | null;
}

/** Per-customer activity summary computed from its generated conversations/messages. */
export interface CustomerActivity {
  conversations: number;
  open: number;
  snoozed: number;
  done: number;
  lastConversation: Attrs | null;
  lastInMs: number | null;
  lastInChannel: string | null;
  lastInSentiment: Attrs | null;
  lastOutMs: number | null;
  unrespondedMs: number | null;
  unrespondedChannel: string | null;
  lastMessageMs: number | null;
  lastActivityMs: number | null;
  /** ISO strings of the instants above when already formatted (shared, saves memory). */
  lastInIso: string | null;
  lastOutIso: string | null;
  unrespondedIso: string | null;
  lastMessageIso: string | null;
  lastActivityIso: string | null;
  preview: Attrs | null;
  recentItems: Attrs[];
  satisfaction: Attrs | null;
  klassNames: string[];
}

export function emptyActivity(): CustomerActivity {
  return {
    conversations: 0,
    open: 0,
    snoozed: 0,
    done: 0,
    lastConversation: null,
    lastInMs: null,
    lastInChannel: null,
    lastInSentiment: null,
    lastOutMs: null,
    unrespondedMs: null,
    unrespondedChannel: null,
    lastMessageMs: null,
    lastActivityMs: null,
    lastInIso: null,
    lastOutIso: null,
    unrespondedIso: null,
    lastMessageIso: null,
    lastActivityIso: null,
    preview: null,
    recentItems: [],
    satisfaction: null,
    klassNames: [],
  };
}

export interface CustomerIdentity {
  first: string;
  last: string;
  /** Full name (null for anonymous visitors), shared by the customer record and its children's addresses. */
  name: string | null;
  slug: string;
  emails: Attrs[];
  phones: Attrs[];
  anonymous: boolean;
}

export function drawIdentity(rng: Rng): CustomerIdentity {
  const n = personName(rng);
  const emailCount = rng.weighted([0, 1, 2, 3, 4], [12, 48, 25, 10, 5]);
  const phoneCount = rng.weighted([0, 1, 2, 3], [45, 40, 12, 3]);
  const anonymous = rng.chance(0.05);
  const emoji = rng.chance(0.03) ? rng.pick(EMOJI) : null;
  const name = anonymous ? null : emoji ? flat(n.first, ' ', n.last, ' ', emoji) : flat(n.first, ' ', n.last);
  return { ...n, name, emails: emailItems(rng, n.slug, emailCount), phones: phoneItems(rng, phoneCount), anonymous };
}

export interface CustomerParams {
  id: string;
  identity: CustomerIdentity;
  createdMs: number;
  updatedMs: number;
  modifiedMs: number;
  importedMs: number | null;
  company: CompanyInfo | null;
  activity: CustomerActivity;
  createdBy: Relationship | null;
  channels: string[];
}

export function buildCustomer(ctx: OrgCtx, p: CustomerParams): Resource {
  const rng = ctx.rng;
  const idn = p.identity;
  const a = p.activity;
  const fullName = idn.name;
  const firstEmail = idn.emails[0]?.email as string | undefined;
  const displayName = fullName ?? firstEmail ?? `Visitor ${rng.int(1000, 99999)}`;
  const hasFb = p.channels.includes('facebook');
  const hasIg = p.channels.includes('instagram');
  const hasWa = p.channels.includes('whatsapp');
  const lastSeen = a.lastActivityMs ?? (rng.chance(0.3) ? Math.floor(rng.float(p.createdMs, p.updatedMs)) : null);
  const lastSeenIso = lastSeen === null ? null : lastSeen === a.lastActivityMs ? (a.lastActivityIso ?? iso(lastSeen)) : iso(lastSeen);
  const lastActivityIso = a.lastActivityMs === null ? null : (a.lastActivityIso ?? iso(a.lastActivityMs));
  const isoOr = (s: string | null, ms: number | null): string | null => (ms === null ? null : (s ?? iso(ms)));
  const lastInIso = isoOr(a.lastInIso, a.lastInMs);
  const updatedIso = iso(p.updatedMs);
  const attrs: Attrs = {
    name: fullName,
    displayName,
    firstName: idn.anonymous ? null : idn.first,
    lastName: idn.anonymous ? null : idn.last,
    username: rng.chance(0.1) ? idn.slug.replace('.', '_') : null,
    displayColor: rng.pick(['blue', 'green', 'purple', 'orange', 'red', 'teal', 'yellow', 'pink']),
    displayIcon: rng.pick(['user', 'star', 'smile', 'heart', 'bolt', 'leaf']),
    avatarUrl: rng.chance(0.25) ? flat('https://avatars.example.com/', idn.slug, '.png') : null,
    companyName: p.company ? p.company.name : null,
    externalId: rng.chance(0.4) ? flat('cus_', rng.hex(12)) : null,
    externalIds: orEmpty(externalIdItems(rng, rng.weighted([0, 1, 2], [6, 3, 1]))),
    sharedExternalIds: rng.chance(0.03) ? externalIdItems(rng, 1) : EMPTY,
    emails: orEmpty(idn.emails),
    sharedEmails: rng.chance(0.05) ? emailItems(rng, `shared.${idn.slug}`, rng.int(1, 2)) : EMPTY,
    phones: orEmpty(idn.phones),
    sharedPhones: rng.chance(0.04) ? phoneItems(rng, rng.int(1, 2)) : EMPTY,
    whatsapps: hasWa ? [{ phone: (idn.phones[0]?.phone as string | undefined) ?? phoneNumber(rng), type: 'mobile', verified: rng.chance(0.5) }] : EMPTY,
    sharedWhatsapps: EMPTY,
    socials: orEmpty(socialItems(rng, idn.slug, rng.weighted([0, 1, 2], [70, 22, 8]))),
    sharedSocials: rng.chance(0.03) ? socialItems(rng, `shared.${idn.slug}`, 1) : EMPTY,
    urls: orEmpty(urlItems(rng, idn.slug, rng.weighted([0, 1, 2], [80, 15, 5]))),
    locations: rng.chance(0.35) ? (rng.chance(0.2) ? [rng.pick(LOCATION_POOL), rng.pick(LOCATION_POOL)] : frozenArr([rng.pick(LOCATION_POOL)])) : EMPTY,
    facebookIds: hasFb ? [{ pageId: '1029384756', userId: String(rng.int(1e9, 9e9)), name: fullName ?? displayName }] : EMPTY,
    instagramIds: hasIg ? [{ pageId: '1029384756', threadId: rng.hex(16), username: idn.slug.replace('.', '_'), instagramId: String(rng.int(1e9, 9e9)) }] : EMPTY,
    activeUsers: EMPTY,
    watchers: rng.chance(0.05) ? rng.pick(ctx.agents).asList : EMPTY,
    recentLocation: lastSeenIso !== null && rng.chance(0.5) ? { updatedAt: lastSeenIso, location: rng.pick(RECENT_LOCATION_POOL) } : null,
    locale: rng.chance(0.6) ? rng.pick(LOCALES) : null,
    timeZone: rng.chance(0.5) ? rng.pick(TIMEZONES) : null,
    defaultLang: rng.chance(0.5) ? rng.pick(LANGS) : null,
    gender: rng.weighted([null, 'f', 'm'], [8, 1, 1]),
    birthdayAt: rng.chance(0.1) ? iso(Date.UTC(rng.int(1950, 2005), rng.int(0, 11), rng.int(1, 28))) : null,
    signedUpAt: rng.chance(0.5) ? iso(Math.max(p.createdMs - rng.int(0, 200) * DAY, 0)) : null,
    lastSeenAt: lastSeenIso,
    presence: rng.weighted(['offline', 'online', 'away'], [20, 1, 1]),
    lastActivityAt: lastActivityIso,
    lastCustomerActivityAt: lastInIso,
    lastMessageAt: isoOr(a.lastMessageIso, a.lastMessageMs),
    createdAt: iso(p.createdMs),
    updatedAt: updatedIso,
    modifiedAt: p.modifiedMs === p.updatedMs ? updatedIso : iso(p.modifiedMs),
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
    lastMessageIn: lastInIso === null ? null : { sentAt: lastInIso, channel: a.lastInChannel, sentiment: a.lastInSentiment },
    lastMessageOut: a.lastOutMs === null ? null : { sentAt: isoOr(a.lastOutIso, a.lastOutMs) },
    lastMessageUnrespondedTo: a.unrespondedMs === null ? null : { sentAt: isoOr(a.unrespondedIso, a.unrespondedMs), channel: a.unrespondedChannel },
    lastConversation: a.lastConversation,
    conversationCounts: { all: a.conversations, open: a.open, snoozed: a.snoozed, done: a.done },
    preview: a.preview,
    tags: rng.chance(0.3) && ctx.tagCombos.length > 0 ? rng.pick(ctx.tagCombos) : EMPTY,
    sentiment: a.lastInSentiment ?? EMPTY_OBJ,
    progressiveStatus: rng.weighted([null, 'lead', 'customer', 'churned'], [6, 1, 2, 1]),
    verified: rng.chance(0.2),
    deleted: false,
    rev: rng.int(1, 12),
    recentItems: orEmpty(a.recentItems),
    satisfactionLevel: a.satisfaction,
    roleGroupVersions: EMPTY,
    accessOverride: EMPTY,
    custom: customValues(rng, CUSTOM_SPECS.customer, p.createdMs - 300 * DAY, p.updatedMs),
  };
  const rels: Record<string, Relationship> = { org: ctx.orgRel };
  if (p.createdBy) rels.createdBy = p.createdBy;
  rels.modifiedBy = rng.chance(0.6) ? rng.pick(ctx.agents).rel : ctx.machine.rel;
  if (p.company && p.company.rel) rels.company = p.company.rel;
  rels.messages = { links: { self: flat(PATHS.customer, p.id, '/messages') } };
  for (const k of a.klassNames) rels[k] = { links: { self: flat(PATHS.customer, p.id, '/klasses/', k) }, meta: KOBJECT_META };
  return resource('customer', p.id, PATHS.customer + p.id, attrs, rels);
}
const KOBJECT_META = Object.freeze({ kobject: true });

/** Contact facts of an existing customer resource. */
export function contactOf(c: Resource): CustomerContact {
  const emails = (c.attributes.emails as Attrs[] | undefined) ?? [];
  const phones = (c.attributes.phones as Attrs[] | undefined) ?? [];
  const companyId = relId(c, 'company');
  return {
    id: c.id,
    rel: relTo('customer', c.id, PATHS.customer + c.id),
    name: (c.attributes.name as string | null | undefined) ?? null,
    email: (emails[0]?.email as string | undefined) ?? null,
    phone: (phones[0]?.phone as string | undefined) ?? null,
    companyId,
    companyRel: companyId ? relTo('company', companyId, PATHS.company + companyId) : null,
    companyName: (c.attributes.companyName as string | null | undefined) ?? null,
  };
}
