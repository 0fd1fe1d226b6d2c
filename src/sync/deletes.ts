import type { Resource } from '../http/jsonapi';
import { parseListDocument } from '../http/jsonapi';
import { auditPages, auditPageUrl } from '../paging/audit';
import { pageSizeFor } from '../paging/page-size';
import { auditAdvanced, readAuditPosition } from '../singer/bookmarks/audit';
import { readDeletesPosition, readMaxPositions, withDeletesPosition } from '../singer/bookmarks/search';
import type { AuditStream } from '../streams/kinds';
import { flattenResource } from '../streams/transforms';
import { cascadeDelete, PositionTracker, type Family, type SyncContext } from './family';

/** Audit-log objectType → the root stream whose records it deletes. */
const OBJECT_STREAMS: Record<string, string> = {
  customer: 'customers',
  conversation: 'conversations',
  message: 'messages',
  note: 'notes',
  company: 'companies',
  kobject: 'kobjects',
};

/** Where one consumer of the audit log has read up to: an audit-log id, or (first run) a start instant. */
interface FeedCursor {
  afterId?: string;
  since?: string;
}

/**
 * The audit log, read once per run by cursor, serves two consumers:
 *  - the `audit_logs` stream (append-only), when selected;
 *  - delete detection for every selected Update family: `eventVerb: delete` (customers, conversations and
 *    KObjects are deleted permanently and vanish from search) and updates that set `deleted: true`, become
 *    tombstones in the object's stream, cascading to its position-keyed children.
 * Each consumer keeps its own cursor in its own bookmark (`deletes_after` on Update roots), so a target that
 * persists per-stream bookmarks only (pipelinewise) still resumes correctly. It runs after the search passes, so a
 * record re-read by them and deleted since still ends as a tombstone.
 */
export async function syncAuditAndDeletes(auditFamily: Family | undefined, updateFamilies: Family[], def: AuditStream, ctx: SyncContext): Promise<void> {
  const auditOut = auditFamily?.outputs.get(def.name);
  auditOut?.sendSchema();
  const consumers = new Map<string, FeedCursor>();
  const firstRunSince = ctx.upper;
  if (auditOut) {
    consumers.set(def.name, readAuditPosition(ctx.state.get('audit', def.name), new Date(Date.parse(ctx.config.start_date)).toISOString()));
  }
  for (const family of updateFamilies) {
    const position = readDeletesPosition(ctx.state.get('search', family.root.name));
    // A stream synced for the first time has nothing downstream to delete before this run began.
    consumers.set(family.root.name, position ?? { since: firstRunSince });
    if (!position) ctx.state.update('search', family.root.name, (bm) => withDeletesPosition(bm, { since: firstRunSince }));
  }
  if (consumers.size === 0) return;

  const start = earliest([...consumers.values()]);
  // Only a position left by an earlier run can fall behind retention; a first run starts where it starts.
  const resumed = [...consumers].filter(([, c]) => c.afterId !== undefined);
  if (resumed.length) await warnIfRetentionPassed(earliest(resumed.map(([, c]) => c)), def, ctx, resumed.map(([name]) => name));

  const positions = new Map(updateFamilies.map((f) => [f.root.name, trackerFor(f, ctx)] as const));
  const byStream = new Map(updateFamilies.map((f) => [f.root.name, f] as const));
  const pageSize = pageSizeFor(def.maxPageSize, ctx.config.page_size);
  for await (const page of auditPages(ctx.client, ctx.logger, { path: def.path, pageSize, from: start, stream: def.name, role: def.role })) {
    if (page.kind === 'missing') continue;
    const { timeExtracted } = page;
    for (const entry of page.data) {
      for (const [consumer, cursor] of consumers) {
        if (!isAfter(entry, cursor)) continue;
        if (consumer === def.name) auditOut!.record(flattenResource(entry), timeExtracted);
        else applyDelete(entry, byStream.get(consumer)!, positions.get(consumer)!, timeExtracted);
      }
    }
    const last = page.data[page.data.length - 1];
    if (last) {
      for (const [consumer, cursor] of consumers) {
        if (!isAfter(last, cursor)) continue;
        consumers.set(consumer, { afterId: last.id });
        if (consumer === def.name) ctx.state.set('audit', consumer, auditAdvanced(last.id, String(last.attributes?.createdAt ?? '') || undefined));
        else ctx.state.update('search', consumer, (bm) => withDeletesPosition(bm, { afterId: last.id }));
      }
    }
    ctx.state.emit();
    await ctx.drain();
  }
}

