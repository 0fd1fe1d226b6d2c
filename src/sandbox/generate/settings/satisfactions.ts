/** Satisfaction (CSAT) forms, one per channel. */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import { EMPTY, PATHS, resource } from '../json-api';
import { settingsTimes, stamp, type StaffedScope } from './scope';

export function buildSatisfactions(s: StaffedScope): Resource[] {
  const { rng, lo, hi, orgOf, owner } = s;
  const satisfactions: Resource[] = [];
  for (const [i, channel] of ['email', 'chat'].entries()) {
    const t = settingsTimes(rng, lo, hi);
    const id = objectId(rng, t.c);
    const q = [
      { id: rng.hex(8), type: 'open', prompt: 'What could we do better?' },
      { id: rng.hex(8), type: 'select', prompt: '¿Qué tan fácil fue?', options: ['Fácil', 'Normal', 'Difícil'] },
    ];
    satisfactions.push(
      resource('satisfaction', id, PATHS.satisfaction + id, {
        name: i === 0 ? 'Default CSAT' : 'Chat CSAT 💬',
        formType: 'csat',
        enabled: true,
        channel,
        description: null,
        from: { account: 'support@brand.example.com', app: channel === 'email' ? 'postmark' : 'chat', channel },
        metaTitle: 'How did we do?',
        metaDescription: 'Rate your conversation',
        delayTime: i === 0 ? 3600 : 0,
        scale: { options: 5, type: 'stars', labelHigh: 'Great', labelLow: 'Bad' },
        introduction: 'Thanks for contacting us!',
        ratingPrompt: 'How would you rate your experience?',
        questions: q,
        positiveQuestions: i === 0 ? EMPTY : [q[0]],
        negativeQuestions: [q[0]],
        allQuestions: q,
        followUpType: 'question',
        criteria: { and: [{ conversation_channel: { operator: 'equals', value: channel } }], or: [] },
        ...stamp(t),
      }, { ...orgOf(), createdBy: owner, modifiedBy: owner }),
    );
  }
  return satisfactions;
}
