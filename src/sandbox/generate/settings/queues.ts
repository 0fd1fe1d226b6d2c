/** Routing queues (a system default queue, one deleted). */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { EMPTY_OBJ, PATHS, resource, type Attrs } from '../json-api';
import { iso } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildQueues(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, owner } = s;
  const queues: Resource[] = [];
  const queueDefs: Array<[string, string, string | null, number, boolean, boolean]> = [
    ['DEFAULT_QUEUE', 'Default Queue', null, 100, true, false],
    ['email_tier1', 'Email — Tier 1', 'email.en', 50, false, false],
    ['chat', 'Live Chat', 'chat.en', 10, false, false],
    ['vip', 'VIP ⭐', 'vip', 1, false, false],
    ['returns', 'Returns', 'kobject.return', 40, false, false],
    ['soporte_es', 'Soporte (Español)', 'chat.es', 20, false, true],
  ];
  for (const [name, displayName, key, priority, system, deleted] of queueDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const attrs: Attrs = {
      name,
      displayName,
      key,
      description: system ? 'System queue' : `${displayName} work`,
      priority,
      itemSize: name === 'chat' ? 2 : 1,
      restrictTransfersByUsers: false,
      system,
      settings: EMPTY_OBJ,
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      ...stamp(t),
    };
    const rels: Record<string, Relationship> = orgOf();
    if (!system) {
      rels.createdBy = owner;
      rels.modifiedBy = owner;
    }
    queues.push(resource('queue', id, PATHS.queue + id, attrs, rels));
  }
  return queues;
}
