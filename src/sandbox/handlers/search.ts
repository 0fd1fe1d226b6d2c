/**
 * `POST /v1/customers/search` and `/v1/customers/archive/search`: the body is checked against the published
 * contract (search-validation.ts), run over the target's index (search/) and paged by number up to the search
 * page cap; live search sees two years back, the archive everything.
 */
import { DateTime } from 'luxon';
import { withKlassIdShape } from '../kobject-shape';
import { parseSearchBody, projectFields, resolveTarget, runSearch } from '../search';
import { validateSearchBody } from '../search-validation';
import type { Handler } from './context';
import { pageEnvelope, pageParams } from './paging';
import { booleanParam, readQuery } from './query';
import { HttpError, parseJsonBody } from '../http-error';
import { json } from './reply';

export const searchReply: Handler = (ctx, { route, url, body: text, path }) => {
  const q = readQuery(url, ['page', 'pageSize', 'idsOnly']);
  const window = pageParams(q, route.pageCap);
  const { page, pageSize } = window;
  const idsOnly = booleanParam(q, 'idsOnly');
  if (page > ctx.opts.searchPageCap) throw new HttpError(400, 'page limit exceeded', 'page');
  const raw = parseJsonBody(text);
  const archive = route.kind === 'archiveSearch';
  validateSearchBody(raw, archive, { acceptIdAttribute: ctx.opts.acceptSearchById });
  const body = parseSearchBody(raw);
  const target = resolveTarget(ctx.data, body.queryContext, archive);
  const index = ctx.views.search(target.key, target.records);
  const minUpdatedMs = archive ? null : DateTime.fromMillis(ctx.clock(), { zone: 'utc' }).minus({ years: 2 }).toMillis();
  const result = runSearch(index, target, body, {
    minUpdatedMs,
    includeDeletedHonoured: ctx.opts.includeDeletedHonoured,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  const fields = body.fields;
  const items = ctx.opts.kobjectKlassRef === 'id' ? result.items.map((r) => withKlassIdShape(r, ctx.data.klasses)) : result.items;
  const data =
    idsOnly === true
      ? items.map((r) => ({ type: r.type, id: r.id }))
      : fields?.length
        ? items.map((r) => projectFields(r, fields, target))
        : items;
  const envelope = pageEnvelope(data, result.total, window, path, q, ctx.opts.searchPageCap);
  // The document's search answers carry `meta.aggregations` (empty without `aggs`).
  return json({ ...envelope, meta: { ...envelope.meta, aggregations: {} } });
};
