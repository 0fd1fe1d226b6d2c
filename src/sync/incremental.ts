import type { Resource } from '../kustomer-client/jsonapi';
import type { PageRecord } from '../paging/page-record';
import { oneAhead } from '../paging/ahead';
import { readAll } from '../paging/links';
import { pageSizeFor } from '../paging/page-size';
import { ARCHIVE_SEARCH_PATH, SEARCH_PATH, searchPageSize, searchPages, type SearchPage, type SearchRead } from '../paging/search';
import type { SearchWindow } from '../paging/search-window';
import {
  cursorCovers,
  earliestCursor,
  readCursor,
  readMaxPositions,
  archiveDone,
  withArchiveDone,
  withCursor,
  withMaxPositions,
  type SearchCursor,
} from '../singer/bookmarks/search';
import type { ChildStream, SearchStream } from '../streams/kinds';
import { flattenResource } from '../streams/transforms';
import { parseInstant } from '../util/time';
import {
  cascadeDelete,
  emitChild,
  childrenOf,
  emitFlattened,
  parentNode,
  PositionTracker,
  raiseFlattenedMarks,
  sortByCreation,
  type Family,
  type SyncContext,
} from './family';

/** Kustomer's search only holds objects updated in the past two years; older ones need archive search. */
const SEARCH_HORIZON_MS = 2 * 365 * 24 * 3600 * 1000;

/**
 * An Update family: a search stream read as an (updated_at, id) keyset from the oldest bookmark of its selected
 * members, with flattened children emitted from each record and per-parent children fetched for each changed
 * record. After every page, each member's bookmark moves to the page's cursor and a STATE goes out, so a run
 * killed at any moment resumes from its last STATE losing nothing and re-sending at most one page.
 */
export async function syncIncremental(family: Family, ctx: SyncContext): Promise<void> {
  const root = family.root as SearchStream;
  const startDate = parseInstant(ctx.config.start_date)!.toISOString();
  const starts = new Map<string, SearchCursor>();
  const marks: Array<[string, number]> = [];
  for (const out of family.outputs.values()) {
    out.sendSchema();
    const bm = ctx.state.get('search', out.name);
    starts.set(out.name, readCursor(bm, startDate));
    const mark = readMaxPositions(bm);
    if (mark !== undefined) marks.push([out.name, mark]);
  }
  const positions = new PositionTracker(marks);
  const cursor = [...starts.values()].reduce(earliestCursor);

  const pageSize = searchPageSize(ctx.config.page_size);
  if (root.archive && ctx.config.archive_backfill && !archiveDone(ctx.state.get('search', root.name)) && family.outputs.has(root.name)) {
    await backfillFromArchive(family, ctx, starts, positions, pageSize, startDate);
  }

  const window: SearchWindow = { queryContext: root.queryContext, upper: ctx.upper, pageSize };
  const moveTo = (next: SearchCursor) => {
    for (const name of family.outputs.keys()) saveCursor(ctx, name, next, positions);
    ctx.state.emit();
  };
  // A grown mark goes out with the cursor its page started from, as every STATE within a page does, so a run killed
  // after it re-reads the page.
  const live: KeysetProgress = { marksGrew: moveTo, pageDone: moveTo };
  await readKeyset(family, ctx, { path: SEARCH_PATH, window, from: cursor, stream: root.name, role: root.role }, starts, positions, live);
}

/** What a keyset read records as it goes: a position mark that grew (before the rows that use it), a finished page. */
interface KeysetProgress {
  marksGrew(cursorBefore: SearchCursor): void;
  pageDone(cursorAfter: SearchCursor): void;
}

