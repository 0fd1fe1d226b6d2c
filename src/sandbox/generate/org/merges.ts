/** Customer merges (source merged into target; both remain, served under both). */
import type { Resource, SandboxData } from '../../model';
import { objectId } from '../../random';
import { PATHS, relTo, resource } from '../json-api';
import { pickAgent, type OrgCtx } from '../org-context';
import { iso, later } from '../time';

export function genMerges(ctx: OrgCtx, data: SandboxData, A: number, scale: number): void {
  const rng = ctx.rng;
  const customers = data.customers;
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
}
