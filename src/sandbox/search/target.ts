/**
 * Search contexts: which records a `queryContext` searches and how its attribute names are prefixed (core objects,
 * a klass's KObjects, the archive's customers and conversations, and valid contexts the sandbox does not model).
 */
import type { Resource, SandboxData } from '../model';
import { relIds } from '../relationships';
import { SearchError } from './body';

/** Which records a queryContext searches and how its attribute names are prefixed. */
export interface SearchTarget {
  /** Cache key for the index (a klass context filters kobjects). */
  key: string;
  records: () => Resource[];
  /** Accepted attribute prefixes, longest first: `kobject_ecomm-order_`, `kobject_`. */
  prefixes: string[];
  /** For `kobject_<klass>`: custom attributes may be spelled `kobject_custom_<klass>_<attr>`. */
  klassName?: string;
}

const CORE: Record<string, keyof Pick<SandboxData, 'customers' | 'conversations' | 'messages' | 'notes' | 'companies' | 'kobjects' | 'conversationTimes'>> = {
  customer: 'customers',
  conversation_time: 'conversationTimes',
  conversation: 'conversations',
  message: 'messages',
  note: 'notes',
  company: 'companies',
  kobject: 'kobjects',
};

export function resolveTarget(data: SandboxData, ctx: string, archive: boolean): SearchTarget {
  if (archive) {
    if (ctx !== 'customer' && ctx !== 'conversation') throw new SearchError(`archive search supports customer and conversation, not \`${ctx}\``, 'queryContext');
    const name = ctx === 'customer' ? 'customers' : 'conversations';
    return { key: `archived.${name}`, records: () => data.archived[name], prefixes: [`${ctx}_`] };
  }
  const core = CORE[ctx];
  if (core) return { key: core, records: () => data[core], prefixes: [`${ctx}_`] };
  // Valid contexts whose objects the sandbox does not model: nothing matches.
  if (ctx === 'work_session' || ctx === 'work_item') return { key: ctx, records: () => [], prefixes: [`${ctx}_`] };
  if (ctx.startsWith('kobject_')) {
    const klassName = ctx.slice('kobject_'.length);
    const klass = data.klasses.find((k) => k.attributes.name === klassName);
    if (!klass) throw new SearchError(`unknown klass \`${klassName}\` in queryContext`, 'queryContext');
    // A KObject names its klass by the klass's name (relationships.klass.data.id).
    return {
      key: `kobjects:${klassName}`,
      records: () => data.kobjects.filter((o) => relIds(o, 'klass').includes(klassName)),
      prefixes: [`${ctx}_`, 'kobject_'],
      klassName,
    };
  }
  throw new SearchError(`unknown queryContext \`${ctx}\``, 'queryContext');
}
