/** One scripted mutation (model.ts `Mutation`) applied at `now`: the dispatch from its kind to its module. */
import type { Mutation, MutationSummary, SandboxData } from '../model';
import { doCreate } from './create';
import { doHardDelete } from './hard-deletes';
import { doSendDraft } from './send-draft';
import { doSettings } from './settings';
import { doBulkUpdate, doRemoveEmail, doSoftDelete, doUpdate } from './updates';
import { Mut, type MutationOptions } from './working-state';

/** Applies one mutation at `now`; deterministic for the same (data, m, now, seed). */
export function applyMutation(data: SandboxData, m: Mutation, now: Date, seed: number, opts: MutationOptions = {}): MutationSummary {
  const st = new Mut(data, now, seed, opts);
  switch (m.kind) {
    case 'update':
      doUpdate(st, m.collection, m.count);
      break;
    case 'bulkUpdate':
      doBulkUpdate(st, m.collection, m.count);
      break;
    case 'softDelete':
      doSoftDelete(st, m.collection, m.count);
      break;
    case 'hardDelete':
      doHardDelete(st, m.collection, m.count);
      break;
    case 'removeEmail':
      doRemoveEmail(st, m.count);
      break;
    case 'sendDraft':
      doSendDraft(st, m.count);
      break;
    case 'create':
      doCreate(st, m.collection, m.count);
      break;
    case 'settings':
      doSettings(st, m.count);
      break;
  }
  return st.sum.toJSON();
}
