/** Brands (the first is the default). */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource } from '../json-api';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildBrands(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, owner } = s;
  const brands: Resource[] = [];
  for (const [i, name] of ['Brand Co.', 'Brand Co. Europe', 'ブランド Japan'].entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    brands.push(resource('brand', id, PATHS.brand + id, { name, iconUrl: `https://cdn.example.com/brand/${i}.png`, default: i === 0, ...stamp(t) }, { ...orgOf(), createdBy: owner, modifiedBy: owner }));
  }
  return brands;
}
