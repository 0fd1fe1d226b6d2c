/** Team routing settings: one per team (id = the team's id), naming the live queues the team works. */
import type { Resource } from '../../model';
import { EMPTY, PATHS, resource } from '../json-api';
import { settingsTimes, stamp, type SettingsScope } from './scope';

export function buildRoutingSettings(s: SettingsScope, teams: Resource[], queues: Resource[]): Resource[] {
  const { rng, hi, orgOf } = s;
  const routingSettings: Resource[] = [];
  const liveQueues = queues.filter((q) => q.attributes.deleted !== true);
  for (const [i, team] of teams.entries()) {
    const t = settingsTimes(rng, Date.parse(String(team.attributes.createdAt)), hi);
    const qs = rng.sample(liveQueues, rng.int(1, 3)).map((q) => q.id);
    routingSettings.push(
      resource('team_routing_setting', team.id, PATHS.routing + team.id, {
        enabled: i !== 4,
        queues: qs,
        externalQueues: i === 1 ? ['amazon-connect'] : EMPTY,
        capacity: { email: 10, chat: 3, sms: 5, voice: 1 },
        workItemCapacity: rng.int(3, 12),
        ...stamp(t),
      }, orgOf()),
    );
  }
  return routingSettings;
}
