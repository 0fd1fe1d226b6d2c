/**
 * The scripted round: the change mix the sandbox applies between sync runs (`rounds` at start-up,
 * `POST /__sandbox/mutate {"round": N}`), deterministic for (data, round, now, seed).
 */
import type { Mutation, MutationSummary, Resource, SandboxData } from '../model';
import { Rng } from '../random';
import { applyMutation } from './apply';
import { notDeleted } from './records';
import { Summary } from './summary';
import type { MutationOptions } from './working-state';

/** Options of one scripted round (`POST /__sandbox/mutate {"round": N, ...}`). */
export interface RoundOptions {
  /**
   * How many records the round's closing bulk update touches (default ~2% of customers, at least 5). Every one is
   * audit-logged after the round's deletes: customers first, then conversations, then messages when customers run
   * out, so a large value puts more than a page of audit entries between a delete and the next sync.
   */
  bulkUpdate?: number;
}

/** The round's closing bulk update: `count` records stamped with one instant, customers first. */
function closingBulkUpdate(data: SandboxData, count: number): Mutation[] {
  const live = (list: Resource[]): number => list.filter(notDeleted).length;
  const customers = Math.min(count, live(data.customers));
  const conversations = Math.min(count - customers, live(data.conversations));
  const messages = count - customers - conversations;
  return [
    { kind: 'bulkUpdate', collection: 'customers', count: customers },
    ...(conversations > 0 ? [{ kind: 'bulkUpdate' as const, collection: 'conversations' as const, count: conversations }] : []),
    ...(messages > 0 ? [{ kind: 'update' as const, collection: 'messages' as const, count: messages }] : []),
  ];
}

/** The records the closing bulk update touches when the round does not say. */
const defaultBulkUpdate = (data: SandboxData): number => Math.max(5, Math.round(data.customers.length * 0.02));

/** The scripted mix of round `round` (seeded by seed + round), closing bulk update included. */
export function roundScript(data: SandboxData, round: number, seed: number, options: RoundOptions = {}): Mutation[] {
  return [...scriptedSteps(round, seed), ...closingBulkUpdate(data, options.bulkUpdate ?? defaultBulkUpdate(data))];
}

/** The round's steps before its closing bulk update. */
function scriptedSteps(round: number, seed: number): Mutation[] {
  const rng = new Rng(seed + round);
  const soft: Array<'companies' | 'notes' | 'conversations'> = ['companies', 'notes', 'conversations'];
  const skip = round % 3;
  return [
    { kind: 'update', collection: 'customers', count: rng.int(3, 8) },
    { kind: 'update', collection: 'conversations', count: rng.int(3, 8) },
    { kind: 'update', collection: 'messages', count: rng.int(2, 6) },
    { kind: 'update', collection: 'notes', count: rng.int(1, 4) },
    { kind: 'update', collection: 'companies', count: rng.int(1, 3) },
    { kind: 'update', collection: 'kobjects', count: rng.int(1, 4) },
    ...soft.filter((_, i) => i !== skip).map((collection) => ({ kind: 'softDelete' as const, collection, count: 1 })),
    { kind: 'removeEmail', count: rng.int(1, 2) },
    { kind: 'sendDraft', count: 1 },
    { kind: 'create', collection: 'customers', count: rng.int(2, 5) },
    { kind: 'create', collection: 'conversations', count: rng.int(2, 4) },
    { kind: 'create', collection: 'messages', count: rng.int(3, 8) },
    { kind: 'create', collection: 'notes', count: rng.int(1, 3) },
    { kind: 'create', collection: 'companies', count: 1 },
    { kind: 'create', collection: 'kobjects', count: rng.int(1, 3) },
    { kind: 'hardDelete', collection: 'customers', count: rng.int(1, 2) },
    { kind: 'hardDelete', collection: 'conversations', count: rng.int(1, 2) },
    { kind: 'hardDelete', collection: 'kobjects', count: 1 },
    { kind: 'settings', count: 3 },
  ];
}

/**
 * Round N of the scripted change mix: a few updates across core collections, soft deletes, hard deletes (customers,
 * conversations, a kobject), a removed email, a sent draft, new records, a settings change, and one bulk update of
 * ~2% of customers (at least 5) sharing one updatedAt. All stamped `now`.
 */
export function applyMutationRound(
  data: SandboxData,
  round: number,
  now: Date,
  seed: number,
  opts: MutationOptions = {},
  options: RoundOptions = {},
): MutationSummary {
  const sum = new Summary();
  const bulk = options.bulkUpdate ?? defaultBulkUpdate(data);
  const steps = scriptedSteps(round, seed);
  let i = 0;
  const apply = (step: Mutation): void => sum.merge(applyMutation(data, step, now, (seed + round) * 97 + i++ * 7919 + 1, opts));
  for (const step of steps) apply(step);
  // Sized now, after the round's deletes, so every one of the `bulk` records still exists.
  for (const step of closingBulkUpdate(data, bulk)) apply(step);
  return sum.toJSON();
}
