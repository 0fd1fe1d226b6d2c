import { fullTableCompleted, fullTableStarted, fullTableVersion } from '../singer/bookmarks/full-table';
import type { ListStream } from '../streams/kinds';
import { flattenResource } from '../streams/transforms';
import { ApiError } from '../kustomer-client/errors';
import { parseSingleDocument } from '../kustomer-client/jsonapi';
import { listPages } from '../paging/links';
import { pageSizeFor } from '../paging/page-size';
import { METADATA_ABSENT } from '../streams/table';
import { emitFlattened, parentNode, PositionTracker, type Family, type SyncContext } from './family';

/**
 * A Replace family: a plain list (and the rows flattened from it) read in full. Every RECORD carries the run's
 * version; ACTIVATE_VERSION after the last one tells the target to drop rows of older versions (vanished in
 * Kustomer). It is sent only then, never before the records (not even on a first run, as singer-io's full-table
 * taps do): a run that fails before the table is complete must leave the warehouse's rows where they were, and no
 * target needs the marker first (RECORD.version alone tags the rows).
 * An interrupted run resumes under the same version (the bookmark says it is not complete).
 */
export async function syncFullTable(family: Family, ctx: SyncContext): Promise<void> {
  const root = family.root as ListStream;
  const now = Date.now();
  for (const out of family.outputs.values()) {
    const { version } = fullTableVersion(ctx.state.get('fullTable', out.name), now);
    out.version = version;
    out.sendSchema();
    ctx.state.set('fullTable', out.name, fullTableStarted(version));
  }
  ctx.state.emit();

  const rootOut = family.outputs.get(root.name);
  const positions = new PositionTracker([]);
  const paths = typeof root.path === 'string' ? [root.path] : await root.path(ctx.discovery);

  for (const path of paths) {
    if (root.single) {
      const res = await ctx.client.get(path, { stream: root.name, role: root.role, allow: [...METADATA_ABSENT] });
      if (METADATA_ABSENT.includes(res.status)) {
        ctx.logger.warn(`stream ${root.name}: ${path} does not exist in this org; skipped`);
        continue;
      }
      const doc = parseSingleDocument(res.body);
      if (typeof doc === 'string') throw new ApiError(`stream ${root.name}: GET ${path}: ${doc}`);
      const timeExtracted = new Date().toISOString();
      const rows = root.explode ? root.explode(doc) : [flattenResource(doc)];
      for (const row of rows) rootOut?.record(root.transform ? root.transform(row, ctx.transform) : row, timeExtracted);
      continue;
    }
    const request = { path, pageSize: pageSizeFor(root.maxPageSize, ctx.config.page_size), params: root.params, stream: root.name, role: root.role };
    for await (const page of listPages(ctx.client, ctx.logger, request)) {
      if (page.kind === 'missing') continue;
      const { timeExtracted } = page;
      for (const res of page.data) {
        // A soft-deleted setting (`deleted: true`) is not a live row: leaving it out of this version drops it downstream.
        if (res.attributes?.deleted === true) continue;
        if (rootOut) {
          const rows = root.explode ? root.explode(res) : [flattenResource(res)];
          for (const row of rows) rootOut.record(root.transform ? root.transform(row, ctx.transform) : row, timeExtracted);
        }
        emitFlattened(family, root.name, parentNode(res, page.included), timeExtracted, ctx, positions);
      }
      await ctx.drain();
    }
  }

  for (const out of family.outputs.values()) {
    out.activateVersion();
    ctx.state.set('fullTable', out.name, fullTableCompleted(out.version!));
  }
  ctx.state.emit();
}
