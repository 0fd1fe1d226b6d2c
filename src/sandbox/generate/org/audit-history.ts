/**
 * The audit log: the creates/updates gathered while customers were generated, a few deletes of records that no longer
 * exist and the first companies' creates, written oldest first with strictly increasing ids.
 */
import { objectId } from '../../random';
import { buildAudit } from '../builders/audit';
import { CH_EMPTY } from '../changes';
import { pickAgent, type OrgCtx } from '../org-context';
import { DAY } from '../time';
import type { Acc } from './life';

export function writeAuditLog(ctx: OrgCtx, acc: Acc, A: number, scale: number): void {
  const rng = ctx.rng;
  const data = acc.data;
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
}
