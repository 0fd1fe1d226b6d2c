/**
 * Seeded generator of a realistic Kustomer org (see model.ts for the contract, kustomer-fields.md for the shapes).
 *
 * Everything is drawn from one `Rng(seed)` in a fixed order, so the same options give byte-identical data. Every
 * timestamp is at or before `anchor`. Memory: records share frozen pools (relationship objects, empty arrays,
 * tag/team arrays, sentiments, locations, change sets...) and nothing holds closures; so a shared value must be
 * REPLACED, never mutated in place (mutations.ts follows that rule; frozen pools make a violation throw).
 *
 * The builders below are exported for mutations.ts, which creates records with the same shapes.
 *
 * Shapes chosen where kustomer-fields.md marks the fact UNCONFIRMED (keep in sync with the schemas / README):
 *  - resource `type`s: customer_merge, conversation_event, conversation_time, draft, forward, sla_version,
 *    spam_sender, outbound_account, team_routing_setting, metadata, snooze, satisfaction, card, notification;
 *  - customer → company relationship key `company`; per-klass customer relationships `{links, meta:{kobject:true}}`;
 *  - messages carry `relationships.attachments {data:[...]}` whenever they have attachments (include= ignored);
 *  - forwards' `attachments` is an ARRAY of relationship objects (as LL's spec types it);
 *  - company `domains` items are `{domain}` objects (request-body shape), not strings;
 *  - metadata property `type` vocabulary: string/text/number/date/boolean/url/id; `enumeration` is a string array;
 *  - customer_merge `status`: completed/failed/pending; draft `status`: draft; presence: offline/online/away;
 *  - conversation event `type` = the object type (`conversation` / `message`);
 *  - satisfaction `questions[]` items `{id, type, prompt, options?}`; routing `capacity` `{email, chat, sms, voice}`;
 *  - snoozes use the documented `type`/`value` shape (never Fivetran's `time.*`);
 *  - self links of events `/v1/conversations/<cid>/events/<id>`, times `/v1/conversations/times/<id>`, SLA versions
 *    `/v1/slas/<slaId>/versions/<id>`, attachment `related` `/v1/attachments/<id>/download`;
 *  - notifications: `relationships.user` = the machine (API key) user;
 *  - outbound accounts: Kustomer sends no `id`; records here carry an internal id (Resource requires one) that the
 *    server must not serve.
 */
import type { GenerateOptions, Relationship, RelRef, Resource, SandboxData } from './model';
import { Rng, Weighted, objectId, nextObjectIdAfter } from './random';

// ---------------------------------------------------------------------------------------------------------------
// Basics

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const dayCodes = new Map<number, number[]>();

/** ISO-8601 UTC with milliseconds and `Z` (same output as `Date#toISOString`, ~3x faster, flat string). */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const d = Math.floor(ms / DAY);
  let c = dayCodes.get(d);
  if (c === undefined) {
    const s = new Date(d * DAY).toISOString();
    c = [];
    for (let i = 0; i < 11; i++) c.push(s.charCodeAt(i));
    dayCodes.set(d, c);
  }
  let r = ms - d * DAY;
  const milli = r % 1000;
  r = (r - milli) / 1000;
  const sec = r % 60;
  r = (r - sec) / 60;
  const min = r % 60;
  const h = (r - min) / 60;
  const k = c as number[] & { length: 11 };
  return String.fromCharCode(
    k[0] as number, k[1] as number, k[2] as number, k[3] as number, k[4] as number, k[5] as number, k[6] as number, k[7] as number,
    k[8] as number, k[9] as number, k[10] as number,
    48 + ((h / 10) | 0), 48 + (h % 10), 58, 48 + ((min / 10) | 0), 48 + (min % 10), 58, 48 + ((sec / 10) | 0), 48 + (sec % 10), 46,
    48 + ((milli / 100) | 0), 48 + (((milli / 10) | 0) % 10), 48 + (milli % 10), 90,
  );
}

export type Attrs = Record<string, unknown>;

/** Shared immutable empties. */
export const EMPTY: readonly never[] = Object.freeze([]) as readonly never[];
export const EMPTY_OBJ: Readonly<Record<string, never>> = Object.freeze({});

function frozenArr<T>(items: T[]): readonly T[] {
  return Object.freeze(items);
}

/** Concatenation as one flat string (a template literal would keep a chain of 32-byte cons cells alive). */
export function flat(...parts: Array<string | number>): string {
  return parts.join('');
}

/** `{data:{type,id}, links:{self}}`, frozen (shared between records). */
export function relTo(type: string, id: string, self: string): Relationship {
  return Object.freeze({ data: Object.freeze({ type, id }), links: Object.freeze({ self }) });
}

/** API path prefix per resource type, for links. */
export const PATHS = {
  org: '/v1/orgs/',
  customer: '/v1/customers/',
  conversation: '/v1/conversations/',
  message: '/v1/messages/',
  note: '/v1/notes/',
  company: '/v1/companies/',
  user: '/v1/users/',
  team: '/v1/teams/',
  tag: '/v1/tags/',
  brand: '/v1/brands/',
  schedule: '/v1/schedules/',
  card: '/v1/cards/',
  notification: '/v1/notifications/',
  queue: '/v1/routing/queues/',
  routing: '/v1/routing/settings/',
  sla: '/v1/slas/',
  satisfaction: '/v1/satisfaction/',
  shortcut: '/v1/shortcuts/',
  snooze: '/v1/snoozes/',
  spam: '/v1/spam/senders/',
  klass: '/v1/klasses/',
  metadata: '/v1/metadata/',
  forward: '/v1/forwards/',
  attachment: '/v1/attachments/',
  draft: '/v1/drafts/',
  merge: '/v1/customers/merges/',
  audit: '/v1/audit-logs/',
  outbound: '/v1/outboundAccounts/',
} as const;

function resource(type: string, id: string, self: string, attributes: Attrs, relationships: Record<string, Relationship>): Resource {
  return { type, id, attributes, relationships, links: { self } };
}

// ---------------------------------------------------------------------------------------------------------------
// Text pools (unicode on purpose: accents, CJK, Cyrillic, Greek, Arabic, emoji)

const FIRST: ReadonlyArray<readonly [string, string]> = [
  ['José', 'jose'], ['Zoë', 'zoe'], ['Søren', 'soren'], ['Łukasz', 'lukasz'], ['François', 'francois'], ['Chloé', 'chloe'],
  ['Björn', 'bjorn'], ['Ahmed', 'ahmed'], ['Mia', 'mia'], ['Liam', 'liam'], ['Emma', 'emma'], ['Noah', 'noah'],
  ['Olivia', 'olivia'], ['Sofía', 'sofia'], ['Mateo', 'mateo'], ['Aiko', 'aiko'], ['美咲', 'misaki'], ['太郎', 'taro'],
  ['伟', 'wei'], ['秀英', 'xiuying'], ['Иван', 'ivan'], ['Ольга', 'olga'], ['Σοφία', 'sofia'], ['محمد', 'mohammed'],
  ['Fatima', 'fatima'], ['João', 'joao'], ['Thảo', 'thao'], ['Priya', 'priya'], ['Arjun', 'arjun'], ['Siobhán', 'siobhan'],
  ['Seán', 'sean'], ['Ingrid', 'ingrid'], ['Małgorzata', 'malgorzata'], ['Ana', 'ana'], ['Lucas', 'lucas'], ['Ava', 'ava'],
  ['Ethan', 'ethan'], ['Isabella', 'isabella'], ['Jürgen', 'jurgen'], ['Ayşe', 'ayse'], ['Minh', 'minh'], ['지우', 'jiwoo'],
];
const LAST: ReadonlyArray<readonly [string, string]> = [
  ['García', 'garcia'], ['Müller', 'muller'], ['Østergaard', 'ostergaard'], ['Nowak', 'nowak'], ['佐藤', 'sato'], ['王', 'wang'],
  ["O'Brien", 'obrien'], ['Smith', 'smith'], ['Dubois', 'dubois'], ['Иванов', 'ivanov'], ['Παπαδόπουλος', 'papadopoulos'],
  ['Nguyễn', 'nguyen'], ['Silva', 'silva'], ['van der Berg', 'vanderberg'], ['Kowalczyk', 'kowalczyk'], ['Johnson', 'johnson'],
  ['Brown', 'brown'], ['Rossi', 'rossi'], ['Yılmaz', 'yilmaz'], ['Kim', 'kim'], ['李', 'li'], ['Fernández', 'fernandez'],
  ['Lefèvre', 'lefevre'], ['Ångström', 'angstrom'], ['Haddad', 'haddad'], ['Williams', 'williams'], ['Jones', 'jones'],
  ['Martin', 'martin'], ['Schmidt', 'schmidt'], ['Kovač', 'kovac'], ['Dvořák', 'dvorak'], ['Ó Súilleabháin', 'osullivan'],
];
const EMOJI = ['🎉', '🚀', '🌸', '⭐', '🐶', '☕', '🌮', '💜'];
const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'web.de', 'orange.fr', 'qq.com', 'example.org'];

const CO_A = ['Blue', 'Nordic', 'Golden', 'Rapid', 'Émeraude', 'Sakura 桜', 'Alpine', 'Urban', 'Prime', 'Zen', 'Café', 'Müller &', 'Северный', 'Aurora', 'Ōkami'];
const CO_B = ['Outfitters', 'Labs', 'Coffee', 'Logistics', 'Goods', 'Studio', 'Systems', 'Apparel', 'Foods', 'Pets', 'Söhne', 'Design'];
const CO_C = ['', '', ' Inc.', ' LLC', ' GmbH', ' S.A.', ' Ltd', ' K.K.', ' ApS', ' Co.'];

