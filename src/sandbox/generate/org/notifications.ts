/** Notifications of the API key's own user (auto-removed after 7 days, so all recent). */
import type { SandboxData } from '../../model';
import { objectId } from '../../random';
import { PATHS, resource, type Attrs } from '../json-api';
import type { OrgCtx } from '../org-context';
import { DAY, HOUR, iso, later } from '../time';

export function genNotifications(ctx: OrgCtx, data: SandboxData, A: number): void {
  const rng = ctx.rng;
  const recentMsgs = data.messages.length > 0 ? rng.sample(data.messages, 10) : [];
  for (let i = 0; i < 10; i++) {
    const c = Math.floor(A - rng.float(0, 6.9) * DAY);
    const id = objectId(rng, c);
    const m = recentMsgs[i % Math.max(1, recentMsgs.length)];
    const name = rng.pick(['kustomer.conversation.firstmessagein', 'kustomer.note.mention', 'kustomer.conversation.assigned', 'kustomer.sla.breach']);
    const event: Attrs = m
      ? { name, data: { type: 'message', id: m.id, attributes: { preview: m.attributes.preview, channel: m.attributes.channel }, relationships: { conversation: m.relationships?.conversation, customer: m.relationships?.customer } } }
      : { name, data: null };
    data.notifications.push(
      resource('notification', id, PATHS.notification + id, { name, status: rng.chance(0.6) ? 'unread' : 'read', event, createdAt: iso(c), updatedAt: iso(later(rng, c, HOUR, A)) }, { org: ctx.orgRel, user: ctx.machine.rel }),
    );
  }
}
