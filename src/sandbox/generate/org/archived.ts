/** Archived customers and conversations: older than the 2-year search window, served only by archive search. */
import type { SandboxData } from '../../model';
import { objectId } from '../../random';
import { buildConversation } from '../builders/conversation';
import { buildCustomer, contactOf, drawIdentity, emptyActivity, type CustomerContact } from '../builders/customer';
import type { MessageFact } from '../builders/message';
import { pickAgent, type OrgCtx } from '../org-context';
import { IN_TEXTS, SUBJECTS } from '../text-pools';
import { DAY, iso } from '../time';

const EMPTY_CH: string[] = [];

/** `nArchived` customers with one done conversation each, updatedAt 2.2-3 years before the anchor. */
export function genArchived(ctx: OrgCtx, data: SandboxData, A: number, nArchived: number): void {
  const rng = ctx.rng;
  const archivedContacts: CustomerContact[] = [];
  for (let i = 0; i < nArchived; i++) {
    const u = Math.floor(A - rng.float(2.2, 3) * 365 * DAY);
    const c = Math.floor(u - rng.float(0, 200) * DAY);
    const id = objectId(rng, c);
    const identity = drawIdentity(rng);
    const act = emptyActivity();
    act.conversations = 1;
    act.done = 1;
    act.lastActivityMs = u;
    const cust = buildCustomer(ctx, { id, identity, createdMs: c, updatedMs: u, modifiedMs: u, importedMs: null, company: null, activity: act, createdBy: null, channels: EMPTY_CH });
    data.archived.customers.push(cust);
    archivedContacts.push(contactOf(cust));
  }
  for (let i = 0; i < nArchived; i++) {
    const contact = archivedContacts[i] as CustomerContact;
    const u = Math.floor(A - rng.float(2.2, 3) * 365 * DAY);
    const c = Math.floor(u - rng.float(0, 30) * DAY);
    const id = objectId(rng, c);
    const t = c + rng.int(0, 5000);
    const fact: MessageFact = {
      id: objectId(rng, t),
      sentMs: t,
      sentIso: iso(t),
      createdIso: iso(t + 20),
      direction: 'in',
      directionType: 'initial-in',
      channel: 'email',
      agent: null,
      meta: null,
      sentiment: null,
      preview: rng.pick(IN_TEXTS),
    };
    data.archived.conversations.push(
      buildConversation(ctx, { id, customer: contact, createdMs: c, updatedMs: u, modifiedMs: u, importedMs: null, facts: [fact], noteCount: 0, status: 'done', agent: pickAgent(ctx), deletedMs: null, subject: rng.pick(SUBJECTS) }),
    );
  }
}
