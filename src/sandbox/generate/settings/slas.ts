/** SLAs and their versions (each SLA revised one or more times; the current version is the last). */
import type { RelRef, Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, relTo, resource, type Attrs } from '../json-api';
import { DAY, iso } from '../time';
import type { StaffedScope } from './scope';

export function buildSlas(s: StaffedScope): { slas: Resource[]; slaVersions: Resource[] } {
  const { rng, lo, hi, orgOf, owner } = s;
  const slas: Resource[] = [];
  const slaVersions: Resource[] = [];
  const slaDefs: Array<[string, number, Attrs]> = [
    ['Standard Email', 3, { and: [{ conversation_channel: { operator: 'equals', value: 'email' } }], or: [] }],
    ['VIP Chat', 2, { and: [{ conversation_channel: { operator: 'equals', value: 'chat' } }], or: [{ customer_tags: { operator: 'contains', value: 'vip' } }, { conversation_priority: { operator: 'lte', value: '2' } }] }],
    ['Social', 1, { or: [{ conversation_channel: { operator: 'equals', value: 'facebook' } }, { conversation_channel: { operator: 'equals', value: 'instagram' } }] }],
  ];
  for (const [name, nVersions, criteria] of slaDefs) {
    const c = Math.floor(rng.float(lo, hi - 60 * DAY));
    const id = objectId(rng, c);
    const versionRefs: RelRef[] = [];
    let vt = c;
    for (let v = 1; v <= nVersions; v++) {
      const vid = objectId(rng, vt);
      versionRefs.push({ type: 'sla_version', id: vid });
      const metric = (base: number, enabled: boolean): Attrs => ({ enabled, times: { '1': base / 4, '2': base / 2, '3': base, '4': base * 2, '5': base * 4 } });
      slaVersions.push(
        resource('sla_version', vid, `${PATHS.sla}${id}/versions/${vid}`, {
          name: v === nVersions ? name : `${name} (v${v})`,
          description: v === 1 ? `${name} targets` : `${name} — revised targets v${v}`,
          version: v,
          hours: rng.pick(['business', 'calendar']),
          metrics: {
            firstResponse: metric(3600 * (v + 1), true),
            longestUnrespondedMessage: metric(7200, v > 1),
            totalConversationOpenTime: metric(86400, false),
            totalCustomerWaitTime: metric(43200, v === nVersions),
            nextReply: { ...metric(14400, v > 2), basedOnHumanInteraction: true },
          },
          criteria: v === 1 && nVersions > 1 ? { and: [{ conversation_channel: { operator: 'equals', value: 'email' } }] } : criteria,
          createdAt: iso(vt),
        }, { ...orgOf(), createdBy: owner, sla: relTo('sla', id, PATHS.sla + id) }),
      );
      vt = Math.floor(rng.float(vt + DAY, vt + 20 * DAY));
    }
    slas.push(resource('sla', id, PATHS.sla + id, { currentVersion: nVersions, createdAt: iso(c) }, { ...orgOf(), createdBy: owner, versions: { data: versionRefs } }));
  }
  return { slas, slaVersions };
}