const SUBJECTS = [
  'Where is my order?', 'Refund request', 'Problème de livraison', 'Cambio de talla', '注文について', "Can't log in 😕",
  'Damaged item', 'Subscription renewal', 'Question about sizing', 'Rückerstattung bitte', 'Invoice copy', 'Address change',
  'Re: Your order #10442', 'Fwd: Receipt', 'Заказ не пришёл', 'Wrong colour received', 'Cancel my subscription',
  'Promo code not working 🤔', '返品したいです', 'Hello!!!', '', 'Partnership inquiry', 'Password reset',
];
const IN_TEXTS = [
  'Hi, my order still has not arrived. Can you check?', 'Bonjour, le colis est arrivé abîmé 😢', '¿Puedo cambiar la talla?',
  '注文した商品がまだ届きません。', 'I was charged twice for the same order!!', 'Can I get a refund for order #10293?',
  'Hallo, ich möchte mein Abo kündigen.', 'The app keeps logging me out 🙃', 'Thanks so much, that fixed it ❤️',
  'Где мой заказ?', 'Do you ship to Reykjavík?', 'ok', 'Need help ASAP — event is on Saturday!',
  'Line one\nLine two\n\n— sent from my phone', 'Is the "Classic" model back in stock?', 'Quick question about my invoice 📄',
  '', '👍', 'Can someone call me back? +1 (555) 013-2233', 'My promo code SAVE20 is not working',
];
const OUT_TEXTS = [
  'Hi there! Thanks for reaching out — I have checked your order and it ships today.', "I'm sorry about that! I've issued a full refund.",
  'Bonjour ! Nous allons vous envoyer un remplacement.', '¡Claro! Te envío una etiqueta de devolución.', 'ご連絡ありがとうございます。確認いたします。',
  'Your subscription has been cancelled. You will not be charged again.', 'Could you send me a photo of the damaged item? 📷',
  'Great news — your package was delivered this morning.', 'I have reset your password; please check your inbox.',
  'Happy to help! Is there anything else I can do?', 'Спасибо за обращение! Мы уже проверяем.',
  'Following up on your request from yesterday.', 'Here is your invoice: see attachment.',
];
const NOTE_TEXTS = [
  'Customer is a VIP — expedite.', 'Escalated to tier 2 (billing).', 'Refund approved by @manager.', 'Possible fraud, do not refund.',
  'Called customer, left voicemail 📞', 'Duplicate of an earlier conversation.', 'Remarque : client francophone.', '要フォローアップ',
  'Shipping label re-sent.\nTracking: 1Z999AA10123456784', 'Waiting on warehouse 🏭', '',
];
const NAMES_SHORTCUT = [
  'Greeting', 'Where is my order', 'Refund issued', 'Return label', 'Closing', 'Escalation', 'Password reset', 'Shipping delays',
  'Cancel subscription', 'Damaged item', 'Bonjour (FR)', 'Saludo (ES)', 'VIP apology 🙏', 'Out of stock', 'Holiday hours',
];
const ATTACHMENT_FILES: ReadonlyArray<readonly [string, string]> = [
  ['invoice.pdf', 'application/pdf'], ['IMG_2041.jpg', 'image/jpeg'], ['screenshot 2023-11-02 at 10.14.22.png', 'image/png'],
  ['recibo_0045.pdf', 'application/pdf'], ['写真.jpg', 'image/jpeg'], ['return-label.pdf', 'application/pdf'],
  ['order-summary.csv', 'text/csv'], ['voice-memo.m4a', 'audio/mp4'], ['Übersicht.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];
const LANGS = ['en', 'en', 'en', 'en', 'fr', 'es', 'de', 'ja', 'ru', 'pt', 'zh'];
const LOCALES = ['en-US', 'en-US', 'en-GB', 'fr-FR', 'es-ES', 'de-DE', 'ja-JP', 'ru-RU', 'pt-BR', 'zh-CN'];
const TIMEZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Sydney'];

interface Place {
  countryCode: string;
  countryName: string;
  regionCode: string | null;
  regionName: string | null;
  cityName: string;
  zipCode: string | null;
  lat: number;
  lon: number;
}
const PLACES: readonly Place[] = [
  { countryCode: 'US', countryName: 'United States', regionCode: 'NY', regionName: 'New York', cityName: 'New York', zipCode: '10001', lat: 40.7506, lon: -73.9972 },
  { countryCode: 'US', countryName: 'United States', regionCode: 'CA', regionName: 'California', cityName: 'San Francisco', zipCode: '94103', lat: 37.7725, lon: -122.4091 },
  { countryCode: 'BR', countryName: 'Brazil', regionCode: 'SP', regionName: 'São Paulo', cityName: 'São Paulo', zipCode: '01310-100', lat: -23.5614, lon: -46.6559 },
  { countryCode: 'CH', countryName: 'Switzerland', regionCode: 'ZH', regionName: 'Zürich', cityName: 'Zürich', zipCode: '8001', lat: 47.3769, lon: 8.5417 },
  { countryCode: 'JP', countryName: 'Japan', regionCode: '13', regionName: '東京都', cityName: '渋谷区', zipCode: '150-0002', lat: 35.6595, lon: 139.7005 },
  { countryCode: 'CA', countryName: 'Canada', regionCode: 'QC', regionName: 'Québec', cityName: 'Montréal', zipCode: 'H2X 1Y4', lat: 45.5088, lon: -73.5617 },
  { countryCode: 'PL', countryName: 'Poland', regionCode: null, regionName: 'Małopolskie', cityName: 'Kraków', zipCode: '31-001', lat: 50.0614, lon: 19.9366 },
  { countryCode: 'IS', countryName: 'Iceland', regionCode: null, regionName: null, cityName: 'Reykjavík', zipCode: '101', lat: 64.1466, lon: -21.9426 },
  { countryCode: 'GB', countryName: 'United Kingdom', regionCode: 'ENG', regionName: 'England', cityName: 'London', zipCode: 'EC1A 1BB', lat: 51.5202, lon: -0.0979 },
  { countryCode: 'DE', countryName: 'Germany', regionCode: 'BE', regionName: 'Berlin', cityName: 'Berlin', zipCode: '10115', lat: 52.532, lon: 13.3849 },
  { countryCode: 'AE', countryName: 'United Arab Emirates', regionCode: 'DU', regionName: 'Dubai', cityName: 'دبي', zipCode: null, lat: 25.2048, lon: 55.2708 },
  { countryCode: 'MX', countryName: 'Mexico', regionCode: 'CMX', regionName: 'Ciudad de México', cityName: 'Ciudad de México', zipCode: '06700', lat: 19.4194, lon: -99.1617 },
];
const STREETS = ['1 Main St', '221B Baker Street', 'Rua Augusta 1500', 'Bahnhofstrasse 12', '神南1-2-3', '123 Rue Sainte-Catherine', 'ul. Floriańska 14', 'Laugavegur 7', null];

// Change sets shared by events / audit entries.
function change(attr: string, before: unknown, after: unknown): Attrs {
  return Object.freeze({ attributes: Object.freeze({ [attr]: Object.freeze({ op: 'replace', before, after }) }), relationships: EMPTY_OBJ });
}
const CH_STATUS_DONE = change('status', 'open', 'done');
const CH_STATUS_OPEN = change('status', 'done', 'open');
const CH_STATUS_SNOOZED = change('status', 'open', 'snoozed');
const CH_PRIORITY = change('priority', 3, 2);
const CH_NAME = change('name', 'Question', 'Order question');
const CH_CUSTOMER = [
  change('custom', Object.freeze({ loyaltyTierStr: 'silver' }), Object.freeze({ loyaltyTierStr: 'gold' })),
  change('locale', null, 'fr-FR'),
  change('phones', EMPTY, Object.freeze([Object.freeze({ phone: '+15550123456', type: 'mobile', verified: false })])),
  change('externalId', null, 'cus_7c1f00a2'),
] as const;
const CH_EMPTY: Attrs = Object.freeze({ attributes: EMPTY_OBJ, relationships: EMPTY_OBJ });

// ---------------------------------------------------------------------------------------------------------------
// Custom attributes (typed by Kustomer's key suffixes) and their metadata documents

export interface CustomSpec {
  key: string;
  /** Presence probability on a record (absent keys are normal: Kustomer only stores set values). */
  p: number;
  values?: readonly string[];
  min?: number;
  max?: number;
  int?: boolean;
  enumeration?: boolean;
}

export const CUSTOM_SPECS: Record<string, readonly CustomSpec[]> = {
  customer: [
    { key: 'loyaltyTierStr', p: 0.7, values: ['bronze', 'silver', 'gold', 'platinum'], enumeration: true },
    { key: 'lifetimeValueNum', p: 0.6, min: 0, max: 25000 },
    { key: 'lastOrderAt', p: 0.5 },
    { key: 'vipBool', p: 0.55 },
    { key: 'shopifyCustomerIdNum', p: 0.4, min: 1000000000, max: 9999999999, int: true },
    { key: 'preferencesTxt', p: 0.1, values: ['Prefers email.\nNo calls after 6pm.', 'Allergic to latex — ship nitrile gloves 🧤', 'Wholesale account\nNet 30'] },
    { key: 'profileUrl', p: 0.3, values: ['https://shop.example.com/account', 'https://crm.example.com/c/8812', 'https://example.com/u/ñandú'] },
  ],
  company: [
    { key: 'industryStr', p: 0.8, values: ['retail', 'software', 'hospitality', 'logistics', 'healthcare', 'café & bakery'], enumeration: true },
    { key: 'annualRevenueNum', p: 0.5, min: 50000, max: 90000000 },
    { key: 'contractRenewalAt', p: 0.4 },
    { key: 'enterpriseBool', p: 0.6 },
    { key: 'websiteUrl', p: 0.5, values: ['https://example.com', 'https://acme.example', 'https://münchen.example.de'] },
  ],
  conversation: [
    { key: 'orderNumberStr', p: 0.45, values: ['#10234', '#10442', 'SO-99812', '#10293', 'ORD-ß-17'] },
    { key: 'contactReasonStr', p: 0.6, values: ['shipping', 'refund', 'exchange', 'account', 'product question', 'other'], enumeration: true },
    { key: 'refundAmountNum', p: 0.2, min: 1, max: 900 },
    { key: 'escalatedBool', p: 0.3 },
    { key: 'followUpAt', p: 0.15 },
    { key: 'summaryTxt', p: 0.1, values: ['Customer wants a refund.\nApproved.', 'Exchange size M → L', '配送遅延のお詫び'] },
  ],
  message: [
    { key: 'campaignStr', p: 0.05, values: ['spring-sale', 'winback-q3', 'nps-2024'] },
    { key: 'botConfidenceNum', p: 0.05, min: 0, max: 1 },
  ],
  note: [{ key: 'categoryStr', p: 0.3, values: ['billing', 'shipping', 'fraud', 'feedback'] }],
  user: [
    { key: 'employeeIdStr', p: 0.8, values: ['E-1001', 'E-1002', 'E-2040', 'C-0007'] },
    { key: 'hireDateAt', p: 0.6 },
  ],
  'kobject.ecomm-order': [
    { key: 'orderNumberStr', p: 1, values: ['#10234', '#10442', '#10293', '#11001', '#11077'] },
    { key: 'totalNum', p: 0.95, min: 5, max: 1500 },
    { key: 'currencyStr', p: 0.9, values: ['USD', 'EUR', 'GBP', 'JPY', 'BRL'] },
    { key: 'orderedAt', p: 0.95 },
    { key: 'fulfilledBool', p: 0.8 },
    { key: 'trackingUrl', p: 0.5, values: ['https://track.example.com/1Z999AA10123456784', 'https://tracking.example.jp/追跡/123'] },
    { key: 'itemsTxt', p: 0.4, values: ['1 × Classic Tee (M)\n2 × Socks', 'Café Mug ☕', '1 × Gift card'] },
  ],
  'kobject.return': [
    { key: 'rmaNumberStr', p: 1, values: ['RMA-001', 'RMA-017', 'RMA-230', 'RMA-ß1'] },
    { key: 'reasonStr', p: 0.9, values: ['damaged', 'wrong size', 'changed mind', 'late delivery'], enumeration: true },
    { key: 'refundNum', p: 0.7, min: 5, max: 600 },
    { key: 'receivedAt', p: 0.5 },
    { key: 'restockBool', p: 0.6 },
  ],
  'kobject.subscription': [
    { key: 'planStr', p: 1, values: ['monthly', 'quarterly', 'annual', 'coffee-club ☕'] },
    { key: 'mrrNum', p: 0.9, min: 5, max: 250 },
    { key: 'renewsAt', p: 0.8 },
    { key: 'activeBool', p: 0.95 },
    { key: 'manageUrl', p: 0.4, values: ['https://shop.example.com/subscriptions/manage'] },
  ],
};

/** A metadata property that was deleted: it stays in the metadata document (with deletedAt) but no record has it. */
export const DELETED_CUSTOM_KEY = 'legacyPlanStr';

const SUFFIX_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['Str', 'string'], ['Txt', 'text'], ['Num', 'number'], ['At', 'date'], ['Bool', 'boolean'], ['Url', 'url'], ['Id', 'id'],
];

function suffixOf(key: string): string {
  for (const [suf] of SUFFIX_TYPES) if (key.endsWith(suf)) return suf;
  return 'Str';
}

function displayNameOf(key: string): string {
  const base = key.slice(0, key.length - suffixOf(key).length);
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Custom attribute values for one record; `lo`/`hi` bound the `At` values. */
export function customValues(rng: Rng, specs: readonly CustomSpec[] | undefined, lo: number, hi: number): Attrs {
  if (!specs || specs.length === 0) return EMPTY_OBJ;
  let out: Attrs | undefined;
  for (const s of specs) {
    if (!rng.chance(s.p)) continue;
    out ??= {};
    if (rng.chance(0.04)) {
      out[s.key] = null;
      continue;
    }
    const suf = suffixOf(s.key);
    let v: unknown;
    if (suf === 'Num') {
      const x = rng.float(s.min ?? 0, s.max ?? 1000);
      v = s.int ? Math.floor(x) : Math.round(x * 100) / 100;
    } else if (suf === 'At') {
      v = iso(Math.floor(rng.float(lo, Math.max(lo, hi))));
    } else if (suf === 'Bool') {
      v = rng.chance(0.4);
    } else {
      v = s.values ? rng.pick(s.values) : 'value';
    }
    out[s.key] = v;
  }
  return out ?? EMPTY_OBJ;
}

// ---------------------------------------------------------------------------------------------------------------
// The org context: ids and shared relationship objects of the settings records (rebuilt from data for mutations)

export interface Ref {
  id: string;
  rel: Relationship;
}
export interface Agent extends Ref {
  name: string;
  email: string;
  /** Frozen `[teamId...]` (createdByTeams). */
  teams: readonly string[];
  /** Frozen `[userId]` (assignedUsers). */
  asList: readonly string[];
}
export interface TeamRef extends Ref {
  asList: readonly string[];
}
export interface KlassRef extends Ref {
  name: string;
  /** `/v1/klasses/<name>/` (flat, shared by the klass's kobject links). */
  path: string;
  displayName: string;
  icon: string;
  mixins: readonly string[];
}
export interface SlaRef extends Ref {
  name: string;
  version: number;
  versionRef: Ref;
}

export interface OrgCtx {
  rng: Rng;
  orgId: string;
  orgRel: Relationship;
  agents: Agent[];
  machine: Agent;
  teams: TeamRef[];
  tagIds: string[];
  /** Frozen arrays of 1-3 tag ids (shared by records). */
  tagCombos: ReadonlyArray<readonly string[]>;
  brands: Ref[];
  queues: Ref[];
  slas: SlaRef[];
  shortcuts: Ref[];
  /** Frozen to-many `{data:[shortcut]}` per shortcut. */
  shortcutRels: Relationship[];
  /** Frozen single-mention `userMentions` relationships (users and teams). */
  mentionRels: Relationship[];
  klasses: KlassRef[];
  satisfactionIds: string[];
  supportEmail: string;
  /** Frozen `meta.to` variants addressed to the support mailbox (string / object / list). */
  supportToVariants: readonly unknown[];
  supportRecipient: Attrs;
  sentiments: ReadonlyArray<Readonly<Attrs>>;
}

function relId(r: Resource, name: string): string | undefined {
  const d = r.relationships?.[name]?.data;
  return d && !Array.isArray(d) ? d.id : undefined;
}

/** Builds the context from the settings collections of `data` (used by generateData and by mutations). */
export function ctxFromData(data: SandboxData, rng: Rng): OrgCtx {
  const anyRes = data.users[0] ?? data.customers[0];
  const orgId = (anyRes && relId(anyRes, 'org')) ?? '000000000000000000000000';
  const teamsOf = new Map<string, string[]>();
  const teams: TeamRef[] = [];
  for (const t of data.teams) {
    if (t.attributes.deleted === true) continue;
    teams.push({ id: t.id, rel: relTo('team', t.id, PATHS.team + t.id), asList: frozenArr([t.id]) });
    for (const m of (t.attributes.members as string[] | undefined) ?? []) {
      const list = teamsOf.get(m) ?? [];
      list.push(t.id);
      teamsOf.set(m, list);
    }
  }
  const mkAgent = (u: Resource): Agent => ({
    id: u.id,
    rel: relTo('user', u.id, PATHS.user + u.id),
    name: String(u.attributes.name ?? ''),
    email: String(u.attributes.email ?? ''),
    teams: frozenArr(teamsOf.get(u.id) ?? []),
    asList: frozenArr([u.id]),
  });
  const agents = data.users.filter((u) => u.attributes.userType === 'user' && u.attributes.deleted !== true).map(mkAgent);
  const machineUser = data.users.find((u) => u.attributes.userType === 'machine');
  const fallbackUser = data.users[0];
  if (agents.length === 0 && fallbackUser) agents.push(mkAgent(fallbackUser));
  const machine = machineUser ? mkAgent(machineUser) : (agents[0] as Agent);
  const tagIds = data.tags.filter((t) => t.attributes.deleted !== true).map((t) => t.id);
  const tagCombos: (readonly string[])[] = [];
  if (tagIds.length > 0) {
    for (let i = 0; i < 48; i++) tagCombos.push(frozenArr(rng.sample(tagIds, rng.weighted([1, 2, 3], [6, 3, 1]))));
  }
  const ref = (type: string, path: string) => (r: Resource): Ref => ({ id: r.id, rel: relTo(type, r.id, path + r.id) });
  const slas: SlaRef[] = [];
  for (const s of data.slas) {
    const cur = Number(s.attributes.currentVersion ?? 1);
    const v = data.slaVersions.find((x) => relId(x, 'sla') === s.id && x.attributes.version === cur);
    if (!v) continue;
    slas.push({
      id: s.id,
      rel: relTo('sla', s.id, PATHS.sla + s.id),
      name: String(v.attributes.name ?? ''),
      version: cur,
      versionRef: { id: v.id, rel: relTo('sla_version', v.id, v.links?.self ?? PATHS.sla + s.id) },
    });
  }
  const shortcuts = data.shortcuts.filter((s) => s.attributes.deleted !== true).map(ref('shortcut', PATHS.shortcut));
  const shortcutRels = shortcuts.map((s) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'shortcut', id: s.id })]) }) as Relationship);
  const mentionRels: Relationship[] = [
    ...agents.slice(0, 8).map((a) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'user', id: a.id })]) }) as Relationship),
    ...teams.map((t) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'team', id: t.id })]) }) as Relationship),
  ];
  const klasses: KlassRef[] = data.klasses.map((k) => ({
    id: k.id,
    rel: Object.freeze({ data: Object.freeze({ type: 'klass', id: k.id }), link: Object.freeze({ self: PATHS.klass + k.id }) }),
    name: String(k.attributes.name),
    path: flat(PATHS.klass, String(k.attributes.name), '/'),
    displayName: String(k.attributes.displayName ?? k.attributes.name),
    icon: String(k.attributes.icon ?? 'cube'),
    mixins: frozenArr([...((k.attributes.mixins as string[] | undefined) ?? [])]),
  }));
  const sentiments: Attrs[] = [];
  for (const polarity of [-1, 0, 1]) {
    for (const confidence of [0.51, 0.62, 0.73, 0.84, 0.95]) sentiments.push(Object.freeze({ polarity, confidence }));
  }
  const brandEmail = 'support@' + 'brand.example.com';
  return {
    rng,
    orgId,
    orgRel: relTo('org', orgId, PATHS.org + orgId),
    agents,
    machine,
    teams,
    tagIds,
    tagCombos,
    brands: data.brands.map(ref('brand', PATHS.brand)),
    queues: data.queues.filter((q) => q.attributes.deleted !== true).map(ref('queue', PATHS.queue)),
    slas,
    shortcuts,
    shortcutRels,
    mentionRels,
    klasses,
    satisfactionIds: data.satisfactions.map((s) => s.id),
    supportEmail: brandEmail,
    supportToVariants: frozenArr([
      brandEmail,
      Object.freeze({ email: brandEmail, name: 'Support' }),
      Object.freeze({ email: brandEmail }),
      frozenArr([Object.freeze({ email: brandEmail, name: 'Support' })]),
      frozenArr([Object.freeze({ email: brandEmail, name: 'Support' }), Object.freeze({ email: 'sales@brand.example.com', name: 'Sales' })]),
      frozenArr([Object.freeze({ email: brandEmail })]),
    ]),
    supportRecipient: Object.freeze({ email: brandEmail, mailboxHash: '' }),
    sentiments,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Contact-point helpers

function personName(rng: Rng): { first: string; last: string; slug: string } {
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  return { first: f[0], last: l[0], slug: flat(f[1], '.', l[1]) };
}

function emailFor(rng: Rng, slug: string, n: number): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  return n === 0 ? flat(slug, rng.int(1, 9999), '@', domain) : flat(slug.replace('.', '_'), n, rng.int(10, 999), '@', domain);
}