/** Reads one keyset window page by page, emitting each page and recording progress through `progress`. */
async function readKeyset(
  family: Family,
  ctx: SyncContext,
  read: SearchRead,
  starts: Map<string, SearchCursor>,
  positions: PositionTracker,
  progress: KeysetProgress,
): Promise<void> {
  const isNew = isNewFor(starts);
  // Each page's per-parent requests start as soon as the page arrives, while the page before it is emitted.
  const withChildren = (page: SearchPage) => {
    const children = fetchAllChildren(family, ctx, page.records, isNew);
    children.catch(() => undefined); // awaited in order below; a failure surfaces there
    return { page, children };
  };
  for await (const { page, children } of oneAhead(searchPages(ctx.client, ctx.logger, read), withChildren)) {
    await emitPage(family, ctx, page.records, await children, isNew, positions, page.timeExtracted, () => progress.marksGrew(page.before));
    progress.pageDone(page.after);
    await ctx.drain();
  }
}

type IsNew = (stream: string, rec: PageRecord) => boolean;

/** Whether a record is past a member's bookmark; most are past every one, so one comparison settles them. */
function isNewFor(starts: Map<string, SearchCursor>): IsNew {
  const latestStart = Math.max(...[...starts.values()].map((c) => Date.parse(c.ts)));
  // Asked once per family member for the same record: parse its timestamp once.
  let lastRec: PageRecord | undefined;
  let pastAll = false;
  return (stream, rec) => {
    if (rec !== lastRec) {
      lastRec = rec;
      pastAll = Date.parse(rec.ts) > latestStart;
    }
    return pastAll || !cursorCovers(starts.get(stream)!, rec.ts, rec.id, rec.createdAt as string | undefined);
  };
}

type ChildLists = Map<string, Resource[] | 'missing'>;

/** Starts the per-parent requests of a page's changed parents (they queue in the client's concurrency limit). */
async function fetchAllChildren(family: Family, ctx: SyncContext, page: PageRecord[], isNew: IsNew): Promise<ChildLists> {
  const childDefs = selectedChildLists(family);
  const fetches = new Map<string, Promise<Resource[] | 'missing' | undefined>>();
  for (const rec of page) {
    if (rec.deletedAt !== null) continue;
    for (const def of childDefs) {
      if (isNew(def.name, rec)) fetches.set(`${def.name}|${rec.id}`, fetchChildren(def, rec.id, ctx).catch((err) => ctx.failStream(family, def.name, err)));
    }
  }
  const children: ChildLists = new Map();
  await Promise.all(
    [...fetches].map(async ([k, p]) => {
      const kids = await p;
      if (kids !== undefined) children.set(k, kids);
    }),
  );
  return children;
}

function selectedChildLists(family: Family): ChildStream[] {
  return childrenOf(family, family.root.name).filter((c): c is ChildStream => c.kind === 'child' && family.outputs.has(c.name));
}

/** Moves a stream's keyset to `cursor`, keeping what else its bookmark holds (delete-feed cursor, archive flag). */
function saveCursor(ctx: SyncContext, stream: string, cursor: SearchCursor, positions: PositionTracker): void {
  ctx.state.update('search', stream, (bm) => withMaxPositions(withCursor(bm, cursor), positions.mark(stream)));
}

/**
 * Emits one page: each record for the members whose bookmark it is past, its flattened rows, and the rows of
 * its per-parent children (fetched concurrently, emitted in page order). A record is parsed in full only here,
 * one at a time: the page itself is held as bytes (see PageRecord).
 */
