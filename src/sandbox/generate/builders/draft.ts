/** One draft record (an unsent reply of a customer's conversation). */
import type { Relationship, Resource } from '../../model';
import { EMPTY_OBJ, PATHS, resource, type Attrs } from '../json-api';
import type { Agent, OrgCtx } from '../org-context';
import { DRAFTJS_POOL, LANGS, OUT_TEXTS, SUBJECTS } from '../text-pools';
import { iso } from '../time';
import type { CustomerContact } from './customer';

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
