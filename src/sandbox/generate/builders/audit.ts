/** One audit-log entry (ids strictly increase: the log is paged by id). */
import { auditExpiresAt } from '../../../contract/audit-log';
import type { Relationship, Resource } from '../../model';
import { nextObjectIdAfter } from '../../random';
import { PATHS, flat, relTo, resource, type Attrs } from '../json-api';
import type { Agent, OrgCtx } from '../org-context';
import { iso } from '../time';

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
    expiresAt: iso(auditExpiresAt(a.verb, a.objectType, a.ms)),
  };
  const rels: Record<string, Relationship> = {};
  if (a.agent) rels.user = a.agent.rel;
  if (a.customerId) rels.customer = relTo('customer', a.customerId, PATHS.customer + a.customerId);
  return resource('audit_log', id, PATHS.audit + id, attrs, rels);
}
