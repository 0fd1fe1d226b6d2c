/** Users: the owner, 20 agents, a machine user (the API key's user), a limited user and a deactivated agent. */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { phoneNumber } from '../contact-points';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, EMPTY_OBJ, PATHS, relTo, resource, type Attrs } from '../json-api';
import { DAY, HOUR, iso } from '../time';
import { settingsTimes, stamp, type SettingsScope, type StaffedScope } from './scope';

const USER_NAMES = [
  'Dana Whitfield', 'Marco Rossi', 'Aiko Tanaka', 'Lena Schäfer', 'Olu Adeyemi', 'Camille Durand', 'Raj Patel', 'Sofía Herrera',
  'Tomás Novák', 'Mei Chen', 'Jonas Lindqvist', 'Grace Okafor', 'Hiro Sato', 'Isabel Costa', 'Noah Fischer', 'Zara Ahmed',
  'Pablo Ruiz', 'Emma Larsen', 'Yusuf Demir', 'Chloé Martin', 'Ivan Petrov',
];

export function buildUsers(s: SettingsScope): StaffedScope {
  const { rng, A, lo, hi, orgOf } = s;
  const users: Resource[] = [];
  const userRels: Relationship[] = [];
  const nUsers = 25;
  let ownerRel: Relationship | null = null;
  for (let i = 0; i < nUsers; i++) {
    const t = i === 0 ? { c: lo, u: lo + 5 * DAY, m: lo + 5 * DAY } : settingsTimes(rng, lo + DAY, hi);
    const id = objectId(rng, t.c);
    const machine = i === 22;
    const name = i === 0 ? 'Org Owner' : machine ? 'API Integration (tap)' : i === 23 ? 'Contractor Viewer' : i === 24 ? 'Former Agent' : USER_NAMES[(i - 1) % USER_NAMES.length] ?? `Agent ${i}`;
    const slug = name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '');
    const deleted = i === 24;
    const userType = machine ? 'machine' : i === 23 ? 'limited' : 'user';
    const attrs: Attrs = {
      name,
      displayName: machine ? null : name.split(' ')[0] ?? name,
      email: machine ? `api+${rng.hex(6)}@brand.example.com` : `${slug}@brand.example.com`,
      mobile: rng.chance(0.3) && !machine ? phoneNumber(rng) : null,
      avatarUrl: machine ? null : `https://avatars.example.com/u/${slug}.png`,
      emailSignature: machine ? '' : `— ${name}\nCustomer Care`,
      userType,
      roles: machine ? ['org.permission.customer.read', 'org.permission.conversation.read'] : i === 0 ? ['org.admin', 'org.user'] : ['org.user'],
      roleGroups: EMPTY,
      emailVerifiedAt: machine ? null : iso(t.c + HOUR),
      firstEmailVerifiedAt: machine ? null : iso(t.c + HOUR),
      verifiedEmailStatus: machine ? null : 'verified',
      isEmailValid: !machine,
      password: machine ? null : { allowNew: true, forceNew: false, updatedAt: iso(t.c + HOUR) },
      firstLoginAt: machine ? null : iso(t.c + 2 * HOUR),
      mostRecentLoginAt: machine ? null : iso(Math.max(t.c + 2 * HOUR, A - rng.int(1, 20) * HOUR)),
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      custom: machine ? EMPTY_OBJ : customValues(rng, CUSTOM_SPECS.user, lo, t.c),
      ...stamp(t),
    };
    if (deleted) attrs.updatedAt = attrs.modifiedAt = attrs.deletedAt;
    const rels = orgOf();
    const rel = relTo('user', id, PATHS.user + id);
    if (ownerRel) {
      rels.createdBy = ownerRel;
      rels.modifiedBy = ownerRel;
    }
    if (i === 0) ownerRel = rel;
    userRels.push(rel);
    users.push(resource('user', id, PATHS.user + id, attrs, rels));
  }
  const owner = ownerRel as Relationship;
  return { ...s, users, userRels, owner };
}
