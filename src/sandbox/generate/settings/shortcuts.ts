/** Shortcuts (canned replies), some applying conversation changes or restricted to a team or a user. */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { EMPTY_OBJ, PATHS, resource, type Attrs } from '../json-api';
import { DRAFTJS_POOL, NAMES_SHORTCUT, OUT_TEXTS } from '../text-pools';
import { iso } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildShortcuts(s: StaffedScope, tags: Resource[], teams: Resource[]): Resource[] {
  const { rng, lo, hi, orgOf, users, userRels } = s;
  const shortcuts: Resource[] = [];
  for (let i = 0; i < 15; i++) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const text = OUT_TEXTS[i % OUT_TEXTS.length] ?? '';
    const deleted = i === 14;
    const by = rng.pick(userRels.slice(0, 22));
    const conv: Attrs = {};
    if (i % 3 === 0) conv.status = 'done';
    if (i % 4 === 1 && tags.length > 0) conv.tags = { operator: 'add', value: [(tags[i % tags.length] as Resource).id] };
    if (i % 5 === 2) conv.name = { operator: 'set', value: NAMES_SHORTCUT[i] };
    const attrs: Attrs = {
      name: NAMES_SHORTCUT[i],
      draft: { text },
      payload: { text: DRAFTJS_POOL[i % DRAFTJS_POOL.length] ?? EMPTY_OBJ },
      conversation: Object.keys(conv).length > 0 ? conv : EMPTY_OBJ,
      isPrivate: i % 7 === 3,
      deleted,
      deletedAt: deleted ? iso(t.u) : null,
      appDisabled: false,
      rev: rng.int(1, 9),
      ...stamp(t),
    };
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    if (i % 6 === 4) rels.accessTeams = { data: [{ type: 'team', id: (teams[i % teams.length] as Resource).id }] };
    if (attrs.isPrivate === true) rels.accessUsers = { data: [{ type: 'user', id: (users[1] as Resource).id }] };
    shortcuts.push(resource('shortcut', id, PATHS.shortcut + id, attrs, rels));
  }
  return shortcuts;
}
