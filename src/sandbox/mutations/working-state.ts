/**
 * The working state of one applyMutation call: the org being changed, its generation context, a seeded random
 * stream, the instant every change is stamped with, the audit log's newest id and the running Summary.
 *
 * Shared (frozen) nested values and relationship containers produced by generate/ are always REPLACED by the
 * mutations, never edited in place.
 */
import type { CollectionName, Resource, SandboxData } from '../model';
import { Rng } from '../random';
import { type Agent, type Attrs, type OrgCtx, buildAudit, ctxFromData, iso } from '../generate';
import { relId } from '../relationships';
import { Summary } from './summary';

export type Core = 'customers' | 'conversations' | 'messages' | 'notes' | 'companies' | 'kobjects';

export interface MutationOptions {
  /**
   * Which deletes reach the audit log (UNCONFIRMED in Kustomer's docs): `all` logs every object a delete removes,
   * including the messages and notes of a deleted conversation; `root` logs only the customers, conversations and
   * KObjects deleted as such. Default `all`.
   */
  auditCascade?: 'all' | 'root';
}

/** Collections whose creates/updates reach the audit log: object types the audit log documents. */
const AUDITED: Partial<Record<CollectionName, string>> = { customers: 'customer', conversations: 'conversation', messages: 'message', companies: 'company' };

export class Mut {
  readonly rng: Rng;
  readonly ctx: OrgCtx;
  readonly nowMs: number;
  readonly nowIso: string;
  readonly sum = new Summary();
  private lastAuditId: string | undefined;

  constructor(
    readonly data: SandboxData,
    now: Date,
    seed: number,
    readonly opts: MutationOptions = {},
  ) {
    this.rng = new Rng(seed);
    this.ctx = ctxFromData(data, this.rng);
    this.nowMs = now.getTime();
    this.nowIso = iso(this.nowMs);
    for (const a of data.auditLogs) if (this.lastAuditId === undefined || a.id > this.lastAuditId) this.lastAuditId = a.id;
  }

  agent(): Agent {
    return this.rng.pick(this.ctx.agents);
  }

  agentById(id: string | undefined): Agent {
    return this.ctx.agents.find((a) => a.id === id) ?? this.agent();
  }

  /** Stamps `now` on updatedAt (+ modifiedAt, rev, modifiedBy where the record has them). */
  bump(r: Resource, by: Agent | null): void {
    const a = r.attributes;
    a.updatedAt = this.nowIso;
    if ('modifiedAt' in a) a.modifiedAt = this.nowIso;
    if (typeof a.rev === 'number') a.rev = a.rev + 1;
    if (by && r.relationships && 'modifiedBy' in r.relationships) r.relationships = { ...r.relationships, modifiedBy: by.rel };
  }

  audit(verb: 'create' | 'update' | 'delete', objectType: string, objectId: string, by: Agent | null, changes: Attrs, customerId?: string | null, client = 'kustomer-web'): void {
    const entry = buildAudit(this.ctx, this.lastAuditId, { verb, objectType, objectId, ms: this.nowMs, agent: by, client, changes, customerId: customerId ?? null, capMs: this.nowMs });
    this.lastAuditId = entry.id;
    this.data.auditLogs.push(entry);
    this.sum.cre('auditLogs', entry.id);
  }

  /** Audit entry when the collection is one Kustomer audits for creates/updates. */
  auditIfCore(verb: 'create' | 'update', c: CollectionName, r: Resource, by: Agent | null, changes: Attrs, client?: string): void {
    const objectType = AUDITED[c];
    if (!objectType) return;
    const customerId = c === 'customers' ? r.id : relId(r, 'customer');
    this.audit(verb, objectType, r.id, by, changes, customerId, client);
  }

  /** Up to `count` distinct records passing `ok`, chosen at random. */
  pick(list: Resource[], count: number, ok: (r: Resource) => boolean = () => true): Resource[] {
    const want = Math.max(0, Math.floor(count));
    if (want === 0 || list.length === 0) return [];
    const out: Resource[] = [];
    const seen = new Set<number>();
    for (const i of this.rng.sampleIndices(list.length, Math.min(list.length, want * 4 + 16))) {
      const r = list[i] as Resource;
      seen.add(i);
      if (ok(r)) out.push(r);
      if (out.length === want) return out;
    }
    const rest: Resource[] = [];
    for (let i = 0; i < list.length; i++) if (!seen.has(i) && ok(list[i] as Resource)) rest.push(list[i] as Resource);
    return out.concat(this.rng.sample(rest, want - out.length));
  }
}