function trackerFor(family: Family, ctx: SyncContext): PositionTracker {
  const marks: Array<[string, number]> = [];
  for (const name of family.outputs.keys()) {
    const m = readMaxPositions(ctx.state.get('search', name));
    if (m !== undefined) marks.push([name, m]);
  }
  return new PositionTracker(marks);
}

function applyDelete(entry: Resource, family: Family, positions: PositionTracker, timeExtracted: string): void {
  const a = entry.attributes ?? {};
  const stream = OBJECT_STREAMS[String(a.objectType)];
  if (stream !== family.root.name || typeof a.objectId !== 'string') return;
  const softDeleted = a.eventVerb === 'update' && (a.changes as { attributes?: { deleted?: { after?: unknown } } } | undefined)?.attributes?.deleted?.after === true;
  if (a.eventVerb !== 'delete' && !softDeleted) return;
  const deletedAt = String(a.createdAt ?? timeExtracted);
  family.outputs.get(stream)?.tombstone({ id: a.objectId }, deletedAt, timeExtracted);
  cascadeDelete(family, stream, { raw: { id: a.objectId }, id: a.objectId, updatedAt: deletedAt, included: [] }, deletedAt, timeExtracted, positions, 'current');
}

/** Audit ids are ObjectIds, which rise with time; the first-run cursor is an instant. */
function isAfter(entry: Resource, cursor: FeedCursor): boolean {
  if (cursor.afterId !== undefined) return entry.id > cursor.afterId;
  return Date.parse(String(entry.attributes?.createdAt ?? '')) >= Date.parse(cursor.since!);
}

function earliest(cursors: FeedCursor[]): FeedCursor {
  const times = cursors.map((c) => (c.afterId !== undefined ? objectIdTime(c.afterId) : Date.parse(c.since!)));
  const i = times.indexOf(Math.min(...times));
  const c = cursors[i]!;
  return c.afterId !== undefined && cursors.some((o) => o.since !== undefined) ? { since: new Date(times[i]!).toISOString() } : c;
}

function objectIdTime(id: string): number {
  const seconds = parseInt(id.slice(0, 8), 16);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

/**
 * Kustomer keeps audit entries only until their `expiresAt`. If the oldest entry still held is newer than where
 * we left off, deletes in between can no longer be seen: say so loudly, with the way to recover.
 */
async function warnIfRetentionPassed(start: FeedCursor, def: AuditStream, ctx: SyncContext, consumers: string[]): Promise<void> {
  const from = start.afterId !== undefined ? objectIdTime(start.afterId) : Date.parse(start.since!);
  const res = await ctx.client.get(auditPageUrl(def.path, 1, {}), { stream: def.name, role: def.role });
  const page = parseListDocument(res.body);
  if (typeof page === 'string' || page.data.length === 0) return;
  const oldest = Date.parse(String(page.data[0]!.attributes?.createdAt ?? ''));
  if (Number.isFinite(oldest) && oldest > from + 1000) {
    const streams = consumers.filter((c) => c !== def.name);
    ctx.logger.warn(
      `AUDIT LOG GAP: Kustomer's audit log now starts at ${new Date(oldest).toISOString()}, after this tap's last position ` +
        `(${new Date(from).toISOString()}). Deletes in between cannot be detected. To recover, run a full refresh of: ` +
        `${streams.join(', ') || def.name} (delete their bookmarks from the state, or meltano run --full-refresh).`,
    );
  }
}
