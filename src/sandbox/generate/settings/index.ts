/**
 * The org's settings collections (users, teams, tags, queues, SLAs, klasses, metadata...), each from its own builder.
 * They are drawn from the one seeded Rng in the fixed order below: reordering them changes every generated record.
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
import { buildUsers } from './users';

export type SettingsData = Pick<
  SandboxData,
  | 'users' | 'teams' | 'tags' | 'brands' | 'schedules' | 'cards' | 'outboundAccounts' | 'queues' | 'slas' | 'slaVersions'
  | 'satisfactions' | 'shortcuts' | 'snoozes' | 'spamSenders' | 'routingSettings' | 'klasses' | 'metadata'
>;

export function buildSettings(rng: Rng, A: number, orgRel: Relationship): SettingsData {
  const s = buildUsers({ rng, A, lo: A - 720 * DAY, hi: A - 1 * DAY, orgOf: () => ({ org: orgRel }) });
  const teams = buildTeams(s);
  const tags = buildTags(s);
  const brands = buildBrands(s);
  const schedules = buildSchedules(s);
  const cards = buildCards(s);
  const outboundAccounts = buildOutboundAccounts(s);
  const queues = buildQueues(s);
  const { slas, slaVersions } = buildSlas(s);
  const satisfactions = buildSatisfactions(s);
  const shortcuts = buildShortcuts(s, tags, teams);
  const snoozes = buildSnoozes(s);
  const spamSenders = buildSpamSenders(s);
  const routingSettings = buildRoutingSettings(s, teams, queues);
  const klasses = buildKlasses(s);
  const metadata = buildMetadata(s);
  return {
    users: s.users, teams, tags, brands, schedules, cards, outboundAccounts, queues, slas, slaVersions,
    satisfactions, shortcuts, snoozes, spamSenders, routingSettings, klasses, metadata,
  };
}
