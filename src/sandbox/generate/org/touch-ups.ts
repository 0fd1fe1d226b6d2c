/**
 * After every customer exists: every klass gets kobjects and each soft-deletable kind at least one soft delete (small
 * scales), and a bulk update gives many conversations one shared updatedAt.
 */
import type { Resource } from '../../model';
import { objectId, type Rng } from '../../random';
import { buildKObject } from '../builders/kobject';
import { contactOf } from '../builders/customer';
import { EMPTY, frozenArr } from '../json-api';
import type { OrgCtx } from '../org-context';
import { DAY, iso } from '../time';
import type { Acc } from './life';

export function touchUp(ctx: OrgCtx, acc: Acc, A: number, scale: number): void {
  const rng = ctx.rng;
  const data = acc.data;
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
}

function ensureSoftDeleted(rng: Rng, list: Resource[]): void {
  if (list.length === 0 || list.some((r) => r.attributes.deleted === true)) return;
  const r = rng.pick(list);
  r.attributes.deleted = true;
  r.attributes.deletedAt = r.attributes.updatedAt;
}