function phoneNumber(rng: Rng): string {
  const cc = rng.weighted(['+1', '+44', '+33', '+81', '+55', '+49'], [6, 1, 1, 1, 1, 1]);
  return flat(cc, rng.int(200, 989), String(rng.int(0, 9999999)).padStart(7, '0'));
}

function emailItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const item: Attrs = { email: emailFor(rng, slug, i), type: rng.weighted(['home', 'work', 'other'], [6, 3, 1]), verified: rng.chance(0.3) };
    if (rng.chance(0.2)) item.externalVerified = rng.chance(0.5);
    out.push(item);
  }
  return out;
}

function phoneItems(rng: Rng, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ phone: phoneNumber(rng), type: rng.weighted(['mobile', 'home', 'work', 'fax', 'other'], [6, 2, 2, 0.3, 0.5]), verified: rng.chance(0.2) });
  }
  return out;
}

function socialItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.pick(['twitter', 'facebook', 'instagram', 'linkedin', 'pinterest'] as const);
    const username = slug.replace('.', '_') + (i > 0 ? String(i) : '');
    out.push({ type, userid: String(rng.int(100000, 999999999)), username, url: flat('https://', type, '.com/', username), verified: rng.chance(0.1) });
  }
  return out;
}

function urlItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.weighted(['website', 'blog', 'other'], [5, 2, 1]);
    out.push({ url: type === 'blog' ? flat('https://blog.example.com/', slug) : flat('https://', slug.replace('.', ''), '.example.net/', i), type });
  }
  return out;
}

const LOCATION_POOL: readonly Attrs[] = (() => {
  const pool: Attrs[] = [];
  let k = 0;
  for (const p of PLACES) {
    for (const type of ['home', 'work', 'other']) {
      const street = STREETS[k++ % STREETS.length] ?? null;
      pool.push(
        Object.freeze({
          type,
          name: type === 'work' ? 'Office' : null,
          address: street,
          address2: k % 4 === 0 ? 'Apt 4B' : null,
          address3: null,
          latitude: k % 5 === 0 ? null : p.lat,
          longitude: k % 5 === 0 ? null : p.lon,
          countryCode: p.countryCode,
          countryName: p.countryName,
          regionCode: p.regionCode,
          regionName: p.regionName,
          cityName: p.cityName,
          zipCode: p.zipCode,
          areaCode: null,
        }),
      );
    }
  }
  return pool;
})();

const RECENT_LOCATION_POOL: readonly Attrs[] = PLACES.map((p) =>
  Object.freeze({ countryName: p.countryName, regionName: p.regionName, cityName: p.cityName, zipCode: p.zipCode }),
);

function externalIdItems(rng: Rng, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) out.push({ externalId: flat('ext-', rng.hex(10)), verified: rng.chance(0.5), id: null });
  return out;
}

function orEmpty<T>(items: T[]): readonly T[] {
  return items.length === 0 ? EMPTY : items;
}

// DraftJs bodies (shared, frozen).
function draftJs(text: string, key: string): Attrs {
  return Object.freeze({
    blocks: frozenArr(
      text.split('\n').map((line, i) =>
        Object.freeze({ key: `${key}${i}`, text: line, type: 'unstyled', depth: 0, inlineStyleRanges: EMPTY, entityRanges: EMPTY, data: EMPTY_OBJ }),
      ),
    ),
    entityMap: EMPTY_OBJ,
  });
}
const DRAFTJS_POOL: readonly Attrs[] = OUT_TEXTS.map((t, i) => draftJs(t, `b${(i * 7919).toString(36).slice(0, 3)}`));

// ---------------------------------------------------------------------------------------------------------------
// Shared relationship containers (frozen): every child of one conversation written by the same user has the same
// `relationships` object, which keeps 100k-customer orgs lean. Mutations replace containers, never edit them.

export type Rels = Record<string, Relationship>;

export class ConvRels {
  private byAgent = new Map<Agent, Rels>();
  private timesByAgent = new Map<Agent, Rels>();
  private inbound?: Rels;

  constructor(
    private readonly ctx: OrgCtx,
    readonly customerRel: Relationship,
    readonly conversationRel: Relationship,
  ) {}

  /** `{org, createdBy, modifiedBy, customer, conversation}` (events, notes, outbound messages). */
  agent(a: Agent): Rels {
    let r = this.byAgent.get(a);
    if (!r) {
      r = Object.freeze({ org: this.ctx.orgRel, createdBy: a.rel, modifiedBy: a.rel, customer: this.customerRel, conversation: this.conversationRel });
      this.byAgent.set(a, r);
    }
    return r;
  }

  /** `{org, customer, conversation}` (inbound messages). */
  in(): Rels {
    this.inbound ??= Object.freeze({ org: this.ctx.orgRel, customer: this.customerRel, conversation: this.conversationRel });
    return this.inbound;
  }

  /** `{org, customer, conversation, createdBy}` (conversation times). */
  times(a: Agent): Rels {
    let r = this.timesByAgent.get(a);
    if (!r) {
      r = Object.freeze({ org: this.ctx.orgRel, customer: this.customerRel, conversation: this.conversationRel, createdBy: a.rel });
      this.timesByAgent.set(a, r);
    }
    return r;
  }
}

