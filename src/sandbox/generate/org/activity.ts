/** What one generated conversation adds to its customer's activity summary (counts, last in/out, preview...). */
import type { Resource } from '../../model';
import type { MessageFact } from '../builders/message';
import type { Attrs } from '../json-api';
import type { CustomerLife } from './life';

export function foldConversation(life: CustomerLife, conv: Resource, facts: MessageFact[], status: string, subject: string | null, convEnd: number): void {
  const act = life.act;
  const convId = conv.id;
  act.conversations++;
  if (status === 'open') act.open++;
  else if (status === 'snoozed') act.snoozed++;
  else act.done++;
  for (const f of facts) {
    if (f.direction === 'in') {
      if (act.lastInMs === null || f.sentMs >= act.lastInMs) {
        act.lastInMs = f.sentMs;
        act.lastInIso = f.sentIso;
        act.lastInChannel = f.channel;
        act.lastInSentiment = f.sentiment;
      }
    } else if (act.lastOutMs === null || f.sentMs >= act.lastOutMs) {
      act.lastOutMs = f.sentMs;
      act.lastOutIso = f.sentIso;
    }
  }
  const lastFact = facts[facts.length - 1];
  if (lastFact && (act.lastMessageMs === null || lastFact.sentMs >= act.lastMessageMs)) {
    act.lastMessageMs = lastFact.sentMs;
    act.lastMessageIso = lastFact.sentIso;
    act.preview = { previewAt: lastFact.sentIso, type: 'message', channel: lastFact.channel, subject, text: lastFact.preview };
    if (lastFact.direction === 'in' && status !== 'done') {
      act.unrespondedMs = lastFact.sentMs;
      act.unrespondedIso = lastFact.sentIso;
      act.unrespondedChannel = lastFact.channel;
    } else {
      act.unrespondedMs = null;
      act.unrespondedIso = null;
      act.unrespondedChannel = null;
    }
  }
  act.lastConversation = {
    id: convId,
    channels: conv.attributes.channels,
    tags: conv.attributes.tags,
    sentiment: conv.attributes.sentiment,
  };
  if (conv.attributes.satisfaction !== 0 && act.satisfaction === null) {
    const sl = conv.attributes.satisfactionLevel as Attrs;
    const first = { ...sl, conversation: convId };
    act.satisfaction = { firstSatisfaction: first, lastSatisfaction: first, count: 1, acknowledgeCount: 0, avgRating: sl.rating, avgScore: sl.score };
  }
  if (convEnd >= life.lastActivity) {
    life.lastActivity = convEnd;
    act.lastActivityIso = lastFact && lastFact.sentMs === convEnd ? lastFact.sentIso : null;
  }
  act.lastActivityMs = life.lastActivity;
}
