/** Klasses (custom object types); the kobject builders and metadata documents follow them. */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource } from '../json-api';
import { DAY, iso } from '../time';
import { settingsTimes, type SettingsScope } from './scope';

export function buildKlasses(s: SettingsScope): Resource[] {
  const { rng, lo, orgOf } = s;
  const klasses: Resource[] = [];
  const klassDefs: Array<[string, string, string, string, string[]]> = [
    ['ecomm-order', 'Order', 'cart', '#43a047', ['editable', 'creatable']],
    ['return', 'Return', 'refresh', '#fb8c00', ['assignable', 'commentable', 'editable']],
    ['subscription', 'Subscription', 'repeat', '#8e24aa', ['editable']],
  ];
  for (const [name, displayName, icon, color, mixins] of klassDefs) {
    const t = settingsTimes(rng, lo, lo + 60 * DAY);
    const id = objectId(rng, t.c);
    klasses.push(
      resource('klass', id, PATHS.klass + id, {
        name,
        displayName,
        icon,
        color,
        status: 'enabled',
        mixins,
        klassSchema: null,
        appVersion: name === 'ecomm-order' ? 'shopify@2.14.0' : null,
        appDisabled: false,
        createdAt: iso(t.c),
        updatedAt: iso(t.u),
      }, { ...orgOf(), kobjects: { links: { self: `${PATHS.klass}${name}` } } }),
    );
  }
  return klasses;
}