const channelPool = new Map<string, readonly string[]>();
export function pooledChannels(channels: string[]): readonly string[] {
  const key = channels.join(',');
  let v = channelPool.get(key);
  if (!v) {
    v = frozenArr([...channels]);
    channelPool.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Core record builders

const CHANNELS = new Weighted<string>([
  ['email', 55], ['chat', 25], ['sms', 8], ['whatsapp', 4], ['facebook', 3], ['instagram', 2], ['voice', 2], ['twitter-dm', 1],
]);
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

export interface CompanyInfo {
  id: string;
  name: string;
  rel: Relationship;
}

export interface CompanyParams {
  id: string;
  createdMs: number;
  updatedMs: number;
  importedMs: number | null;
  deletedMs: number | null;
}

export function buildCompany(ctx: OrgCtx, p: CompanyParams): Resource {
  const rng = ctx.rng;
  const name = flat(rng.pick(CO_A), ' ', rng.pick(CO_B), rng.pick(CO_C));
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'company';
  const domainCount = rng.weighted([0, 1, 2], [3, 6, 1]);
  const domains: Attrs[] = [];
  for (let i = 0; i < domainCount; i++) domains.push({ domain: i === 0 ? flat(slug, '.com') : flat(slug, '.', rng.pick(['de', 'fr', 'co.jp', 'io'])) });
  const updatedIso = iso(p.updatedMs);
  const modifiedIso = rng.chance(0.7) ? updatedIso : iso(Math.floor(rng.float(p.createdMs, p.updatedMs)));
  const agent = rng.pick(ctx.agents);
  const attrs: Attrs = {
    name,
    externalId: rng.chance(0.5) ? flat('cmp_', rng.hex(8)) : null,
    avatarUrl: rng.chance(0.3) ? flat('https://logo.example.com/', slug, '.png') : null,
    emails: orEmpty(emailItems(rng, `info.${slug}`, rng.weighted([0, 1, 2], [4, 5, 1]))),
    phones: orEmpty(phoneItems(rng, rng.weighted([0, 1, 2], [5, 4, 1]))),
    whatsapps: EMPTY,
    socials: orEmpty(socialItems(rng, `co.${slug}`, rng.weighted([0, 1, 2], [6, 3, 1]))),
    urls: orEmpty(urlItems(rng, `co.${slug}`, rng.weighted([0, 1], [4, 6]))),
    domains: orEmpty(domains),
    locations: rng.chance(0.5) ? frozenArr([rng.pick(LOCATION_POOL)]) : EMPTY,
    employeeCount: rng.chance(0.7) ? rng.weighted([rng.int(1, 50), rng.int(50, 1000), rng.int(1000, 200000)], [5, 3, 1]) : null,
    tags: rng.chance(0.3) && ctx.tagCombos.length > 0 ? rng.pick(ctx.tagCombos) : EMPTY,
    custom: customValues(rng, CUSTOM_SPECS.company, p.createdMs, p.updatedMs),
    defaultLang: rng.chance(0.6) ? rng.pick(LANGS) : null,
    rev: rng.int(1, 6),
    roleGroupVersions: EMPTY,
    deleted: p.deletedMs !== null,
    createdAt: iso(p.createdMs),
    updatedAt: updatedIso,
    modifiedAt: modifiedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
  };
  if (p.deletedMs !== null) attrs.deletedAt = iso(p.deletedMs);
  const rels: Record<string, Relationship> = { org: ctx.orgRel, createdBy: agent.rel, modifiedBy: rng.chance(0.7) ? agent.rel : rng.pick(ctx.agents).rel };
  return resource('company', p.id, PATHS.company + p.id, attrs, rels);
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

export interface NoteParams {
  id: string;
  customer: CustomerContact;
  rels: ConvRels;
  createdMs: number;
  updatedMs: number;
  importedMs: number | null;
  deletedMs: number | null;
  agent: Agent;
}

export function buildNote(ctx: OrgCtx, p: NoteParams): Resource {
  const rng = ctx.rng;
  const createdIso = iso(p.createdMs);
  const updatedIso = p.updatedMs === p.createdMs ? createdIso : iso(p.updatedMs);
  const attrs: Attrs = {
    body: rng.pick(NOTE_TEXTS),
    createdByTeams: p.agent.teams,
    externalId: rng.chance(0.05) ? flat('note-', rng.hex(8)) : null,
    lang: rng.chance(0.5) ? rng.pick(LANGS) : null,
    deleted: p.deletedMs !== null,
    attachments: rng.chance(0.03)
      ? [{ _id: rng.hex(24), name: 'screenshot.png', contentType: 'image/png', contentLength: rng.int(1000, 900000), sourceId: rng.hex(24) }]
      : EMPTY,
    custom: customValues(rng, CUSTOM_SPECS.note, p.createdMs, p.updatedMs),
    createdAt: createdIso,
    updatedAt: updatedIso,
    modifiedAt: updatedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
  };
  if (p.deletedMs !== null) attrs.deletedAt = iso(p.deletedMs);
  let rels: Rels = p.rels.agent(p.agent);
  const mention = ctx.mentionRels.length > 0 && rng.chance(0.2);
  if (p.deletedMs !== null || mention) rels = { ...rels };
  if (p.deletedMs !== null) rels.deletedBy = p.agent.rel;
  if (mention) {
    if (rng.chance(0.8)) rels.userMentions = rng.pick(ctx.mentionRels);
    else {
      const a = rng.pick(ctx.agents);
      const t = ctx.teams.length > 0 ? rng.pick(ctx.teams) : null;
      const data: RelRef[] = [{ type: 'user', id: a.id }];
      if (t) data.push({ type: 'team', id: t.id });
      rels.userMentions = { data };
    }
  }
  return resource('note', p.id, PATHS.note + p.id, attrs, rels);
}

export interface KObjectParams {
  id: string;
  klass: KlassRef;
  customer: CustomerContact;
  createdMs: number;
  updatedMs: number;
  importedMs: number | null;
}

export function buildKObject(ctx: OrgCtx, p: KObjectParams): Resource {
  const rng = ctx.rng;
  const k = p.klass;
  const assignable = k.mixins.includes('assignable');
  const createdIso = iso(p.createdMs);
  const updatedIso = p.updatedMs === p.createdMs ? createdIso : iso(p.updatedMs);
  const custom = customValues(rng, CUSTOM_SPECS[`kobject.${k.name}`], p.createdMs - 30 * DAY, p.updatedMs);
  const label = (custom.orderNumberStr ?? custom.rmaNumberStr ?? custom.planStr ?? rng.hex(6)) as string | null;
  const attrs: Attrs = {
    title: label ? flat(k.displayName, ' ', label) : k.displayName,
    description: rng.chance(0.2) ? rng.pick(['Created by the Shopify integration', 'Imported from legacy system', 'Créé manuellement']) : null,
    icon: k.icon,
    images: rng.chance(0.15) ? [flat('https://cdn.example.com/products/', rng.hex(8), '.jpg')] : EMPTY,
    externalId: flat(k.name, '-', rng.int(100000, 999999)),
    custom,
    tags: rng.chance(0.1) && ctx.tagCombos.length > 0 ? rng.pick(ctx.tagCombos) : EMPTY,
    rev: rng.int(1, 4),
    klassDisplayName: k.displayName,
    klassMixins: k.mixins,
    roleGroupVersions: EMPTY,
    createdAt: createdIso,
    updatedAt: updatedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
  };
  const rels: Record<string, Relationship> = { org: ctx.orgRel, klass: k.rel, customer: p.customer.rel };
  if (p.customer.companyRel && rng.chance(0.3)) rels.company = p.customer.companyRel;
  if (assignable) {
    const done = rng.chance(0.6);
    const agent = rng.pick(ctx.agents);
    attrs.status = done ? 'done' : 'open';
    attrs.assignedUser = rng.chance(0.7) ? agent.id : null;
    attrs.assignedTeam = agent.teams[0] ?? null;
    const q = ctx.queues.length > 0 ? rng.pick(ctx.queues) : null;
    attrs.queue = q ? q.id : null;
    if (q) rels.queue = q.rel;
    attrs.doneCount = done ? 1 : 0;
    attrs.reopenCount = 0;
    attrs.reopenFromDoneCount = 0;
    if (done) {
      const d: Attrs = {
        time: p.updatedMs - p.createdMs,
        businessTime: Math.floor((p.updatedMs - p.createdMs) * 0.4),
        createdAt: updatedIso,
        createdBy: agent.id,
        createdByTeam: agent.teams[0] ?? null,
        assignedTeam: agent.teams[0] ?? null,
        assignedUser: agent.id,
        commentCount: rng.int(0, 3),
      };
      attrs.firstDone = d;
      attrs.lastDone = d;
    }
  }
  if (k.name === 'ecomm-order' && rng.chance(0.1)) {
    attrs.attribution = { conversationId: null, attributionBy: 'conversation', channel: 'email', time: rng.int(60, 86400) * SEC, revenueValue: Math.round(rng.float(10, 500) * 100) / 100, currency: 'USD' };
  }
  return resource('kobject', p.id, k.path + p.id, attrs, rels);
}

export interface DraftParams {
  id: string;
  customer: CustomerContact;
  conversationRel: Relationship | null;
  createdMs: number;
  updatedMs: number;
  agent: Agent;
}

export function buildDraft(ctx: OrgCtx, p: DraftParams): Resource {
  const rng = ctx.rng;
  const channel = rng.weighted(['email', 'chat', 'sms', 'whatsapp', 'facebook', 'note', 'instagram', 'twitter-dm'], [50, 20, 10, 5, 5, 5, 3, 2]);
  const i = rng.int(0, OUT_TEXTS.length - 1);
  const body = OUT_TEXTS[i] ?? '';
  const createdIso = iso(p.createdMs);
  const updatedIso = p.updatedMs === p.createdMs ? createdIso : iso(p.updatedMs);
  const attrs: Attrs = {
    channel,
    status: 'draft',
    body,
    payload: { draftJs: DRAFTJS_POOL[i] ?? EMPTY_OBJ },
    auto: false,
    lang: rng.chance(0.5) ? rng.pick(LANGS) : null,
    createdAt: createdIso,
    updatedAt: updatedIso,
    modifiedAt: updatedIso,
  };
  if (channel === 'email') {
    const email = p.customer.email ?? 'unknown@example.com';
    attrs.to = rng.chance(0.5) ? [{ email, name: p.customer.name ?? email }] : { email, name: p.customer.name ?? email };
    attrs.from = ctx.supportEmail;
    attrs.subject = rng.pick(SUBJECTS);
  } else if (channel !== 'note') {
    attrs.to = channel === 'sms' || channel === 'whatsapp' ? p.customer.phone ?? '+15550100000' : p.customer.id;
  }
  const rels: Record<string, Relationship> = { org: ctx.orgRel, customer: p.customer.rel, createdBy: p.agent.rel, modifiedBy: p.agent.rel };
  if (p.conversationRel) rels.conversation = p.conversationRel;
  return resource('draft', p.id, PATHS.draft + p.id, attrs, rels);
}

// ---------------------------------------------------------------------------------------------------------------
// Audit log

export interface AuditInput {
  verb: 'create' | 'update' | 'delete';
  objectType: string;
  objectId: string;
  ms: number;
  agent: Agent | null;
  client: string;
  changes: Attrs;
  customerId?: string | null;
  /** Upper bound for publishedAt (the anchor / mutation time). */
  capMs?: number;
}

/** Builds one audit-log entry whose id is strictly greater than `prevId`. */
export function buildAudit(ctx: OrgCtx, prevId: string | undefined, a: AuditInput): Resource {
  const rng = ctx.rng;
  const id = nextObjectIdAfter(prevId, rng, a.ms);
  const userType = a.agent === null ? 'system' : a.agent === ctx.machine ? 'machine' : 'user';
  const attrs: Attrs = {
    eventName: flat('kustomer.', a.objectType, '.', a.verb),
    eventVerb: a.verb,
    org: ctx.orgId,
    userId: a.agent ? a.agent.id : null,
    userType,
    objectId: a.objectId,
    objectType: a.objectType,
    client: a.client,
    ip: a.agent && a.agent !== ctx.machine ? flat('203.0.113.', rng.int(1, 254)) : null,
    changes: a.changes,
    createdAt: iso(a.ms),
    publishedAt: iso(Math.min(a.ms + rng.int(1, 400), a.capMs ?? Number.MAX_SAFE_INTEGER)),
    expiresAt: iso(a.ms + 365 * DAY),
  };
  const rels: Record<string, Relationship> = {};
  if (a.agent) rels.user = a.agent.rel;
  if (a.customerId) rels.customer = relTo('customer', a.customerId, PATHS.customer + a.customerId);
  return resource('audit_log', id, PATHS.audit + id, attrs, rels);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings collections

type SettingsOut = Pick<
  SandboxData,
  | 'users' | 'teams' | 'tags' | 'brands' | 'schedules' | 'cards' | 'outboundAccounts' | 'queues' | 'slas' | 'slaVersions'
  | 'satisfactions' | 'shortcuts' | 'snoozes' | 'spamSenders' | 'routingSettings' | 'klasses' | 'metadata'
>;

const USER_NAMES = [
  'Dana Whitfield', 'Marco Rossi', 'Aiko Tanaka', 'Lena Schäfer', 'Olu Adeyemi', 'Camille Durand', 'Raj Patel', 'Sofía Herrera',
  'Tomás Novák', 'Mei Chen', 'Jonas Lindqvist', 'Grace Okafor', 'Hiro Sato', 'Isabel Costa', 'Noah Fischer', 'Zara Ahmed',
  'Pablo Ruiz', 'Emma Larsen', 'Yusuf Demir', 'Chloé Martin', 'Ivan Petrov',
];
const TEAM_NAMES = ['Tier 1', 'Tier 2 — Billing', 'VIP Concierge', 'Returns & Exchanges', 'Soporte Español'];
const TAG_NAMES = [
  'refund', 'shipping-delay', 'vip', 'damaged', 'exchange', 'billing', 'bug', 'feature-request', 'churn-risk', 'wholesale',
  'priority', 'fraud-check', 'réclamation', 'devolución', '返品', 'follow-up', 'urgent 🔥', 'escalated', 'spam', 'survey',
  'promo', 'gift-card', 'subscription', 'address-change', 'out-of-stock', 'warranty', 'size-guide', 'feedback', 'press', 'legacy',
];
const COLORS = ['#e53935', '#8e24aa', '#3949ab', '#039be5', '#00897b', '#7cb342', '#fdd835', '#fb8c00', '#6d4c41', '#546e7a'];

function settingsTimes(rng: Rng, lo: number, hi: number): { c: number; u: number; m: number } {
  const c = Math.floor(rng.float(lo, hi));
  const u = rng.chance(0.5) ? c : Math.floor(rng.float(c, hi));
  const m = rng.chance(0.7) ? u : Math.floor(rng.float(c, u));
  return { c, u, m };
}

function stamp(t: { c: number; u: number; m: number }): Attrs {
  const u = iso(t.u);
  return { createdAt: iso(t.c), updatedAt: u, modifiedAt: t.m === t.u ? u : iso(t.m) };
}

function buildSettings(rng: Rng, A: number, orgRel: Relationship): SettingsOut {
  const lo = A - 720 * DAY;
  const hi = A - 1 * DAY;
  const orgOf = (): Record<string, Relationship> => ({ org: orgRel });

  // Users: owner, 20 agents, a machine user (the API key's user), a limited user, a deactivated agent, hourly.
  const users: Resource[] = [];
  const userRels: Relationship[] = [];
  const nUsers = 25;
  let ownerRel: Relationship | null = null;
  for (let i = 0; i < nUsers; i++) {
    const t = i === 0 ? { c: lo, u: lo + 5 * DAY, m: lo + 5 * DAY } : settingsTimes(rng, lo + DAY, hi);
    const id = objectId(rng, t.c);
    const machine = i === 22;
    const name = i === 0 ? 'Org Owner' : machine ? 'API Integration (tap)' : i === 23 ? 'Contractor Viewer' : i === 24 ? 'Former Agent' : USER_NAMES[(i - 1) % USER_NAMES.length] ?? `Agent ${i}`;
    const slug = name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '');
    const deleted = i === 24;
    const userType = machine ? 'machine' : i === 23 ? 'limited' : 'user';
    const attrs: Attrs = {
      name,
      displayName: machine ? null : name.split(' ')[0] ?? name,
      email: machine ? `api+${rng.hex(6)}@brand.example.com` : `${slug}@brand.example.com`,
      mobile: rng.chance(0.3) && !machine ? phoneNumber(rng) : null,
      avatarUrl: machine ? null : `https://avatars.example.com/u/${slug}.png`,
      emailSignature: machine ? '' : `— ${name}\nCustomer Care`,
      userType,
      roles: machine ? ['org.permission.customer.read', 'org.permission.conversation.read'] : i === 0 ? ['org.admin', 'org.user'] : ['org.user'],
      roleGroups: EMPTY,
      emailVerifiedAt: machine ? null : iso(t.c + HOUR),
      firstEmailVerifiedAt: machine ? null : iso(t.c + HOUR),
      verifiedEmailStatus: machine ? null : 'verified',
      isEmailValid: !machine,
      password: machine ? null : { allowNew: true, forceNew: false, updatedAt: iso(t.c + HOUR) },
      firstLoginAt: machine ? null : iso(t.c + 2 * HOUR),
      mostRecentLoginAt: machine ? null : iso(Math.max(t.c + 2 * HOUR, A - rng.int(1, 20) * HOUR)),
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      custom: machine ? EMPTY_OBJ : customValues(rng, CUSTOM_SPECS.user, lo, t.c),
      ...stamp(t),
    };
    if (deleted) attrs.updatedAt = attrs.modifiedAt = attrs.deletedAt;
    const rels = orgOf();
    const rel = relTo('user', id, PATHS.user + id);
    if (ownerRel) {
      rels.createdBy = ownerRel;
      rels.modifiedBy = ownerRel;
    }
    if (i === 0) ownerRel = rel;
    userRels.push(rel);
    users.push(resource('user', id, PATHS.user + id, attrs, rels));
  }
  const owner = ownerRel as Relationship;
  const agentIdx = [...Array(22).keys()].slice(1); // 1..21

  const teams: Resource[] = [];
  for (let i = 0; i < TEAM_NAMES.length; i++) {
    const t = settingsTimes(rng, lo + 2 * DAY, hi);
    const id = objectId(rng, t.c);
    const members = agentIdx.filter((u, j) => j % TEAM_NAMES.length === i || (rng.chance(0.15) && u > 0)).map((u) => (users[u] as Resource).id);
    teams.push(
      resource('team', id, PATHS.team + id, {
        name: TEAM_NAMES[i],
        displayName: TEAM_NAMES[i],
        icon: rng.pick(['users', 'star', 'dollar', 'globe', 'refresh']),
        members,
        roleGroups: EMPTY,
        deleted: false,
        deletedAt: null,
        ...stamp(t),
      }, { ...orgOf(), createdBy: owner, modifiedBy: owner }),
    );
  }

  const tags: Resource[] = [];
  for (let i = 0; i < 30; i++) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const deleted = i === 29 || i === 13;
    const by = rng.pick(userRels.slice(0, 22));
    const attrs: Attrs = { name: TAG_NAMES[i], color: rng.pick(COLORS), deleted, deletedAt: deleted ? iso(t.u) : null, ...stamp(t) };
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    tags.push(resource('tag', id, PATHS.tag + id, attrs, rels));
  }

  const brands: Resource[] = [];
  for (const [i, name] of ['Brand Co.', 'Brand Co. Europe', 'ブランド Japan'].entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    brands.push(resource('brand', id, PATHS.brand + id, { name, iconUrl: `https://cdn.example.com/brand/${i}.png`, default: i === 0, ...stamp(t) }, { ...orgOf(), createdBy: owner, modifiedBy: owner }));
  }

  const schedules: Resource[] = [];
  const weekday = [[480, 1020]];
  const schedDefs: Array<[string, string, Attrs, boolean]> = [
    ['Business Hours (US)', 'America/New_York', { '0': null, '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': null }, false],
    ['EMEA Support', 'Europe/Berlin', { '0': null, '1': [[420, 720], [780, 1080]], '2': [[420, 1080]], '3': [[420, 1080]], '4': [[420, 1080]], '5': [[420, 960]], '6': null }, false],
    ['Holiday hours 2023', 'America/Los_Angeles', { '0': null, '1': [[600, 900]], '2': [[600, 900]], '3': null, '4': null, '5': null, '6': null }, true],
  ];
  for (const [i, [name, tz, hours, deleted]] of schedDefs.entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: owner, modifiedBy: owner };
    if (deleted) rels.deletedBy = owner;
    schedules.push(resource('schedule', id, PATHS.schedule + id, { name, hours, timezone: tz, default: i === 0, deleted, deletedAt: deleted ? iso(t.u) : null, ...stamp(t) }, rels));
  }

  const cards: Resource[] = [];
  const cardDefs: Array<[string, string, string[], string | null]> = [
    ['shopify-orders', 'Recent Shopify orders for this customer', ['customer', 'conversation'], 'shopify'],
    ['loop-returns', 'Returns started in Loop', ['kobject.return'], 'loop'],
    ['account.health', 'Account health score (internal)', ['company'], null],
    ['order_detail_v2', 'Order details — détails de commande', ['kobject.ecomm-order', 'conversation'], 'shopify'],
  ];
  for (const [name, description, contexts, app] of cardDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    cards.push(resource('card', id, PATHS.card + id, { name, description, url: `https://apps.example.com/cards/${name}`, contexts, app, ...stamp(t) }, orgOf()));
  }

  const outboundAccounts: Resource[] = [];
  const obDefs: Array<[string, string, string, string, boolean]> = [
    ['email', 'Support', 'support@brand.example.com', 'postmark', false],
    ['email', 'Billing', 'billing@brand.example.com', 'gmail', true],
    ['sms', 'US SMS', '+15550109999', 'twilio', false],
    ['whatsapp', 'WhatsApp Business', '+15550108888', 'twilio_whatsapp', false],
  ];
  for (const [channel, name, account, app, alias] of obDefs) {
    // Kustomer returns no id for outbound accounts; the id here is internal (the server must not serve it).
    const id = objectId(rng, lo);
    outboundAccounts.push({ type: 'outbound_account', id, attributes: { channel, name, account, app, aliasUsername: alias }, relationships: orgOf() });
  }

  const queues: Resource[] = [];
  const queueDefs: Array<[string, string, string | null, number, boolean, boolean]> = [
    ['DEFAULT_QUEUE', 'Default Queue', null, 100, true, false],
    ['email_tier1', 'Email — Tier 1', 'email.en', 50, false, false],
    ['chat', 'Live Chat', 'chat.en', 10, false, false],
    ['vip', 'VIP ⭐', 'vip', 1, false, false],
    ['returns', 'Returns', 'kobject.return', 40, false, false],
    ['soporte_es', 'Soporte (Español)', 'chat.es', 20, false, true],
  ];
  for (const [name, displayName, key, priority, system, deleted] of queueDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const attrs: Attrs = {
      name,
      displayName,
      key,
      description: system ? 'System queue' : `${displayName} work`,
      priority,
      itemSize: name === 'chat' ? 2 : 1,
      restrictTransfersByUsers: false,
      system,
      settings: EMPTY_OBJ,
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      ...stamp(t),
    };
    const rels: Record<string, Relationship> = orgOf();
    if (!system) {
      rels.createdBy = owner;
      rels.modifiedBy = owner;
    }
    queues.push(resource('queue', id, PATHS.queue + id, attrs, rels));
  }

  const slas: Resource[] = [];
  const slaVersions: Resource[] = [];
  const slaDefs: Array<[string, number, Attrs]> = [
    ['Standard Email', 3, { and: [{ conversation_channel: { operator: 'equals', value: 'email' } }], or: [] }],
    ['VIP Chat', 2, { and: [{ conversation_channel: { operator: 'equals', value: 'chat' } }], or: [{ customer_tags: { operator: 'contains', value: 'vip' } }, { conversation_priority: { operator: 'lte', value: '2' } }] }],
    ['Social', 1, { or: [{ conversation_channel: { operator: 'equals', value: 'facebook' } }, { conversation_channel: { operator: 'equals', value: 'instagram' } }] }],
  ];
  for (const [name, nVersions, criteria] of slaDefs) {
    const c = Math.floor(rng.float(lo, hi - 60 * DAY));
    const id = objectId(rng, c);
    const versionRefs: RelRef[] = [];
    let vt = c;
    for (let v = 1; v <= nVersions; v++) {
      const vid = objectId(rng, vt);
      versionRefs.push({ type: 'sla_version', id: vid });
      const metric = (base: number, enabled: boolean): Attrs => ({ enabled, times: { '1': base / 4, '2': base / 2, '3': base, '4': base * 2, '5': base * 4 } });
      slaVersions.push(
        resource('sla_version', vid, `${PATHS.sla}${id}/versions/${vid}`, {
          name: v === nVersions ? name : `${name} (v${v})`,
          description: v === 1 ? `${name} targets` : `${name} — revised targets v${v}`,
          version: v,
          hours: rng.pick(['business', 'calendar']),
          metrics: {
            firstResponse: metric(3600 * (v + 1), true),
            longestUnrespondedMessage: metric(7200, v > 1),
            totalConversationOpenTime: metric(86400, false),
            totalCustomerWaitTime: metric(43200, v === nVersions),
            nextReply: { ...metric(14400, v > 2), basedOnHumanInteraction: true },
          },
          criteria: v === 1 && nVersions > 1 ? { and: [{ conversation_channel: { operator: 'equals', value: 'email' } }] } : criteria,
          createdAt: iso(vt),
        }, { ...orgOf(), createdBy: owner, sla: relTo('sla', id, PATHS.sla + id) }),
      );
      vt = Math.floor(rng.float(vt + DAY, vt + 20 * DAY));
    }
    slas.push(resource('sla', id, PATHS.sla + id, { currentVersion: nVersions, createdAt: iso(c) }, { ...orgOf(), createdBy: owner, versions: { data: versionRefs } }));
  }

  const satisfactions: Resource[] = [];
  for (const [i, channel] of ['email', 'chat'].entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const q = [
      { id: rng.hex(8), type: 'open', prompt: 'What could we do better?' },
      { id: rng.hex(8), type: 'select', prompt: '¿Qué tan fácil fue?', options: ['Fácil', 'Normal', 'Difícil'] },
    ];
    satisfactions.push(
      resource('satisfaction', id, PATHS.satisfaction + id, {
        name: i === 0 ? 'Default CSAT' : 'Chat CSAT 💬',
        formType: 'csat',
        enabled: true,
        channel,
        description: null,
        from: { account: 'support@brand.example.com', app: channel === 'email' ? 'postmark' : 'chat', channel },
        metaTitle: 'How did we do?',
        metaDescription: 'Rate your conversation',
        delayTime: i === 0 ? 3600 : 0,
        scale: { options: 5, type: 'stars', labelHigh: 'Great', labelLow: 'Bad' },
        introduction: 'Thanks for contacting us!',
        ratingPrompt: 'How would you rate your experience?',
        questions: q,
        positiveQuestions: i === 0 ? EMPTY : [q[0]],
        negativeQuestions: [q[0]],
        allQuestions: q,
        followUpType: 'question',
        criteria: { and: [{ conversation_channel: { operator: 'equals', value: channel } }], or: [] },
        ...stamp(t),
      }, { ...orgOf(), createdBy: owner, modifiedBy: owner }),
    );
  }

  const shortcuts: Resource[] = [];
  for (let i = 0; i < 15; i++) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const text = OUT_TEXTS[i % OUT_TEXTS.length] ?? '';
    const deleted = i === 14;
    const by = rng.pick(userRels.slice(0, 22));
    const conv: Attrs = {};
    if (i % 3 === 0) conv.status = 'done';
    if (i % 4 === 1 && tags.length > 0) conv.tags = { operator: 'add', value: [(tags[i % tags.length] as Resource).id] };
    if (i % 5 === 2) conv.name = { operator: 'set', value: NAMES_SHORTCUT[i] };
    const attrs: Attrs = {
      name: NAMES_SHORTCUT[i],
      draft: { text },
      payload: { text: DRAFTJS_POOL[i % DRAFTJS_POOL.length] ?? EMPTY_OBJ },
      conversation: Object.keys(conv).length > 0 ? conv : EMPTY_OBJ,
      isPrivate: i % 7 === 3,
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      appDisabled: false,
      rev: rng.int(1, 9),
      ...stamp(t),
    };
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    if (i % 6 === 4) rels.accessTeams = { data: [{ type: 'team', id: (teams[i % teams.length] as Resource).id }] };
    if (attrs.isPrivate === true) rels.accessUsers = { data: [{ type: 'user', id: (users[1] as Resource).id }] };
    shortcuts.push(resource('shortcut', id, PATHS.shortcut + id, attrs, rels));
  }

  const snoozes: Resource[] = [];
  const snoozeDefs: Array<[string, string, unknown, boolean]> = [
    ['2 Hours', 'relative', 7200000, true],
    ['1 Day', 'relative', 86400000, true],
    ['1 Week', 'relative', 604800000, false],
    ['Tomorrow 9am', 'dynamic', { day: { type: 'tomorrow', value: '' }, time: '09:00 am' }, true],
    ['Next Monday', 'dynamic', { day: { type: 'absolute', value: 'monday' }, time: '08:30 am' }, true],
    ['After Black Friday', 'absolute', Math.floor((A - 12 * DAY) / DAY) * DAY, true],
  ];
  for (const [name, type, value, enabled] of snoozeDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    snoozes.push(resource('snooze', id, PATHS.snooze + id, { name, enabled, type, value, ...stamp(t) }, { ...orgOf(), createdBy: owner, modifiedBy: owner }));
  }

  const spamSenders: Resource[] = [];
  const spamDefs = ['noreply@spammy.example', 'deals@promo-blast.example', 'ceo@trusted-partner.example', 'bounces@mailer.example', 'info@lottery-winner.example', 'vip.customer@gmail.com', 'newsletter@shop.example', 'robot@scraper.example'];
  for (const [i, sender] of spamDefs.entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const automated = i % 3 === 0;
    const deleted = i === 6;
    const by = rng.pick(userRels.slice(0, 22));
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: automated ? { data: null } : by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    spamSenders.push(
      resource('spam_sender', id, PATHS.spam + id, {
        sender,
        channel: 'email',
        list: i === 2 || i === 5 ? 'whitelist' : 'blacklist',
        automated,
        deleted,
        deletedAt: deleted ? iso(t.u) : null,
        ...stamp(t),
      }, rels),
    );
  }

  const routingSettings: Resource[] = [];
  const liveQueues = queues.filter((q) => q.attributes.deleted !== true);
  for (const [i, team] of teams.entries()) {
    const t = settingsTimes(rng, Date.parse(String(team.attributes.createdAt)), hi);
    const qs = rng.sample(liveQueues, rng.int(1, 3)).map((q) => q.id);
    routingSettings.push(
      resource('team_routing_setting', team.id, PATHS.routing + team.id, {
        enabled: i !== 4,
        queues: qs,
        externalQueues: i === 1 ? ['amazon-connect'] : EMPTY,
        capacity: { email: 10, chat: 3, sms: 5, voice: 1 },
        workItemCapacity: rng.int(3, 12),
        ...stamp(t),
      }, orgOf()),
    );
  }

  const klasses: Resource[] = [];
  const klassDefs: Array<[string, string, string, string, string[]]> = [
    ['ecomm-order', 'Order', 'cart', '#43a047', ['editable', 'creatable']],
    ['return', 'Return', 'refresh', '#fb8c00', ['assignable', 'commentable', 'editable']],
    ['subscription', 'Subscription', 'repeat', '#8e24aa', ['editable']],
  ];
  for (const [name, displayName, icon, color, mixins] of klassDefs) {
    const t = settingsTimes(rng, lo, lo + 60 * DAY);
    const id = objectId(rng, t.c);
    klasses.push(
      resource('klass', id, PATHS.klass + id, {
        name,
        displayName,
        icon,
        color,
        status: 'enabled',
        mixins,
        klassSchema: null,
        appVersion: name === 'ecomm-order' ? 'shopify@2.14.0' : null,
        appDisabled: false,
        createdAt: iso(t.c),
        updatedAt: iso(t.u),
      }, { ...orgOf(), kobjects: { links: { self: `${PATHS.klass}${name}` } } }),
    );
  }

  // Custom attribute metadata: one document per resource; a deleted property stays with deletedAt.
  const metadata: Resource[] = [];
  for (const resourceName of Object.keys(CUSTOM_SPECS)) {
    const properties: Attrs = {};
    for (const s of CUSTOM_SPECS[resourceName] ?? []) {
      const t = settingsTimes(rng, lo, hi);
      const by = rng.pick(users.slice(0, 3)).id;
      const suf = suffixOf(s.key);
      const prop: Attrs = { type: SUFFIX_TYPES.find(([x]) => x === suf)?.[1] ?? 'string', displayName: displayNameOf(s.key), modifiedAt: iso(t.m), updatedAt: iso(t.u), modifiedBy: by };
      if (s.enumeration && s.values) prop.enumeration = [...s.values];
      properties[s.key] = prop;
    }
    if (resourceName === 'customer') {
      const dAt = A - 90 * DAY;
      properties[DELETED_CUSTOM_KEY] = {
        type: 'string',
        displayName: 'Legacy Plan',
        modifiedAt: iso(dAt),
        updatedAt: iso(dAt),
        modifiedBy: (users[0] as Resource).id,
        deletedAt: iso(dAt),
        deletedBy: (users[0] as Resource).id,
      };
    }
    metadata.push({ type: 'metadata', id: resourceName, attributes: { properties }, relationships: orgOf(), links: { self: PATHS.metadata + resourceName } });
  }

  return {
    users,
    teams,
    tags,
    brands,
    schedules,
    cards,
    outboundAccounts,
    queues,
    slas,
    slaVersions,
    satisfactions,
    shortcuts,
    snoozes,
    spamSenders,
    routingSettings,
    klasses,
    metadata,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Core data

const CONV_COUNT = new Weighted<number>([[0, 18], [1, 40], [2, 24], [3, 11], [4, 5], [6, 2]]);
const MSG_COUNT = new Weighted<number>([[1, 25], [2, 25], [3, 20], [4, 12], [5, 8], [6, 5], [8, 3], [12, 2]]);
const NOTE_COUNT = new Weighted<number>([[0, 60], [1, 30], [2, 10]]);
const EVENT_COUNT = new Weighted<number>([[1, 14], [2, 15], [3, 20], [4, 20], [5, 12], [6, 8], [8, 6], [10, 5]]);
const TIME_COUNT = new Weighted<number>([[0, 25], [1, 55], [2, 15], [3, 5]]);
const ATT_COUNT = new Weighted<number>([[0, 78], [1, 16], [2, 4], [3, 2]]);
const DRAFT_COUNT = new Weighted<number>([[0, 76], [1, 18], [2, 6]]);
const KOBJ_COUNT = new Weighted<number>([[0, 65], [1, 22], [2, 9], [3, 4]]);

/** Tie groups: customers whose updatedAt is one shared instant. */
interface TieGroup {
  ms: number;
  kind: 'import' | 'bulk' | 'small';
}

/** Mutable state shared by the per-customer loop. */
interface Acc {
  data: SandboxData;
  force: { conversation: boolean; draft: boolean };
  audit: AuditInput[];
  auditPCustomer: number;
  auditPConversation: number;
  kobjectsPerKlass: Map<string, number>;
}

function pickAgent(ctx: OrgCtx): Agent {
  return ctx.rng.pick(ctx.agents);
}

/**
 * `x` plus a random delay of at most `maxDelta`, squeezed into the room left before `bound` (clamping instead
 * would pile thousands of records onto `bound` — an artificial tie).
 */
function later(rng: Rng, x: number, maxDelta: number, bound: number): number {
  const room = Math.max(0, bound - x);
  return x + Math.floor(rng.next() * Math.min(maxDelta, room));
}

/** Draws `n` sorted instants in [lo, hi]. */
function sortedTimes(rng: Rng, n: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.floor(rng.float(lo, Math.max(lo, hi))));
  out.sort((a, b) => a - b);
  return out;
}

function genCustomer(ctx: OrgCtx, acc: Acc, A: number, group: TieGroup | null, companies: CompanyInfo[]): void {
  const rng = ctx.rng;
  const data = acc.data;
  const lo = A - 400 * DAY;
  const bound = group ? group.ms : A;
  const span = Math.max(bound - lo - 3 * HOUR, HOUR);
  const createdMs = Math.floor(lo + Math.pow(rng.next(), 0.8) * span);
  const imported = group !== null && group.kind === 'import';
  const importedMs = imported ? bound : null;
  const id = objectId(rng, imported ? bound : createdMs);
  const identity = drawIdentity(rng);
  const company = companies.length > 0 && rng.chance(0.6) ? rng.pick(companies) : null;
  const contact: CustomerContact = {
    id,
    rel: relTo('customer', id, PATHS.customer + id),
    name: identity.name,
    email: (identity.emails[0]?.email as string | undefined) ?? null,
    phone: (identity.phones[0]?.phone as string | undefined) ?? null,
    companyId: company ? company.id : null,
    companyRel: company ? company.rel : null,
    companyName: company ? company.name : null,
  };
  const act = emptyActivity();
  const channelsUsed: string[] = [];

  let nConv = CONV_COUNT.pick(rng);
  if (acc.force.conversation && nConv === 0) nConv = 1;
  const convStarts = sortedTimes(rng, nConv, createdMs + MIN, bound - 30 * MIN);
  let lastActivity = createdMs;
  let lastTouch = createdMs;
  for (let j = 0; j < nConv; j++) {
    const forceAll = acc.force.conversation;
    acc.force.conversation = false;
    const convStart = convStarts[j] as number;
    const convId = objectId(rng, imported ? bound : convStart);
    const convRel = relTo('conversation', convId, PATHS.conversation + convId);
    const cr = new ConvRels(ctx, contact.rel, convRel);
    const evPrefix = flat(PATHS.conversation, convId, '/events/');
    const channel = CHANNELS.pick(rng);
    if (!channelsUsed.includes(channel)) channelsUsed.push(channel);
    const agent = rng.chance(0.9) ? pickAgent(ctx) : null;
    const outbound = rng.chance(0.08) && agent !== null;
    const nMsg = MSG_COUNT.pick(rng);
    const subject = channel === 'email' ? rng.pick(SUBJECTS) : null;
    // Message times: squeezed into [convStart, bound].
    const facts: MessageFact[] = [];
    let t = convStart + rng.int(0, 2000);
    const maxGap = rng.chance(0.5) ? 2 * HOUR : 2 * DAY;
    let prevDir: 'in' | 'out' | null = null;
    for (let m = 0; m < nMsg; m++) {
      if (m > 0) {
        const room = (bound - 5 * MIN - t) / (nMsg - m + 1);
        t += Math.max(1, Math.floor(rng.next() * Math.min(maxGap, Math.max(room, 1))));
      }
      const dir: 'in' | 'out' = m === 0 ? (outbound ? 'out' : 'in') : rng.chance(0.55) ? (prevDir === 'in' ? 'out' : 'in') : (prevDir ?? 'in');
      const dirType = m === 0 ? (dir === 'in' ? 'initial-in' : 'initial-out') : dir === 'out' ? (prevDir === 'in' ? 'response-out' : 'followup-out') : 'followup-in';
      const msgId = objectId(rng, imported ? bound : t);
      const nAtt = forceAll && m === 0 ? Math.max(1, ATT_COUNT.pick(rng)) : ATT_COUNT.pick(rng);
      const attIds: string[] = [];
      for (let k = 0; k < nAtt; k++) attIds.push(objectId(rng, imported ? bound : t));
      const createdMsgMs = t + rng.int(5, 400);
      const msgAgent = dir === 'out' ? agent ?? pickAgent(ctx) : null;
      const { res, fact } = buildMessage(ctx, {
        id: msgId,
        customer: contact,
        conversationId: convId,
        rels: cr,
        channel,
        direction: dir,
        directionType: dirType,
        sentMs: t,
        createdMs: createdMsgMs,
        updatedMs: imported ? bound : rng.chance(0.1) ? later(rng, createdMsgMs, 60000, bound) : createdMsgMs,
        importedMs,
        agent: msgAgent,
        subject,
        attachmentIds: attIds,
      });
      data.messages.push(res);
      if (attIds.length > 0) {
        const arels = attachmentRels(ctx, msgId, convRel);
        for (const aid of attIds) data.attachments.push(buildAttachment(ctx, aid, arels));
      }
      facts.push(fact);
      prevDir = dir;
    }
    const lastMsgMs = t;
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
    // Events: a create, then updates spread over the conversation's life.
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
        type: 'conversation_event',
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
    // Conversation times (handle sessions).
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
    // Forwards.
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
      const firstMsg = data.messages[data.messages.length - facts.length];
      const firstAtt = firstMsg?.relationships?.attachments?.data;
      if (Array.isArray(firstAtt) && firstAtt.length > 0 && rng.chance(0.7)) {
        frels.attachments = firstAtt.map((d) => ({ data: { type: 'attachment', id: d.id } })) as unknown as Relationship;
      }
      data.forwards.push(resource('forward', fid, PATHS.forward + fid, fattrs, frels));
    }
    // Activity summary for the customer.
    act.conversations++;
    if (status === 'open') act.open++;
    else if (status === 'snoozed') act.snoozed++;
    else act.done++;
    for (const f of facts) {
      if (f.direction === 'in') {
        if (act.lastInMs === null || f.sentMs >= act.lastInMs) {
          act.lastInMs = f.sentMs;
          act.lastInIso = f.sentIso;
          act.lastInChannel = f.channel;
          act.lastInSentiment = f.sentiment;
        }
      } else if (act.lastOutMs === null || f.sentMs >= act.lastOutMs) {
        act.lastOutMs = f.sentMs;
        act.lastOutIso = f.sentIso;
      }
    }
    const lastFact = facts[facts.length - 1];
    if (lastFact && (act.lastMessageMs === null || lastFact.sentMs >= act.lastMessageMs)) {
      act.lastMessageMs = lastFact.sentMs;
      act.lastMessageIso = lastFact.sentIso;
      act.preview = { previewAt: lastFact.sentIso, type: 'message', channel: lastFact.channel, subject, text: lastFact.preview };
      if (lastFact.direction === 'in' && status !== 'done') {
        act.unrespondedMs = lastFact.sentMs;
        act.unrespondedIso = lastFact.sentIso;
        act.unrespondedChannel = lastFact.channel;
      } else {
        act.unrespondedMs = null;
        act.unrespondedIso = null;
        act.unrespondedChannel = null;
      }
    }
    act.lastConversation = {
      id: convId,
      channels: conv.attributes.channels,
      tags: conv.attributes.tags,
      sentiment: conv.attributes.sentiment,
    };
    if (conv.attributes.satisfaction !== 0 && act.satisfaction === null) {
      const sl = conv.attributes.satisfactionLevel as Attrs;
      const first = { ...sl, conversation: convId };
      act.satisfaction = { firstSatisfaction: first, lastSatisfaction: first, count: 1, acknowledgeCount: 0, avgRating: sl.rating, avgScore: sl.score };
    }
    if (convEnd >= lastActivity) {
      lastActivity = convEnd;
      act.lastActivityIso = lastFact && lastFact.sentMs === convEnd ? lastFact.sentIso : null;
    }
    act.lastActivityMs = lastActivity;
    // Audit history (modest): create + latest update of some conversations.
    if (rng.chance(acc.auditPConversation)) {
      acc.audit.push({ verb: 'create', objectType: 'conversation', objectId: convId, ms: convStart, agent: outbound ? agent : null, client: imported ? 'bulk-import' : outbound ? 'kustomer-web' : 'postmark-inbound', changes: CH_EMPTY, customerId: id });
      if (updatedMs > convStart) acc.audit.push({ verb: 'update', objectType: 'conversation', objectId: convId, ms: updatedMs, agent, client: agent ? 'kustomer-web' : 'business-rules', changes: status === 'done' ? CH_STATUS_DONE : CH_PRIORITY, customerId: id });
    }
  }

  // KObjects (custom objects) for the customer.
  const nK = KOBJ_COUNT.pick(rng);
  for (let k = 0; k < nK; k++) {
    const klass = rng.weighted(ctx.klasses, KLASS_WEIGHTS.slice(0, ctx.klasses.length));
    const kc = Math.floor(rng.float(createdMs, bound));
    const ku = imported ? bound : rng.chance(0.5) ? kc : Math.floor(rng.float(kc, bound));
    const kid = objectId(rng, imported ? bound : kc);
    data.kobjects.push(buildKObject(ctx, { id: kid, klass, customer: contact, createdMs: kc, updatedMs: ku, importedMs }));
    lastTouch = Math.max(lastTouch, ku); // a new/changed custom object moves the customer (recentItems)
    acc.kobjectsPerKlass.set(klass.name, (acc.kobjectsPerKlass.get(klass.name) ?? 0) + 1);
    if (!act.klassNames.includes(klass.name)) act.klassNames.push(klass.name);
    if (act.recentItems.length < 3) act.recentItems.push({ id: kid, type: 'kobject', updatedAt: iso(ku), meta: { klassName: klass.name } });
  }

  // Drafts (unsent replies).
  let nD = DRAFT_COUNT.pick(rng);
  if (acc.force.draft && nD === 0) nD = 1;
  acc.force.draft = false;
  const custConvs = act.conversations;
  for (let k = 0; k < nD; k++) {
    const dc = Math.floor(rng.float(Math.max(createdMs, bound - 60 * DAY), bound));
    const du = rng.chance(0.4) ? Math.floor(rng.float(dc, bound)) : dc;
    const did = objectId(rng, dc);
    const conv = custConvs > 0 && rng.chance(0.6) ? data.conversations[data.conversations.length - 1 - rng.int(0, custConvs - 1)] : undefined;
    const convRel = conv ? relTo('conversation', conv.id, PATHS.conversation + conv.id) : null;
    data.drafts.push(buildDraft(ctx, { id: did, customer: contact, conversationRel: convRel, createdMs: dc, updatedMs: du, agent: pickAgent(ctx) }));
  }

  // The customer itself.
  let updatedMs: number;
  if (group) updatedMs = group.ms;
  else {
    const base = Math.max(createdMs, lastActivity, lastTouch);
    updatedMs = rng.chance(0.1) ? Math.floor(rng.float(base, A)) : later(rng, base, 3 * DAY, A);
  }
  const modifiedMs = imported || rng.chance(0.6) ? updatedMs : Math.floor(rng.float(createdMs, updatedMs));
  const createdBy = imported ? ctx.machine.rel : rng.chance(0.3) ? pickAgent(ctx).rel : null;
  const cust = buildCustomer(ctx, { id, identity, createdMs, updatedMs, modifiedMs, importedMs, company, activity: act, createdBy, channels: channelsUsed });
  data.customers.push(cust);
  if (rng.chance(acc.auditPCustomer)) {
    acc.audit.push({ verb: 'create', objectType: 'customer', objectId: id, ms: imported ? bound : createdMs, agent: createdBy === ctx.machine.rel ? ctx.machine : null, client: imported ? 'bulk-import' : 'api', changes: CH_EMPTY, customerId: id });
    if (updatedMs > createdMs) {
      const agent = group && group.kind !== 'small' ? ctx.machine : rng.chance(0.6) ? pickAgent(ctx) : null;
      const client = group && group.kind !== 'small' ? 'bulk-update' : agent ? 'kustomer-web' : 'business-rules';
      acc.audit.push({ verb: 'update', objectType: 'customer', objectId: id, ms: updatedMs, agent, client, changes: rng.pick(CH_CUSTOMER), customerId: id });
    }
  }
}
const KLASS_WEIGHTS = [60, 15, 25, 10, 10, 10];
const TIMES_PATH = PATHS.conversation + 'times/';

