/**
 * One customer's whole life: its conversations (with everything hanging off them), kobjects, drafts, the customer
 * record summarising them, and (sometimes) its audit history. Everything happens before its `bound`.
 */
import { Weighted, objectId } from '../../random';
import { type CompanyInfo } from '../builders/company';
import { buildCustomer, drawIdentity, emptyActivity, type CustomerContact } from '../builders/customer';
import { buildDraft } from '../builders/draft';
import { buildKObject } from '../builders/kobject';
import { CH_CUSTOMER, CH_EMPTY } from '../changes';
import { PATHS, relTo } from '../json-api';
import { pickAgent, type OrgCtx } from '../org-context';
import { DAY, HOUR, MIN, iso, later, sortedTimes } from '../time';
import { genConversation } from './conversation-life';
import type { Acc, CustomerLife } from './life';
import type { TieGroup } from './ties';

const CONV_COUNT = new Weighted<number>([[0, 18], [1, 40], [2, 24], [3, 11], [4, 5], [6, 2]]);
const DRAFT_COUNT = new Weighted<number>([[0, 76], [1, 18], [2, 6]]);
const KOBJ_COUNT = new Weighted<number>([[0, 65], [1, 22], [2, 9], [3, 4]]);
const KLASS_WEIGHTS = [60, 15, 25, 10, 10, 10];

export function genCustomer(ctx: OrgCtx, acc: Acc, A: number, group: TieGroup | null, companies: CompanyInfo[]): void {
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
  const life: CustomerLife = { A, bound, imported, importedMs, contact, act, channelsUsed, lastActivity: createdMs };
  let lastTouch = createdMs;
  for (let j = 0; j < nConv; j++) genConversation(ctx, acc, life, convStarts[j] as number);
  const lastActivity = life.lastActivity;

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
