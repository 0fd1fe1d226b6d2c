/**
 * Change sets (`{attributes: {<attr>: {op, before, after}}}`) shared by conversation events and audit entries.
 * Frozen and pooled: thousands of records point at the same few objects.
 */
import type { Agent } from './org-context';
import { EMPTY, EMPTY_OBJ, frozenArr, type Attrs } from './json-api';

export function change(attr: string, before: unknown, after: unknown): Attrs {
  return Object.freeze({ attributes: Object.freeze({ [attr]: Object.freeze({ op: 'replace', before, after }) }), relationships: EMPTY_OBJ });
}
export const CH_STATUS_DONE = change('status', 'open', 'done');
export const CH_STATUS_OPEN = change('status', 'done', 'open');
export const CH_STATUS_SNOOZED = change('status', 'open', 'snoozed');
export const CH_PRIORITY = change('priority', 3, 2);
export const CH_NAME = change('name', 'Question', 'Order question');
export const CH_CUSTOMER = [
  change('custom', Object.freeze({ loyaltyTierStr: 'silver' }), Object.freeze({ loyaltyTierStr: 'gold' })),
  change('locale', null, 'fr-FR'),
  change('phones', EMPTY, Object.freeze([Object.freeze({ phone: '+15550123456', type: 'mobile', verified: false })])),
  change('externalId', null, 'cus_7c1f00a2'),
] as const;
export const CH_EMPTY: Attrs = Object.freeze({ attributes: EMPTY_OBJ, relationships: EMPTY_OBJ });

const agentChangeCache = new WeakMap<Agent, Attrs>();
export function agentChange(a: Agent): Attrs {
  let c = agentChangeCache.get(a);
  if (!c) {
    c = change('assignedUsers', EMPTY, a.asList);
    agentChangeCache.set(a, c);
  }
  return c;
}
const tagChangeCache = new Map<string, Attrs>();
export function tagChange(tagId: string): Attrs {
  let c = tagChangeCache.get(tagId);
  if (!c) {
    c = change('tags', EMPTY, frozenArr([tagId]));
    tagChangeCache.set(tagId, c);
  }
  return c;
}


/** Drops the pooled tag change sets of an earlier generated org (tag ids differ between orgs). */
export function forgetTagChanges(): void {
  tagChangeCache.clear();
}