const agentChangeCache = new WeakMap<Agent, Attrs>();
function agentChange(a: Agent): Attrs {
  let c = agentChangeCache.get(a);
  if (!c) {
    c = change('assignedUsers', EMPTY, a.asList);
    agentChangeCache.set(a, c);
  }
  return c;
}
const tagChangeCache = new Map<string, Attrs>();
function tagChange(tagId: string): Attrs {
  let c = tagChangeCache.get(tagId);
  if (!c) {
    c = change('tags', EMPTY, frozenArr([tagId]));
    tagChangeCache.set(tagId, c);
  }
  return c;
}

/** An org with nothing in it: every collection empty. */
export function emptyData(): SandboxData {
  return {
    customers: [],
    conversations: [],
    messages: [],
    notes: [],
    companies: [],
    kobjects: [],
    archived: { customers: [], conversations: [] },
    klasses: [],
    users: [],
    teams: [],
    tags: [],
    brands: [],
    schedules: [],
    cards: [],
    notifications: [],
    outboundAccounts: [],
    queues: [],
    slas: [],
    slaVersions: [],
    satisfactions: [],
    shortcuts: [],
    snoozes: [],
    spamSenders: [],
    routingSettings: [],
    metadata: [],
    conversationEvents: [],
    forwards: [],
    conversationTimes: [],
    attachments: [],
    drafts: [],
    customerMerges: [],
    auditLogs: [],
  };
}

