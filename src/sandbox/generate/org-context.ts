/**
 * The org context: ids and shared relationship objects of the settings records. generateData builds it once from
 * the generated settings; mutations and the write API rebuild it from whatever data they hold.
 */
import type { Relationship, Resource, SandboxData } from '../model';
import type { Rng } from '../random';
import { relId } from '../relationships';
import { PATHS, flat, frozenArr, relTo, type Attrs } from './json-api';

export interface Ref {
  id: string;
  rel: Relationship;
}
export interface Agent extends Ref {
  name: string;
  email: string;
  /** Frozen `[teamId...]` (createdByTeams). */
  teams: readonly string[];
  /** Frozen `[userId]` (assignedUsers). */
  asList: readonly string[];
}
export interface TeamRef extends Ref {
  asList: readonly string[];
}
export interface KlassRef extends Ref {
  name: string;
  /** `/v1/klasses/<name>/` (flat, shared by the klass's kobject links). */
  path: string;
  displayName: string;
  icon: string;
  mixins: readonly string[];
}
export interface SlaRef extends Ref {
  name: string;
  version: number;
  versionRef: Ref;
}

export interface OrgCtx {
  rng: Rng;
  orgId: string;
  orgRel: Relationship;
  agents: Agent[];
  machine: Agent;
  teams: TeamRef[];
  tagIds: string[];
  /** Frozen arrays of 1-3 tag ids (shared by records). */
  tagCombos: ReadonlyArray<readonly string[]>;
  brands: Ref[];
  queues: Ref[];
  slas: SlaRef[];
  shortcuts: Ref[];
  /** Frozen to-many `{data:[shortcut]}` per shortcut. */
  shortcutRels: Relationship[];
  /** Frozen single-mention `userMentions` relationships (users and teams). */
  mentionRels: Relationship[];
  klasses: KlassRef[];
  satisfactionIds: string[];
  supportEmail: string;
  /** Frozen `meta.to` variants addressed to the support mailbox (string / object / list). */
  supportToVariants: readonly unknown[];
  supportRecipient: Attrs;
  sentiments: ReadonlyArray<Readonly<Attrs>>;
}

