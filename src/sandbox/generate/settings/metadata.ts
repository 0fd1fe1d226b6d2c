/** Custom attribute metadata: one document per resource; a deleted property stays with deletedAt. */
import { isMetadataResource } from '../../../contract/metadata';
import type { Resource } from '../../model';
import { CUSTOM_SPECS, DELETED_CUSTOM_KEY, SUFFIX_TYPES, displayNameOf, suffixOf } from '../custom-attributes';
import { PATHS, type Attrs } from '../json-api';
import { DAY, iso } from '../time';
import { settingsTimes, type StaffedScope } from './scope';

export function buildMetadata(scope: StaffedScope): Resource[] {
  const { rng, A, lo, hi, orgOf, users } = scope;
  const metadata: Resource[] = [];
  // Only the resources the metadata endpoint documents get a document (notes and users keep their custom values).
  // Every resource is still drawn, so the seeded data after this point does not depend on which are kept.
  for (const resourceName of Object.keys(CUSTOM_SPECS)) {
    const properties: Attrs = {};
    for (const s of CUSTOM_SPECS[resourceName] ?? []) {
      const t = settingsTimes(rng, lo, hi);
      const by = rng.pick(users.slice(0, 3)).id;
      const suf = suffixOf(s.key);
      const prop: Attrs = { type: SUFFIX_TYPES.find(([x]) => x === suf)?.[1] ?? 'string', displayName: displayNameOf(s.key), modifiedAt: iso(t.m), updatedAt: iso(t.u), modifiedBy: by };
      if (s.enumeration && s.values) prop.enumeration = [...s.values];
      properties[s.key] = prop;
    }
    if (resourceName === 'customer') {
      const dAt = A - 90 * DAY;
      properties[DELETED_CUSTOM_KEY] = {
        type: 'string',
        displayName: 'Legacy Plan',
        modifiedAt: iso(dAt),
        updatedAt: iso(dAt),
        modifiedBy: (users[0] as Resource).id,
        deletedAt: iso(dAt),
        deletedBy: (users[0] as Resource).id,
      };
    }
    if (!isMetadataResource(resourceName)) continue;
    metadata.push({ type: 'metadata', id: resourceName, attributes: { properties }, relationships: orgOf(), links: { self: PATHS.metadata + resourceName } });
  }
  return metadata;
}