/** Plans tie groups and assigns customers to them (index → group). */
function planTies(rng: Rng, scale: number, A: number): { groups: TieGroup[]; groupOf: Int32Array } {
  const groups: TieGroup[] = [];
  const sizes: number[] = [];
  const lo = A - 400 * DAY;
  // Group instants are drawn inside the window (never clamped onto one edge, which would merge groups).
  const at = (minDaysAgo: number, maxDaysAgo: number): number =>
    Math.floor(rng.float(Math.max(A - maxDaysAgo * DAY, lo + 20 * DAY), A - minDaysAgo * DAY));
  // 1. A data import (migration): hundreds-to-thousands of customers share one updatedAt; at scale >= 1000 it is
  //    larger than a 500-record search page.
  groups.push({ ms: at(150, 330), kind: 'import' });
  sizes.push(scale >= 1000 ? Math.max(640, Math.round(scale * 0.025)) : Math.max(3, Math.round(scale * 0.05)));
  // 2. Bulk updates (business rules / bulk edits).
  for (const [frac, minD, maxD] of [[0.01, 20, 120], [0.005, 5, 60], [0.003, 1, 30], [0.003, 60, 200]] as const) {
    groups.push({ ms: at(minD, maxD), kind: 'bulk' });
    sizes.push(Math.max(2, Math.round(scale * frac)));
  }
  // 3. Many small ties (2-6 records sharing one millisecond).
  const nSmall = Math.max(3, Math.round(scale * 0.02));
  for (let i = 0; i < nSmall; i++) {
    groups.push({ ms: at(0.01, 390), kind: 'small' });
    sizes.push(rng.int(2, 6));
  }
  const groupOf = new Int32Array(scale).fill(-1);
  const order = rng.shuffle([...Array(scale).keys()]);
  let pos = 0;
  for (let g = 0; g < groups.length && pos < scale; g++) {
    const size = sizes[g] as number;
    for (let k = 0; k < size && pos < Math.floor(scale * 0.9); k++) groupOf[order[pos++] as number] = g;
  }
  return { groups, groupOf };
}

