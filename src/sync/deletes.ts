import type { Resource } from '../kustomer-client/jsonapi';
import { baseContext } from '../kustomer-client/search-context';
import { auditWindows, holdsEntryAtOrBefore } from '../paging/audit';
import { pageSizeFor } from '../paging/page-size';
import { auditCoveredUntil, readAuditCoveredUntil } from '../singer/bookmarks/audit';
import { readDeletesCoveredUntil, readMaxPositions, withDeletesCoveredUntil } from '../singer/bookmarks/search';
import type { AuditStream, SearchStream } from '../streams/kinds';
import { flattenResource } from '../streams/transforms';
import { cascadeDelete, PositionTracker, type Family, type SyncContext } from './family';

/** Kustomer keeps conversation, customer and message *update* events 90 days (other events 12 months). */
const UPDATE_EVENT_RETENTION_MS = 90 * 24 * 3600 * 1000;

/**
 * The audit log, read once per run in bounded time windows (see paging/audit.ts), serves two consumers:
 *  - the `audit_logs` stream (append-only), when selected;
 *  - delete detection for every selected Update family: `eventVerb: delete` (customers, conversations and
 *    KObjects are deleted permanently and vanish from search) and updates that set `deleted: true`, become
 *    tombstones in the object's stream, cascading to its position-keyed children.
 * Each consumer keeps its own "covered until" instant in its own bookmark, moved only when a window has been read
 * to its end, so a target that persists per-stream bookmarks only (pipelinewise) still resumes correctly and a
 * run killed at any point resumes without a hole. It runs after the search passes, so a record re-read by them
 * and deleted since still ends as a tombstone.
 */
export async function syncAuditAndDeletes(auditFamily: Family | undefined, updateFamilies: Family[], def: AuditStream, ctx: SyncContext): Promise<void> {
  const auditOut = auditFamily?.outputs.get(def.name);
  auditOut?.sendSchema();
  const upper = Date.parse(ctx.upper);
  /** Consumer → the instant up to which it has read the log. */
  const covered = new Map<string, number>();
  const resumed: string[] = [];
  if (auditOut) {
    const bm = ctx.state.get('audit', def.name);
    covered.set(def.name, Date.parse(readAuditCoveredUntil(bm, new Date(Date.parse(ctx.config.start_date)).toISOString())));
    if (bm) resumed.push(def.name);
  }
  for (const family of updateFamilies) {
    const until = readDeletesCoveredUntil(ctx.state.get('search', family.root.name));
    // A stream synced for the first time has nothing downstream to delete before this run began.
    covered.set(family.root.name, until === undefined ? upper : Date.parse(until));
    if (until === undefined) ctx.state.update('search', family.root.name, (bm) => withDeletesCoveredUntil(bm, ctx.upper));
    else resumed.push(family.root.name);
  }
  if (covered.size === 0) return;

  const from = Math.min(...covered.values());
  if (resumed.length) await warnIfRetentionPassed(Math.min(...resumed.map((c) => covered.get(c)!)), def, ctx, resumed);

  const positions = new Map(updateFamilies.map((f) => [f.root.name, trackerFor(f, ctx)] as const));
  const byStream = new Map(updateFamilies.map((f) => [f.root.name, f] as const));
  const read = { path: def.path, pageSize: pageSizeFor(def.maxPageSize, ctx.config.page_size), from, to: upper, stream: def.name, role: def.role };
  for await (const item of auditWindows(ctx.client, ctx.logger, read)) {
    if (item.kind === 'entries') {
      for (const entry of item.entries) {
        const created = Date.parse(String(entry.attributes?.createdAt ?? ''));
        for (const [consumer, until] of covered) {
          if (created < until) continue;
          if (consumer === def.name) auditOut!.record(flattenResource(entry), item.timeExtracted);
          else applyDelete(entry, byStream.get(consumer)!, positions.get(consumer)!, item.timeExtracted);
        }
      }
      await ctx.drain();
      continue;
    }
    const until = Date.parse(item.until);
    for (const [consumer, was] of covered) {
      if (was >= until) continue;
      covered.set(consumer, until);
      if (consumer === def.name) ctx.state.set('audit', consumer, auditCoveredUntil(item.until));
      else ctx.state.update('search', consumer, (bm) => withDeletesCoveredUntil(bm, item.until));
    }
    ctx.state.emit();
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
  const root = family.root as SearchStream;
  if (!deletesReach(root, String(a.objectType)) || typeof a.objectId !== 'string') return;
  const stream = root.name;
  const softDeleted = a.eventVerb === 'update' && (a.changes as { attributes?: { deleted?: { after?: unknown } } } | undefined)?.attributes?.deleted?.after === true;
  if (a.eventVerb !== 'delete' && !softDeleted) return;
  const deletedAt = String(a.createdAt ?? timeExtracted);
  family.outputs.get(stream)?.tombstone({ id: a.objectId }, deletedAt, timeExtracted);
  cascadeDelete(family, stream, { raw: { id: a.objectId }, id: a.objectId, updatedAt: deletedAt, included: [] }, deletedAt, timeExtracted, positions, 'current');
}

/**
 * Whether an audit entry about `objectType` concerns this search root: the audit log names objects by the search
 * context's name (`customer`, `conversation`…); per-klass KObject streams take every `kobject` entry (a delete of
 * another klass's id is a tombstone for a key they never held).
 */
function deletesReach(root: SearchStream, objectType: string): boolean {
  return objectType === root.queryContext || objectType === baseContext(root.queryContext);
}

/**
 * Kustomer keeps audit entries only for a while (update events 90 days, others 12 months). If the log holds no
 * entry from before where a consumer left off, entries in between may be gone; if that position is older than the
 * update events' retention, soft deletes (updates setting `deleted: true`) may have expired. Say so, with the way out.
 */
async function warnIfRetentionPassed(from: number, def: AuditStream, ctx: SyncContext, consumers: string[]): Promise<void> {
  const streams = consumers.filter((c) => c !== def.name);
  const recover = `To recover, run a full refresh of: ${streams.join(', ') || def.name} (delete their bookmarks from the state, or meltano run --full-refresh).`;
  const since = new Date(from).toISOString();
  if (!(await holdsEntryAtOrBefore(ctx.client, { path: def.path, stream: def.name, role: def.role }, from))) {
    ctx.logger.warn(`AUDIT LOG GAP: Kustomer's audit log holds no entry from before ${since}, this tap's last position. Deletes logged in between cannot be detected. ${recover}`);
  } else if (streams.length && Date.now() - from > UPDATE_EVENT_RETENTION_MS) {
    ctx.logger.warn(
      `AUDIT LOG GAP: this tap last read the audit log at ${since}, more than 90 days ago; Kustomer keeps update events 90 days, so soft deletes ` +
        `(updates setting deleted: true) before ${new Date(Date.now() - UPDATE_EVENT_RETENTION_MS).toISOString()} may have expired. ${recover}`,
    );
  }
}
