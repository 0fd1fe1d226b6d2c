/** Spam senders (blocked and allowed addresses; some added automatically, one deleted). */
import type { Relationship, Resource } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource } from '../json-api';
import { iso } from '../time';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildSpamSenders(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, userRels } = s;
  const spamSenders: Resource[] = [];
  const spamDefs = ['noreply@spammy.example', 'deals@promo-blast.example', 'ceo@trusted-partner.example', 'bounces@mailer.example', 'info@lottery-winner.example', 'vip.customer@gmail.com', 'newsletter@shop.example', 'robot@scraper.example'];
  for (const [i, sender] of spamDefs.entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const automated = i % 3 === 0;
    const deleted = i === 6;
    const by = rng.pick(userRels.slice(0, 22));
    const rels: Record<string, Relationship> = { ...orgOf(), createdBy: automated ? { data: null } : by, modifiedBy: by };
    if (deleted) rels.deletedBy = by;
    spamSenders.push(
      resource('sender', id, PATHS.spam + id, {
        sender,
        channel: 'email',
        list: i === 2 || i === 5 ? 'whitelist' : 'blacklist',
        automated,
        deleted,
        deletedAt: deleted ? iso(t.u) : null,
        ...stamp(t),
      }, rels),
    );
  }
  return spamSenders;
}
