/** The messages (and their attachments) of one conversation, squeezed into [conversation start, customer bound]. */
import type { SandboxData } from '../../model';
import { Weighted, objectId } from '../../random';
import { attachmentRels, buildAttachment, buildMessage, type MessageFact } from '../builders/message';
import { pickAgent, type OrgCtx } from '../org-context';
import { HOUR, DAY, MIN, later } from '../time';
import type { CustomerLife, Thread } from './life';

const ATT_COUNT = new Weighted<number>([[0, 78], [1, 16], [2, 4], [3, 2]]);

export function genMessages(ctx: OrgCtx, data: SandboxData, life: CustomerLife, thread: Thread, nMsg: number): { facts: MessageFact[]; lastMsgMs: number } {
  const rng = ctx.rng;
  const { bound, imported, importedMs, contact } = life;
  const { convId, convRel, convStart, cr, channel, agent, outbound, subject, forceAll } = thread;
  const facts: MessageFact[] = [];
  let t = convStart + rng.int(0, 2000);
  const maxGap = rng.chance(0.5) ? 2 * HOUR : 2 * DAY;
  let prevDir: 'in' | 'out' | null = null;
  for (let m = 0; m < nMsg; m++) {
    if (m > 0) {
      const room = (bound - 5 * MIN - t) / (nMsg - m + 1);
      t += Math.max(1, Math.floor(rng.next() * Math.min(maxGap, Math.max(room, 1))));
    }
    const dir: 'in' | 'out' = m === 0 ? (outbound ? 'out' : 'in') : rng.chance(0.55) ? (prevDir === 'in' ? 'out' : 'in') : (prevDir ?? 'in');
    const dirType = m === 0 ? (dir === 'in' ? 'initial-in' : 'initial-out') : dir === 'out' ? (prevDir === 'in' ? 'response-out' : 'followup-out') : 'followup-in';
    const msgId = objectId(rng, imported ? bound : t);
    const nAtt = forceAll && m === 0 ? Math.max(1, ATT_COUNT.pick(rng)) : ATT_COUNT.pick(rng);
    const attIds: string[] = [];
    for (let k = 0; k < nAtt; k++) attIds.push(objectId(rng, imported ? bound : t));
    const createdMsgMs = t + rng.int(5, 400);
    const msgAgent = dir === 'out' ? agent ?? pickAgent(ctx) : null;
    const { res, fact } = buildMessage(ctx, {
      id: msgId,
      customer: contact,
      conversationId: convId,
      rels: cr,
      channel,
      direction: dir,
      directionType: dirType,
      sentMs: t,
      createdMs: createdMsgMs,
      updatedMs: imported ? bound : rng.chance(0.1) ? later(rng, createdMsgMs, 60000, bound) : createdMsgMs,
      importedMs,
      agent: msgAgent,
      subject,
      attachmentIds: attIds,
    });
    data.messages.push(res);
    if (attIds.length > 0) {
      const arels = attachmentRels(ctx, msgId, convRel);
      for (const aid of attIds) data.attachments.push(buildAttachment(ctx, aid, arels));
    }
    facts.push(fact);
    prevDir = dir;
  }
  return { facts, lastMsgMs: t };
}
