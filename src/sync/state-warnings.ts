import { STORED_BOOKMARK_FIELDS, type State } from '../singer/state';
import type { StreamDef } from '../streams/kinds';

/**
 * What in a --state file the tap will not use, as warnings: a bookmark for a stream it does not have, and a
 * bookmark with none of the fields it writes (another tap's state, or a hand-written one such as
 * `{"updatedAt": ...}`). Either way that stream starts over from start_date; saying so beats a silent full resync.
 */
export function stateWarnings(state: State, defs: readonly StreamDef[], selected: ReadonlySet<string>): string[] {
  const streams = new Set(defs.map((d) => d.name));
  const warnings: string[] = [];
  for (const [stream, bookmark] of Object.entries(state.bookmarks)) {
    if (!streams.has(stream)) {
      warnings.push(`state: bookmarks.${stream}: no stream of that name; the bookmark is ignored`);
      continue;
    }
    const fields = Object.keys(bookmark);
    if (fields.some((f) => STORED_BOOKMARK_FIELDS.has(f))) continue;
    const what = fields.length ? `has no field this tap writes (${fields.join(', ')})` : 'is empty';
    warnings.push(
      `state: bookmarks.${stream} ${what}; ${selected.has(stream) ? `${stream} syncs in full, from start_date` : 'it is ignored'}`,
    );
  }
  return warnings;
}
