/** Widgets (scratch). */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { resource } from '../json-api';
import { settingsTimes, stamp, type SettingsScope } from './scope';

export function buildWidgets(s: SettingsScope): Resource[] {
  const rng = s.own('widgets');
  const widgets: Resource[] = [];
  for (const name of ['Sprocket', 'Gizmo']) {
    const t = settingsTimes(rng, s.lo, s.hi);
    const id = objectId(rng, t.c);
    widgets.push(resource('widget', id, `/v1/widgets/${id}`, { name, ...stamp(t) }, s.orgOf()));
  }
  return widgets;
}
