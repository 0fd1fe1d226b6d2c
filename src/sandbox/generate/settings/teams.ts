/** Teams; agents belong to one or more. */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { EMPTY, PATHS, resource } from '../json-api';
import { DAY } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

const TEAM_NAMES = ['Tier 1', 'Tier 2 — Billing', 'VIP Concierge', 'Returns & Exchanges', 'Soporte Español'];

export function buildTeams(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, users, owner } = s;
  const agentIdx = [...Array(22).keys()].slice(1); // 1..21
  const teams: Resource[] = [];
  for (let i = 0; i < TEAM_NAMES.length; i++) {
    const t = settingsTimes(rng, lo + 2 * DAY, hi);
    const id = objectId(rng, t.c);
    const members = agentIdx.filter((u, j) => j % TEAM_NAMES.length === i || (rng.chance(0.15) && u > 0)).map((u) => (users[u] as Resource).id);
    teams.push(
      resource('team', id, PATHS.team + id, {
        name: TEAM_NAMES[i],
        displayName: TEAM_NAMES[i],
        icon: rng.pick(['users', 'star', 'dollar', 'globe', 'refresh']),
        members,
        roleGroups: EMPTY,
        deleted: false,
        deletedAt: null,
        ...stamp(t),
      }, { ...orgOf(), createdBy: owner, modifiedBy: owner }),
    );
  }
  return teams;
}
