/** Snooze presets in the documented `type`/`value` shape (relative, dynamic, absolute). */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource } from '../json-api';
import { DAY } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildSnoozes(s: StaffedScope): Resource[] {
  const { rng, A, lo, hi, orgOf, owner } = s;
  const snoozes: Resource[] = [];
  const snoozeDefs: Array<[string, string, unknown, boolean]> = [
    ['2 Hours', 'relative', 7200000, true],
    ['1 Day', 'relative', 86400000, true],
    ['1 Week', 'relative', 604800000, false],
    ['Tomorrow 9am', 'dynamic', { day: { type: 'tomorrow', value: '' }, time: '09:00 am' }, true],
    ['Next Monday', 'dynamic', { day: { type: 'absolute', value: 'monday' }, time: '08:30 am' }, true],
    ['After Black Friday', 'absolute', Math.floor((A - 12 * DAY) / DAY) * DAY, true],
  ];
  for (const [name, type, value, enabled] of snoozeDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    snoozes.push(resource('snooze', id, PATHS.snooze + id, { name, enabled, type, value, ...stamp(t) }, { ...orgOf(), createdBy: owner, modifiedBy: owner }));
  }
  return snoozes;
}
