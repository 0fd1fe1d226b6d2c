/** One KObject (custom object) record of a klass, typed `kobject.<klass name>`. */
import type { Relationship, Resource } from '../../model';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, flat, resource, type Attrs } from '../json-api';
import type { KlassRef, OrgCtx } from '../org-context';
import { DAY, SEC, iso } from '../time';
import type { CustomerContact } from './customer';

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
  return resource(`kobject.${k.name}`, p.id, k.path + p.id, attrs, rels);
}
