/** An org with nothing in it: every collection empty (built from the collection lists: a new one needs no line here). */
import { OTHER_COLLECTIONS, SEARCHED_COLLECTIONS, type CollectionName, type Resource, type SandboxData } from '../model';

function emptyArrays<N extends CollectionName>(names: readonly N[]): Record<N, Resource[]> {
  return Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<N, Resource[]>;
}

export function emptyData(): SandboxData {
  return { ...emptyArrays(SEARCHED_COLLECTIONS), archived: { customers: [], conversations: [] }, ...emptyArrays(OTHER_COLLECTIONS) };
}
