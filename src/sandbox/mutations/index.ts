/**
 * Scripted, deterministic changes applied to the sandbox org between sync runs (see model.ts `Mutation`): this
 * folder holds one file per kind of change, the round script and the working state they share.
 *
 * Every change stamps `now` (ms precision, `Z`) on updatedAt, and on modifiedAt / rev where the record has them.
 * Hard deletes follow Kustomer's cascade and are written to the audit log (eventVerb `delete`) for customers,
 * conversations (including cascaded ones) and kobjects; messages/notes removed by a cascade get no entry under
 * `auditCascade: 'root'`. Creates/updates of customers, conversations, messages and companies get `create`/`update` audit
 * entries.
 *
 * The server loads this module lazily (a sandbox that never mutates never loads it), and tests replace it whole.
 */
export { applyMutation } from './apply';
export { applyMutationRound, roundScript, type RoundOptions } from './round';
export type { MutationOptions } from './working-state';