/** Builds the context from the settings collections of `data` (used by generateData and by mutations). */
export function ctxFromData(data: SandboxData, rng: Rng): OrgCtx {
  const anyRes = data.users[0] ?? data.customers[0];
  const orgId = (anyRes && relId(anyRes, 'org')) ?? '000000000000000000000000';
  const teamsOf = new Map<string, string[]>();
  const teams: TeamRef[] = [];
  for (const t of data.teams) {
    if (t.attributes.deleted === true) continue;
    teams.push({ id: t.id, rel: relTo('team', t.id, PATHS.team + t.id), asList: frozenArr([t.id]) });
    for (const m of (t.attributes.members as string[] | undefined) ?? []) {
      const list = teamsOf.get(m) ?? [];
      list.push(t.id);
      teamsOf.set(m, list);
    }
  }
  const mkAgent = (u: Resource): Agent => ({
    id: u.id,
    rel: relTo('user', u.id, PATHS.user + u.id),
    name: String(u.attributes.name ?? ''),
    email: String(u.attributes.email ?? ''),
    teams: frozenArr(teamsOf.get(u.id) ?? []),
    asList: frozenArr([u.id]),
  });
  const agents = data.users.filter((u) => u.attributes.userType === 'user' && u.attributes.deleted !== true).map(mkAgent);
  const machineUser = data.users.find((u) => u.attributes.userType === 'machine');
  const fallbackUser = data.users[0];
  if (agents.length === 0 && fallbackUser) agents.push(mkAgent(fallbackUser));
  const machine = machineUser ? mkAgent(machineUser) : (agents[0] as Agent);
  const tagIds = data.tags.filter((t) => t.attributes.deleted !== true).map((t) => t.id);
  const tagCombos: (readonly string[])[] = [];
  if (tagIds.length > 0) {
    for (let i = 0; i < 48; i++) tagCombos.push(frozenArr(rng.sample(tagIds, rng.weighted([1, 2, 3], [6, 3, 1]))));
  }
  const ref = (type: string, path: string) => (r: Resource): Ref => ({ id: r.id, rel: relTo(type, r.id, path + r.id) });
  const slas: SlaRef[] = [];
  for (const s of data.slas) {
    const cur = Number(s.attributes.currentVersion ?? 1);
    const v = data.slaVersions.find((x) => relId(x, 'sla') === s.id && x.attributes.version === cur);
    if (!v) continue;
    slas.push({
      id: s.id,
      rel: relTo('sla', s.id, PATHS.sla + s.id),
      name: String(v.attributes.name ?? ''),
      version: cur,
      versionRef: { id: v.id, rel: relTo('sla_version', v.id, v.links?.self ?? PATHS.sla + s.id) },
    });
  }
  const shortcuts = data.shortcuts.filter((s) => s.attributes.deleted !== true).map(ref('shortcut', PATHS.shortcut));
  const shortcutRels = shortcuts.map((s) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'shortcut', id: s.id })]) }) as Relationship);
  const mentionRels: Relationship[] = [
    ...agents.slice(0, 8).map((a) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'user', id: a.id })]) }) as Relationship),
    ...teams.map((t) => Object.freeze({ data: frozenArr([Object.freeze({ type: 'team', id: t.id })]) }) as Relationship),
  ];
  const klasses: KlassRef[] = data.klasses.map((k) => ({
    id: k.id,
    // KObjects name their klass by its name, not its 24-hex id (published examples and recorded responses).
    rel: Object.freeze({ data: Object.freeze({ type: 'klass', id: String(k.attributes.name) }), link: Object.freeze({ self: PATHS.klass + String(k.attributes.name) }) }),
    name: String(k.attributes.name),
    path: flat(PATHS.klass, String(k.attributes.name), '/'),
    displayName: String(k.attributes.displayName ?? k.attributes.name),
    icon: String(k.attributes.icon ?? 'cube'),
    mixins: frozenArr([...((k.attributes.mixins as string[] | undefined) ?? [])]),
  }));
  const sentiments: Attrs[] = [];
  for (const polarity of [-1, 0, 1]) {
    for (const confidence of [0.51, 0.62, 0.73, 0.84, 0.95]) sentiments.push(Object.freeze({ polarity, confidence }));
  }
  const brandEmail = 'support@' + 'brand.example.com';
  return {
    rng,
    orgId,
    orgRel: relTo('org', orgId, PATHS.org + orgId),
    agents,
    machine,
    teams,
    tagIds,
    tagCombos,
    brands: data.brands.map(ref('brand', PATHS.brand)),
    queues: data.queues.filter((q) => q.attributes.deleted !== true).map(ref('queue', PATHS.queue)),
    slas,
    shortcuts,
    shortcutRels,
    mentionRels,
    klasses,
    satisfactionIds: data.satisfactions.map((s) => s.id),
    supportEmail: brandEmail,
    supportToVariants: frozenArr([
      brandEmail,
      Object.freeze({ email: brandEmail, name: 'Support' }),
      Object.freeze({ email: brandEmail }),
      frozenArr([Object.freeze({ email: brandEmail, name: 'Support' })]),
      frozenArr([Object.freeze({ email: brandEmail, name: 'Support' }), Object.freeze({ email: 'sales@brand.example.com', name: 'Sales' })]),
      frozenArr([Object.freeze({ email: brandEmail })]),
    ]),
    supportRecipient: Object.freeze({ email: brandEmail, mailboxHash: '' }),
    sentiments,
  };
}

/** A random agent of the org (a user who answers conversations). */
export function pickAgent(ctx: OrgCtx): Agent {
  return ctx.rng.pick(ctx.agents);
}
