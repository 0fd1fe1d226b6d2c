/**
 * Changes to existing records: an agent's edit of one field per record (`update`), an API bulk update that tags
 * many records with one instant (`bulkUpdate`), a soft delete (`softDelete`) and a customer losing one of several
 * emails (`removeEmail`). Each stamps `now` and writes an `update` audit entry where Kustomer audits the object.
 */
import type { Resource } from '../model';
import { type Agent, type Attrs, EMPTY, flat } from '../generate';
import { reopen } from './conversation-activity';
import { change, notDeleted } from './records';
import type { Core, Mut } from './working-state';

/** One agent edit of a record's attributes; returns the audit entry's changes. */
function edit(m: Mut, c: Core, a: Attrs): Attrs {
  const rng = m.rng;
  switch (c) {
    case 'customers': {
      if (rng.chance(0.5)) {
        const custom = (a.custom as Attrs | undefined) ?? {};
        const before = custom.loyaltyTierStr ?? null;
        const after = rng.pick(['bronze', 'silver', 'gold', 'platinum'].filter((t) => t !== before));
        a.custom = { ...custom, loyaltyTierStr: after };
        return change('custom', { loyaltyTierStr: before }, { loyaltyTierStr: after });
      }
      const before = (a.tags as readonly string[] | undefined) ?? EMPTY;
      const tag = m.ctx.tagIds.length > 0 ? rng.pick(m.ctx.tagIds) : null;
      const after = tag && !before.includes(tag) ? [...before, tag] : before.slice(1);
      a.tags = after;
      return change('tags', before, after);
    }
    case 'conversations': {
      const before = a.status;
      const after = before === 'done' ? 'open' : 'done';
      a.status = after;
      if (after === 'done') {
        a.open = null;
        a.doneCount = Number(a.doneCount ?? 0) + 1;
      } else reopen(m, a);
      a.priority = rng.int(1, 5);
      return change('status', before, after);
    }
    case 'messages': {
      a.sentiment = rng.pick(m.ctx.sentiments);
      a.custom = { ...((a.custom as Attrs | undefined) ?? {}), campaignStr: rng.pick(['spring-sale', 'winback-q3', 'nps-2024']) };
      return change('sentiment', null, a.sentiment);
    }
    case 'notes': {
      const before = a.body;
      a.body = flat(String(before ?? ''), rng.pick([' (edited)', '\nUpdate: resolved ✅', ' — vu']));
      return change('body', before, a.body);
    }
    case 'companies': {
      const before = a.employeeCount;
      a.employeeCount = rng.int(1, 5000);
      a.custom = { ...((a.custom as Attrs | undefined) ?? {}), enterpriseBool: rng.chance(0.5) };
      return change('employeeCount', before, a.employeeCount);
    }
    case 'kobjects': {
      const custom = (a.custom as Attrs | undefined) ?? {};
      a.custom = { ...custom, fulfilledBool: true, activeBool: rng.chance(0.7) };
      return change('custom', null, a.custom);
    }
  }
}

/** Stamps the change on `r`, counts it and audits it. */
function record(m: Mut, c: Core, r: Resource, by: Agent | null, changes: Attrs, client?: string): void {
  m.bump(r, by);
  m.sum.upd(c, r.id);
  m.auditIfCore('update', c, r, by, changes, client);
}

export function doUpdate(m: Mut, c: Core, count: number): void {
  for (const r of m.pick(m.data[c], count, notDeleted)) {
    const by = m.agent();
    record(m, c, r, by, edit(m, c, r.attributes));
  }
}

export function doBulkUpdate(m: Mut, c: 'customers' | 'conversations', count: number): void {
  const by = m.ctx.machine;
  const tag = m.ctx.tagIds.length > 0 ? m.rng.pick(m.ctx.tagIds) : null;
  for (const r of m.pick(m.data[c], count, notDeleted)) {
    const before = (r.attributes.tags as readonly string[] | undefined) ?? EMPTY;
    if (tag && !before.includes(tag)) r.attributes.tags = [...before, tag];
    record(m, c, r, by, change('tags', before, r.attributes.tags), 'bulk-update');
  }
}

export function doSoftDelete(m: Mut, c: 'companies' | 'notes' | 'conversations', count: number): void {
  for (const r of m.pick(m.data[c], count, notDeleted)) {
    const by = m.agent();
    r.attributes.deleted = true;
    r.attributes.deletedAt = m.nowIso;
    m.bump(r, by);
    // Companies carry no deletedBy relationship (kustomer-fields.md §21); notes and conversations do.
    if (c !== 'companies') r.relationships = { ...r.relationships, deletedBy: by.rel };
    m.sum.upd(c, r.id);
    m.auditIfCore('update', c, r, by, change('deleted', false, true));
  }
}

export function doRemoveEmail(m: Mut, count: number): void {
  for (const r of m.pick(m.data.customers, count, (c) => ((c.attributes.emails as unknown[] | undefined) ?? []).length >= 2)) {
    const before = r.attributes.emails as Attrs[];
    const drop = m.rng.int(0, before.length - 1);
    const after = before.filter((_, i) => i !== drop);
    r.attributes.emails = after;
    const by = m.agent();
    record(m, 'customers', r, by, change('emails', before, after));
  }
}
