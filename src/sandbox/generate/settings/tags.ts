/** Tags (two of them deleted). */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource, type Attrs } from '../json-api';
import { iso } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

const TAG_NAMES = [
  'refund', 'shipping-delay', 'vip', 'damaged', 'exchange', 'billing', 'bug', 'feature-request', 'churn-risk', 'wholesale',
  'priority', 'fraud-check', 'réclamation', 'devolución', '返品', 'follow-up', 'urgent 🔥', 'escalated', 'spam', 'survey',
  'promo', 'gift-card', 'subscription', 'address-change', 'out-of-stock', 'warranty', 'size-guide', 'feedback', 'press', 'legacy',
];
const COLORS = ['#e53935', '#8e24aa', '#3949ab', '#039be5', '#00897b', '#7cb342', '#fdd835', '#fb8c00', '#6d4c41', '#546e7a'];

export function buildTags(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, userRels } = s;
  const tags: Resource[] = [];
  for (let i = 0; i < 30; i++) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const deleted = i === 29 || i === 13;
    const by = rng.pick(userRels.slice(0, 22));
    const attrs: Attrs = { name: TAG_NAMES[i], color: rng.pick(COLORS), deleted, deletedAt: deleted ? iso(t.u) : null, ...stamp(t) };
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    tags.push(resource('tag', id, PATHS.tag + id, attrs, rels));
  }
  return tags;
}
