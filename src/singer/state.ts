import * as z from '../lean-zod';
import { InputError } from '../errors';
import { parseInstant } from '../util/time';
import { AuditBookmarkSchema, objectIdInstant, type AuditBookmark } from './bookmarks/audit';
import { FullTableBookmarkSchema, type FullTableBookmark } from './bookmarks/full-table';
import { SearchBookmarkSchema, type SearchBookmark } from './bookmarks/search';

/**
 * Singer state: `{"bookmarks": {"<stream>": <bookmark>}, "currently_syncing": "<stream>" | null}`.
 *
 * A state file does not say which kind each bookmark is (the stream table does), so a file is first checked as a
 * whole against every field any kind (or any older release) ever wrote; each bookmark is then read as its stream's
 * kind by `readBookmark`, which migrates older shapes. Every bookmark is small and fixed-size: no per-record or
 * per-parent lists (the tie list is bounded).
 */
const StoredBookmarkSchema = z.looseObject({
  replication_key: z.string().optional(),
  replication_key_value: z.string().optional(),
  tie_seen_ids: z.array(z.string()).max(1000).optional(),
  /** Written by releases that drained ties by id (an undocumented search attribute). */
  tie_after_id: z.string().optional(),
  tie_created_before: z.string().optional(),
  tie_complete: z.boolean().optional(),
  max_positions: z.number().int().min(0).optional(),
  version: z.number().int().positive().optional(),
  complete: z.boolean().optional(),
  after: z.string().optional(),
  archive_done: z.boolean().optional(),
  deletes_after: z.string().optional(),
  deletes_since: z.string().optional(),
  deletes_covered_until: z.string().optional(),
});
type StoredBookmark = z.infer<typeof StoredBookmarkSchema>;

/** Every bookmark field this tap (any release) writes: a bookmark with none of them is not ours. */
export const STORED_BOOKMARK_FIELDS: ReadonlySet<string> = new Set(Object.keys(StoredBookmarkSchema.shape));

export const StateSchema = z.looseObject({
  bookmarks: z.record(z.string(), StoredBookmarkSchema).default({}),
  currently_syncing: z.string().nullable().optional(),
});
export type State = z.infer<typeof StateSchema>;

/** Validates a state file's content. Meltano may hand us `{}` or the `value` of our last STATE message. */
export function parseState(input: unknown, source = 'state'): State {
  // Some orchestrators store the whole STATE message; accept it rather than silently restarting from scratch.
  const value =
    typeof input === 'object' && input !== null && (input as Record<string, unknown>).type === 'STATE' && 'value' in input
      ? (input as Record<string, unknown>).value
      : input;
  const result = StateSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${source} error: ${issue.path.join('.') || 'state'}: ${issue.message}`);
  }
  for (const [stream, bm] of Object.entries(result.data.bookmarks)) {
    if (bm.replication_key_value !== undefined && parseInstant(bm.replication_key_value) === null) {
      throw new InputError(`${source} error: bookmarks.${stream}.replication_key_value: not a date-time (got ${JSON.stringify(bm.replication_key_value)})`);
    }
  }
  return result.data;
}

/** The three kinds of bookmark, by the kind of stream that owns it. */
export interface BookmarkKinds {
  search: SearchBookmark;
  fullTable: FullTableBookmark;
  audit: AuditBookmark;
}
export type BookmarkKind = keyof BookmarkKinds;

const SCHEMAS: { [K in BookmarkKind]: z.ZodType<BookmarkKinds[K]> } = {
  search: SearchBookmarkSchema,
  fullTable: FullTableBookmarkSchema,
  audit: AuditBookmarkSchema,
};

/** Older releases' shapes → today's (each kind keeps only its own fields). */
const MIGRATIONS: { [K in BookmarkKind]: (stored: StoredBookmark) => unknown } = {
  search: (s) => ({
    replication_key: s.replication_key_value === undefined ? undefined : 'updated_at',
    replication_key_value: s.replication_key_value,
    tie_seen_ids: s.tie_seen_ids?.length && s.tie_after_id === undefined ? s.tie_seen_ids : undefined,
    // An id-ordered tie drain cannot be continued by documented means: that instant is read again (duplicates only).
    tie_created_before: s.tie_after_id === undefined ? s.tie_created_before : undefined,
    tie_complete: s.tie_complete === true ? true : undefined,
    max_positions: s.max_positions,
    archive_done: s.archive_done === true ? true : undefined,
    // Older releases kept an audit-log id (or a first-run instant); both become the instant they cover up to.
    deletes_covered_until: s.deletes_covered_until ?? s.deletes_since ?? (s.deletes_after === undefined ? undefined : objectIdInstant(s.deletes_after)),
  }),
  // A bookmark without `complete` was written before resumable full-table runs: its version finished.
  fullTable: (s) => (s.version === undefined ? undefined : { version: s.version, complete: s.complete ?? true }),
  // Older releases kept the last entry's id and creation instant: resume at that instant (re-reading its second).
  audit: (s) => {
    const until = s.replication_key_value ?? (s.after === undefined ? undefined : objectIdInstant(s.after));
    return until === undefined ? undefined : { replication_key: 'created_at', replication_key_value: until };
  },
};

/** A stored bookmark read as its stream's kind; a bookmark of another kind is a bad state file. */
export function readBookmark<K extends BookmarkKind>(kind: K, stream: string, stored: StoredBookmark | undefined): BookmarkKinds[K] | undefined {
  if (stored === undefined) return undefined;
  const migrated = MIGRATIONS[kind](stored);
  if (migrated === undefined) return undefined;
  const result = SCHEMAS[kind].safeParse(stripUndefined(migrated));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`state error: bookmarks.${stream}.${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

function stripUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

export function withBookmark(state: State, stream: string, bookmark: BookmarkKinds[BookmarkKind]): State {
  return { ...state, bookmarks: { ...state.bookmarks, [stream]: bookmark } };
}

export function withCurrentlySyncing(state: State, stream: string | null): State {
  return { ...state, currently_syncing: stream };
}

/** Streams in sync order, starting with the one an interrupted run was in (Singer's `currently_syncing`). */
export function resumeOrder<T>(streams: T[], currentlySyncing: string | null | undefined, nameOf: (s: T) => string): T[] {
  const at = streams.findIndex((s) => nameOf(s) === currentlySyncing);
  return at <= 0 ? streams : [...streams.slice(at), ...streams.slice(0, at)];
}
