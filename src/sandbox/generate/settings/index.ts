/**
 * The org's settings collections (users, teams, tags, queues, SLAs, klasses, metadata...), each from its own builder.
 * The first ones share the org's main Rng in the fixed order below (reordering them, or one more draw among them,
 * changes every later record of every seed). A collection added since draws from its own Rng (`s.own(name)`), so
 * adding it leaves every existing record as it was.
 */
import type { Relationship, SandboxData } from '../../model';
import type { Rng } from '../../random';
import { DAY } from '../time';
import { buildBrands } from './brands';
import { buildCards } from './cards';
import { buildKlasses } from './klasses';
import { buildMetadata } from './metadata';
import { buildOutboundAccounts } from './outbound-accounts';
import { buildQueues } from './queues';
import { buildRoutingSettings } from './routing-settings';
import { buildSatisfactions } from './satisfactions';
import { buildSchedules } from './schedules';
import { buildShortcuts } from './shortcuts';
import { buildSlas } from './slas';
import { buildSnoozes } from './snoozes';
import { buildSpamSenders } from './spam-senders';
import { buildTags } from './tags';
import { buildTeams } from './teams';
import { ownRng } from './scope';
import { buildUsers } from './users';

/**
 * Fills the settings collections of `data`. `seed` seeds the own Rng of collections added after the first release
 * (see `SettingsScope.own`); `rng` is the org's main stream.
 */
export function buildSettings(data: SandboxData, seed: number, rng: Rng, A: number, orgRel: Relationship): void {
  const s = buildUsers({ rng, own: ownRng(seed), A, lo: A - 720 * DAY, hi: A - 1 * DAY, orgOf: () => ({ org: orgRel }) });
  data.users = s.users;
  data.teams = buildTeams(s);
  data.tags = buildTags(s);
  data.brands = buildBrands(s);
  data.schedules = buildSchedules(s);
  data.cards = buildCards(s);
  data.outboundAccounts = buildOutboundAccounts(s);
  data.queues = buildQueues(s);
  ({ slas: data.slas, slaVersions: data.slaVersions } = buildSlas(s));
  data.satisfactions = buildSatisfactions(s);
  data.shortcuts = buildShortcuts(s, data.tags, data.teams);
  data.snoozes = buildSnoozes(s);
  data.spamSenders = buildSpamSenders(s);
  data.routingSettings = buildRoutingSettings(s, data.teams, data.queues);
  data.klasses = buildKlasses(s);
  data.metadata = buildMetadata(s);
  // A new settings collection goes here, drawing from `s.own('<collection>')`.
}