export function generateData(opts: GenerateOptions): SandboxData {
  const rng = new Rng(opts.seed);
  const A = opts.anchor.getTime();
  tagChangeCache.clear();
  const scale = Math.max(1, Math.floor(opts.scale));
  const data = emptyData();

  const orgId = objectId(rng, A - 800 * DAY);
  const orgRel = relTo('org', orgId, PATHS.org + orgId);
  Object.assign(data, buildSettings(rng, A, orgRel));
  const ctx = ctxFromData(data, rng);

  // Companies (≈ scale/8); some imported together (one shared timestamp), a few soft-deleted.
  const nCompanies = Math.max(2, Math.round(scale / 8));
  const companyImportMs = Math.floor(A - rng.float(200, 380) * DAY);
  const companies: CompanyInfo[] = [];
  for (let i = 0; i < nCompanies; i++) {
    const importedTogether = rng.chance(0.2);
    const c = importedTogether ? Math.floor(rng.float(A - 400 * DAY, companyImportMs)) : Math.floor(rng.float(A - 400 * DAY, A - DAY));
    const u = importedTogether ? companyImportMs : rng.chance(0.4) ? c : Math.floor(rng.float(c, A));
    const deleted = i === 1 || rng.chance(0.03) ? u : null;
    const id = objectId(rng, importedTogether ? companyImportMs : c);
    const res = buildCompany(ctx, { id, createdMs: c, updatedMs: u, importedMs: importedTogether ? companyImportMs : null, deletedMs: deleted });
    data.companies.push(res);
    if (deleted === null) companies.push({ id, name: String(res.attributes.name), rel: relTo('company', id, PATHS.company + id) });
  }

  const { groups, groupOf } = planTies(rng, scale, A);
  const acc: Acc = {
    data,
    force: { conversation: true, draft: true },
    audit: [],
    auditPCustomer: Math.min(0.3, 3000 / scale),
    auditPConversation: Math.min(0.2, 2000 / scale),
    kobjectsPerKlass: new Map(),
  };
  for (let i = 0; i < scale; i++) {
    const g = groupOf[i] as number;
    genCustomer(ctx, acc, A, g >= 0 ? (groups[g] as TieGroup) : null, companies);
  }

  // Every klass has kobjects, and at least one of each soft-deleted kind exists (small scales).
  const customers = data.customers;
  for (const k of ctx.klasses) {
    if ((acc.kobjectsPerKlass.get(k.name) ?? 0) > 0) continue;
    const c = rng.pick(customers);
    const cMs = Date.parse(String(c.attributes.createdAt));
    const kc = Math.floor(rng.float(cMs, A));
    data.kobjects.push(buildKObject(ctx, { id: objectId(rng, kc), klass: k, customer: contactOf(c), createdMs: kc, updatedMs: kc, importedMs: null }));
  }
  ensureSoftDeleted(rng, data.notes);
  ensureSoftDeleted(rng, data.conversations);

  // A conversation bulk update (e.g. a rule re-tagging old conversations): one shared updatedAt; at scale >= 1000
  // it holds more than 500 conversations.
  const convBulkMs = Math.floor(A - rng.float(3, 40) * DAY);
  const wantConvBulk = scale >= 1000 ? Math.max(520, Math.round(data.conversations.length * 0.01)) : Math.max(2, Math.round(data.conversations.length * 0.02));
  const convCandidates: Resource[] = [];
  for (const c of data.conversations) {
    if (c.attributes.importedAt === null && Date.parse(String(c.attributes.updatedAt)) < convBulkMs && c.attributes.deleted !== true) convCandidates.push(c);
  }
  const bulkTag = ctx.tagIds.length > 0 ? frozenArr([rng.pick(ctx.tagIds)]) : EMPTY;
  const bulkIso = iso(convBulkMs);
  for (const c of rng.sample(convCandidates, wantConvBulk)) {
    c.attributes.updatedAt = bulkIso;
    c.attributes.modifiedAt = bulkIso;
    c.attributes.rev = Number(c.attributes.rev ?? 1) + 1;
    c.attributes.tags = bulkTag;
  }

  // Customer merges (source merged into target; both remain, served under both).
  const nMerges = Math.max(1, Math.round(scale * 0.05));
  for (let i = 0; i < nMerges && customers.length >= 2; i++) {
    const [a, b] = rng.sample(customers, 2) as [Resource, Resource];
    const lo = Math.max(Date.parse(String(a.attributes.createdAt)), Date.parse(String(b.attributes.createdAt)));
    const mc = Math.floor(rng.float(lo, A));
    const mu = rng.chance(0.8) ? later(rng, mc, 5000, A) : mc;
    const id = objectId(rng, mc);
    data.customerMerges.push(
      resource('customer_merge', id, PATHS.merge + id, { status: rng.weighted(['completed', 'failed', 'pending'], [90, 5, 5]), createdAt: iso(mc), updatedAt: iso(mu) }, {
        org: ctx.orgRel,
        source: relTo('customer', a.id, PATHS.customer + a.id),
        target: relTo('customer', b.id, PATHS.customer + b.id),
        createdBy: pickAgent(ctx).rel,
      }),
    );
  }

  // Archived (older than the 2-year search window): updatedAt 2.2-3 years before the anchor.
  const nArchived = Math.max(0, Math.floor(opts.archived ?? 0));
  const archivedContacts: CustomerContact[] = [];
  for (let i = 0; i < nArchived; i++) {
    const u = Math.floor(A - rng.float(2.2, 3) * 365 * DAY);
    const c = Math.floor(u - rng.float(0, 200) * DAY);
    const id = objectId(rng, c);
    const identity = drawIdentity(rng);
    const act = emptyActivity();
    act.conversations = 1;
    act.done = 1;
    act.lastActivityMs = u;
    const cust = buildCustomer(ctx, { id, identity, createdMs: c, updatedMs: u, modifiedMs: u, importedMs: null, company: null, activity: act, createdBy: null, channels: EMPTY_CH });
    data.archived.customers.push(cust);
    archivedContacts.push(contactOf(cust));
  }
  for (let i = 0; i < nArchived; i++) {
    const contact = archivedContacts[i] as CustomerContact;
    const u = Math.floor(A - rng.float(2.2, 3) * 365 * DAY);
    const c = Math.floor(u - rng.float(0, 30) * DAY);
    const id = objectId(rng, c);
    const t = c + rng.int(0, 5000);
    const fact: MessageFact = {
      id: objectId(rng, t),
      sentMs: t,
      sentIso: iso(t),
      createdIso: iso(t + 20),
      direction: 'in',
      directionType: 'initial-in',
      channel: 'email',
      agent: null,
      meta: null,
      sentiment: null,
      preview: rng.pick(IN_TEXTS),
    };
    data.archived.conversations.push(
      buildConversation(ctx, { id, customer: contact, createdMs: c, updatedMs: u, modifiedMs: u, importedMs: null, facts: [fact], noteCount: 0, status: 'done', agent: pickAgent(ctx), deletedMs: null, subject: rng.pick(SUBJECTS) }),
    );
  }

  // Notifications of the API key's own user (auto-removed after 7 days, so all recent).
  const recentMsgs = data.messages.length > 0 ? rng.sample(data.messages, 10) : [];
  for (let i = 0; i < 10; i++) {
    const c = Math.floor(A - rng.float(0, 6.9) * DAY);
    const id = objectId(rng, c);
    const m = recentMsgs[i % Math.max(1, recentMsgs.length)];
    const name = rng.pick(['kustomer.conversation.firstmessagein', 'kustomer.note.mention', 'kustomer.conversation.assigned', 'kustomer.sla.breach']);
    const event: Attrs = m
      ? { name, data: { type: 'message', id: m.id, attributes: { preview: m.attributes.preview, channel: m.attributes.channel }, relationships: { conversation: m.relationships?.conversation, customer: m.relationships?.customer } } }
      : { name, data: null };
    data.notifications.push(
      resource('notification', id, PATHS.notification + id, { name, status: rng.chance(0.6) ? 'unread' : 'read', event, createdAt: iso(c), updatedAt: iso(later(rng, c, HOUR, A)) }, { org: ctx.orgRel, user: ctx.machine.rel }),
    );
  }

  // Audit log: modest history of creates/updates (+ a few deletes of records that no longer exist), oldest first.
  const nOldDeletes = 3 + Math.floor(scale / 1000);
  for (let i = 0; i < nOldDeletes; i++) {
    const ms = Math.floor(A - rng.float(1, 300) * DAY);
    const objectType = i % 2 === 0 ? 'customer' : 'conversation';
    acc.audit.push({ verb: 'delete', objectType, objectId: objectId(rng, ms - rng.int(1, 100) * DAY), ms, agent: pickAgent(ctx), client: 'kustomer-web', changes: CH_EMPTY });
  }
  for (const c of data.companies.slice(0, Math.min(data.companies.length, 200))) {
    acc.audit.push({ verb: 'create', objectType: 'company', objectId: c.id, ms: Date.parse(String(c.attributes.createdAt)), agent: pickAgent(ctx), client: 'api', changes: CH_EMPTY });
  }
  acc.audit.sort((a, b) => a.ms - b.ms);
  let prev: string | undefined;
  for (const a of acc.audit) {
    if (a.ms > A) continue;
    const entry = buildAudit(ctx, prev, { ...a, capMs: A });
    prev = entry.id;
    data.auditLogs.push(entry);
  }
  return data;
}
const EMPTY_CH: string[] = [];

function ensureSoftDeleted(rng: Rng, list: Resource[]): void {
  if (list.length === 0 || list.some((r) => r.attributes.deleted === true)) return;
  const r = rng.pick(list);
  r.attributes.deleted = true;
  r.attributes.deletedAt = r.attributes.updatedAt;
}

/** Contact facts of an existing customer resource. */
export function contactOf(c: Resource): CustomerContact {
  const emails = (c.attributes.emails as Attrs[] | undefined) ?? [];
  const phones = (c.attributes.phones as Attrs[] | undefined) ?? [];
  const company = c.relationships?.company?.data;
  const companyId = company && !Array.isArray(company) ? company.id : null;
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
