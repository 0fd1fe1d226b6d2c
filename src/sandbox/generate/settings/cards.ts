/** Insight cards (app panels shown next to customers, conversations, companies and kobjects). */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource } from '../json-api';
import { settingsTimes, stamp, type SettingsScope } from './scope';

export function buildCards(s: SettingsScope): Resource[] {
  const { rng, lo, hi, orgOf } = s;
  const cards: Resource[] = [];
  const cardDefs: Array<[string, string, string[], string | null]> = [
    ['shopify-orders', 'Recent Shopify orders for this customer', ['customer', 'conversation'], 'shopify'],
    ['loop-returns', 'Returns started in Loop', ['kobject.return'], 'loop'],
    ['account.health', 'Account health score (internal)', ['company'], null],
    ['order_detail_v2', 'Order details — détails de commande', ['kobject.ecomm-order', 'conversation'], 'shopify'],
  ];
  for (const [name, description, contexts, app] of cardDefs) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    cards.push(resource('card', id, PATHS.card + id, { name, description, url: `https://apps.example.com/cards/${name}`, contexts, app, ...stamp(t) }, orgOf()));
  }
  return cards;
}
