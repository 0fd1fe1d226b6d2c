/** Business-hour schedules (one deleted). */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource, type Attrs } from '../json-api';
import { iso } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildSchedules(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, owner } = s;
  const schedules: Resource[] = [];
  const weekday = [[480, 1020]];
  const schedDefs: Array<[string, string, Attrs, boolean]> = [
    ['Business Hours (US)', 'America/New_York', { '0': null, '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': null }, false],
    ['EMEA Support', 'Europe/Berlin', { '0': null, '1': [[420, 720], [780, 1080]], '2': [[420, 1080]], '3': [[420, 1080]], '4': [[420, 1080]], '5': [[420, 960]], '6': null }, false],
    ['Holiday hours 2023', 'America/Los_Angeles', { '0': null, '1': [[600, 900]], '2': [[600, 900]], '3': null, '4': null, '5': null, '6': null }, true],
  ];
  for (const [i, [name, tz, hours, deleted]] of schedDefs.entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: owner, modifiedBy: owner };
    if (deleted) rels.deletedBy = owner;
    schedules.push(resource('schedule', id, PATHS.schedule + id, { name, hours, timezone: tz, default: i === 0, deleted, deletedAt: deleted ? iso(t.u) : null, ...stamp(t) }, rels));
  }
  return schedules;
}