async function emitPage(
  family: Family,
  ctx: SyncContext,
  page: PageRecord[],
  children: ChildLists,
  isNew: IsNew,
  positions: PositionTracker,
  timeExtracted: string,
  marksGrew: () => void,
): Promise<void> {
  const root = family.root as SearchStream;
  const rootOut = family.outputs.get(root.name);
  const childDefs = selectedChildLists(family);

  for (const rec of page) {
    const res = rec.resource();
    const node = parentNode(res, []);
    // Positions that grow are persisted before the rows that use them (see PositionTracker).
    raiseFlattenedMarks(family, root.name, node, positions);
    for (const def of childDefs) {
      const kids = children.get(`${def.name}|${rec.id}`);
      if (Array.isArray(kids)) positions.raise(def.name, kids.length);
    }
    if (positions.takeGrew()) marksGrew();

    const deletedAt = rec.deletedAt;
    if (rootOut && isNew(root.name, rec)) {
      if (root.transform) rootOut.record(root.transform(flattenResource(res), ctx.transform), timeExtracted, deletedAt);
      else rootOut.resource(res, timeExtracted, deletedAt);
    }
    if (deletedAt !== null) {
      // A soft-deleted parent takes its rows with it downstream.
      cascadeDelete(onlyNew(family, rec, isNew), root.name, node, deletedAt, timeExtracted, positions, 'start');
      continue;
    }
    emitFlattened(onlyNew(family, rec, isNew), root.name, node, timeExtracted, ctx, positions);
    for (const def of childDefs) {
      const kids = children.get(`${def.name}|${rec.id}`);
      const out = family.outputs.get(def.name);
      if (kids === undefined || !out) continue;
      if (kids === 'missing') {
        // The parent was deleted between the search and this request: its children went with it.
        positions.tombstoneAll(out, def.parentKey, rec.id, timeExtracted, timeExtracted, 'start');
        continue;
      }
      sortByCreation(kids).forEach((kid, index) => emitChild(out, def, node, kid, index, ctx, timeExtracted));
      positions.trailing(out, def.parentKey, node, kids.length, timeExtracted, def.appendOnly);
    }
  }
}

/** The family as seen by one record: members whose bookmark is already past the record are left out. */
function onlyNew(family: Family, rec: PageRecord, isNew: IsNew): Family {
  let skip = false;
  for (const name of family.outputs.keys()) if (!isNew(name, rec)) skip = true;
  if (!skip) return family;
  return { ...family, outputs: new Map([...family.outputs].filter(([name]) => isNew(name, rec))) };
}

function fetchChildren(def: ChildStream, parentId: string, ctx: SyncContext): Promise<Resource[] | 'missing'> {
  const request = { path: def.path(parentId), pageSize: pageSizeFor(def.maxPageSize, ctx.config.page_size), stream: def.name, role: def.role, allow404: true };
  return readAll(ctx.client, ctx.logger, request);
}

/**
 * Optional first-sync backfill of objects older than the search API's two-year horizon, through archive search.
 * Same keyset, another endpoint; the live search pass then continues from where the bookmarks are.
 */
async function backfillFromArchive(
  family: Family,
  ctx: SyncContext,
  starts: Map<string, SearchCursor>,
  positions: PositionTracker,
  pageSize: number,
  startDate: string,
): Promise<void> {
  const root = family.root as SearchStream;
  const horizon = new Date(Date.now() - SEARCH_HORIZON_MS).toISOString();
  if (Date.parse(startDate) >= Date.parse(horizon)) return;
  ctx.logger.info(`stream ${root.name}: backfilling objects updated before ${horizon} from archive search`);
  const window: SearchWindow = { queryContext: root.queryContext, upper: horizon, pageSize };
  const start: SearchCursor = { ts: startDate, seen: [] };
  // Bookmarks do not move during the backfill: an interrupted one starts over (duplicates, nothing lost). Only a
  // grown position mark is saved, before the rows that use it (a higher mark only widens later tombstones).
  const everything = new Map([...starts.keys()].map((k) => [k, start]));
  const backfill: KeysetProgress = {
    marksGrew: () => {
      for (const name of family.outputs.keys()) ctx.state.update('search', name, (bm) => withMaxPositions(bm, positions.mark(name)));
      ctx.state.emit();
    },
    pageDone: () => undefined,
  };
  await readKeyset(family, ctx, { path: ARCHIVE_SEARCH_PATH, window, from: start, stream: root.name, role: root.role }, everything, positions, backfill);
  ctx.state.update('search', root.name, withArchiveDone);
  ctx.state.emit();
}

