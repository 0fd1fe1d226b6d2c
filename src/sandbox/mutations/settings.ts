/**
 * `settings`: admins changing the org's settings between syncs, one operation after another in a fixed rotation:
 * a tag renamed, a tag removed, a user added, a team renamed, a queue's priority changed.
 */
import type { Relationship, Resource } from '../model';
import { objectId } from '../random';
import { EMPTY, PATHS, flat, relTo } from '../generate';
import { noChanges, notDeleted, removeWhere } from './records';
import type { Mut } from './working-state';

/** One settings change; `owner` is the org owner's relationship (the admin who makes the change), if any. */
type SettingsOp = (m: Mut, owner: Relationship | undefined) => void;

const renameTag: SettingsOp = (m, owner) => {
  const [t] = m.pick(m.data.tags, 1, notDeleted);
  if (!t) return;
  t.attributes.name = flat(String(t.attributes.name ?? 'tag'), m.rng.pick(['-v2', ' (renamed)', '_old', ' ✨']));
  m.bump(t, null);
  if (owner) t.relationships = { ...t.relationships, modifiedBy: owner };
  m.sum.upd('tags', t.id);
};

const removeTag: SettingsOp = (m) => {
  const renamed = m.sum.updated.get('tags');
  const [t] = m.pick(m.data.tags, 1, (r) => !renamed?.has(r.id));
  if (!t) return;
  // Gone from GET /v1/tags; records that reference it keep the id (as in Kustomer).
  for (const id of removeWhere(m.data.tags, (r) => r.id === t.id)) m.sum.del('tags', id);
};

const addUser: SettingsOp = (m, owner) => {
  const rng = m.rng;
  const id = objectId(rng, m.nowMs);
  const first = rng.pick(['Aoife', 'Kenji', 'Lucía', 'Mateusz', 'Nadia', 'Oskar', 'Thandiwe', 'Ülkü']);
  const last = rng.pick(['Byrne', 'Watanabe', 'Moreno', 'Zieliński', 'Haddad', 'Berg', 'Dlamini', 'Öztürk']);
  const name = flat(first, ' ', last);
  const slug = flat(asciiLower(first), '.', asciiLower(last), rng.int(1, 99));
  const rels: Record<string, Relationship> = { org: m.ctx.orgRel };
  if (owner) {
    rels.createdBy = owner;
    rels.modifiedBy = owner;
  }
  m.data.users.push(newUser(m, id, first, name, slug, rels));
  m.sum.cre('users', id);
  m.audit('create', 'user', id, null, noChanges(), null, 'kustomer-web');
};

/** A name's letters without accents, lower-cased (an email's local part). */
const asciiLower = (s: string): string => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

/** A user invited just now: not yet verified, never logged in, made to set a password. */
function newUser(m: Mut, id: string, first: string, name: string, slug: string, rels: Record<string, Relationship>): Resource {
  return {
    type: 'user',
    id,
    attributes: {
      name,
      displayName: first,
      email: flat(slug, '@brand.example.com'),
      mobile: null,
      avatarUrl: null,
      emailSignature: flat('— ', name),
      userType: 'user',
      roles: ['org.user'],
      roleGroups: EMPTY,
      emailVerifiedAt: null,
      firstEmailVerifiedAt: null,
      verifiedEmailStatus: 'pending',
      isEmailValid: true,
      password: { allowNew: true, forceNew: true, updatedAt: m.nowIso },
      firstLoginAt: null,
      mostRecentLoginAt: null,
      deleted: false,
      deletedAt: null,
      custom: {},
      createdAt: m.nowIso,
      updatedAt: m.nowIso,
      modifiedAt: m.nowIso,
    },
    relationships: rels,
    links: { self: PATHS.user + id },
  };
}

const renameTeam: SettingsOp = (m) => {
  const [t] = m.pick(m.data.teams, 1, notDeleted);
  if (!t) return;
  t.attributes.displayName = flat(String(t.attributes.name ?? 'Team'), ' ', m.rng.pick(['(EMEA)', '(night shift)', '🌙']));
  m.bump(t, null);
  m.sum.upd('teams', t.id);
};

const queuePriority: SettingsOp = (m) => {
  const [q] = m.pick(m.data.queues, 1, (r) => r.attributes.system !== true && notDeleted(r));
  if (!q) return;
  q.attributes.priority = m.rng.int(1, 100);
  m.bump(q, null);
  m.sum.upd('queues', q.id);
};

/** The rotation: change i of a `settings` mutation is SETTINGS_OPS[i mod 5]. */
const SETTINGS_OPS: readonly SettingsOp[] = [renameTag, removeTag, addUser, renameTeam, queuePriority];

export function doSettings(m: Mut, count: number): void {
  const owner = m.data.users[0];
  const ownerRel: Relationship | undefined = owner ? relTo('user', owner.id, PATHS.user + owner.id) : undefined;
  for (let i = 0; i < Math.max(0, Math.floor(count)); i++) (SETTINGS_OPS[i % SETTINGS_OPS.length] as SettingsOp)(m, ownerRel);
}
