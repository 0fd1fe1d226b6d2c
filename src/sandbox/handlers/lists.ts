/**
 * Plain lists (`GET /v1/tags`, `/v1/users?deleted=false`, `/v1/slas?versions=all`, ...) and per-parent lists
 * (`GET /v1/conversations/:id/events`, ...): page-number paging over a sorted view, the route's filters and sorts,
 * 404 for a parent that does not exist.
 */
import type { CollectionName, Resource } from '../model';
import type { Route, SortSpec } from '../routes';
import type { Handler } from './context';
import { pageEnvelope, pageOf, pageParams } from './paging';
import { oneOf, parseBoolean, parseInstantParam, readQuery, type Query } from './query';
import { HttpError } from '../http-error';
import { json } from './reply';

/** Every parameter the route accepts. */
function routeParams(route: Route): string[] {
  return [
    'page',
    'pageSize',
    ...(route.sorts ? ['sort'] : []),
    ...Object.keys(route.filters ?? {}),
    ...(route.ignored ?? []),
    ...(route.sideLoad ? [route.sideLoad.param] : []),
  ];
}

/** The order `?sort=` asks for, if given; an order the route does not offer is a 400. */
function requestedSort(q: Query, route: Route): SortSpec | undefined {
  const sortParam = q.get('sort');
  if (sortParam === undefined) return undefined;
  const spec = route.sorts?.[sortParam];
  if (!spec) throw new HttpError(400, `unsupported sort \`${sortParam}\``, 'sort');
  return spec;
}

/** One predicate per filter the request (or the filter's default) sets. */
function filterTests(q: Query, route: Route): Array<(r: Resource) => boolean> {
  const tests: Array<(r: Resource) => boolean> = [];
  for (const [name, spec] of Object.entries(route.filters ?? {})) {
    const value = q.get(name) ?? spec.default;
    if (value === undefined || value === spec.any) continue;
    if (spec.values) oneOf(value, spec.values, name);
    if (spec.op === 'bool') {
      const want = parseBoolean(value, name);
      tests.push((r) => (r.attributes[spec.attr] === true) === want);
    } else if (spec.op === 'eq') {
      // A record without the attribute is in the default state (klasses without `status` are enabled).
      tests.push((r) => (r.attributes[spec.attr] ?? spec.default) === value);
    } else {
      const at = parseInstantParam(value, name);
      const op = spec.op;
      tests.push((r) => {
        const v = Date.parse(String(r.attributes[spec.attr]));
        return op === 'gt' ? v > at : op === 'gte' ? v >= at : op === 'lt' ? v < at : v <= at;
      });
    }
  }
  return tests;
}

export const listReply: Handler = (ctx, { route, url, path }) => {
  const collection = route.collection as CollectionName;
  const side = route.sideLoad;
  const q = readQuery(url, routeParams(route));
  const window = pageParams(q, route.pageCap);
  let records = ctx.views.list(collection, requestedSort(q, route));
  const tests = filterTests(q, route);
  if (tests.length) records = records.filter((r) => tests.every((t) => t(r)));

  const slice = pageOf(records, window);
  // Kustomer's outbound accounts carry no id (kustomer-fields.md §7); the sandbox keeps one only for its own bookkeeping.
  const served = collection === 'outboundAccounts' ? slice.map(({ id: _id, ...rest }) => rest) : slice;
  const envelope: Record<string, unknown> = pageEnvelope(served, records.length, window, path, q);
  if (side) {
    const v = q.get(side.param);
    if (v !== undefined) oneOf(v, side.values, side.param);
    if (v === side.when) envelope.included = slice.flatMap((r) => ctx.views.children(side.collection, [side.rel], r.id));
  }
  if (collection === 'notifications') {
    (envelope.meta as Record<string, unknown>).unread = records.filter((r) => r.attributes.status === 'unread').length;
  }
  return json(envelope);
};

export const childrenReply: Handler = (ctx, { route, param: parentId, url, path }) => {
  const parent = route.parent as NonNullable<Route['parent']>;
  const q = readQuery(url, routeParams(route));
  const window = pageParams(q, route.pageCap);
  if (!ctx.views.parentExists(parent.collection, parentId)) {
    throw new HttpError(404, `${parent.collection.slice(0, -1)} ${parentId} not found`, 'id');
  }
  let records = ctx.views.children(route.collection as CollectionName, parent.rels, parentId);
  // Children are kept in creation order; a descending sort reverses it.
  if (requestedSort(q, route)?.desc) records = [...records].reverse();
  return json(pageEnvelope(pageOf(records, window), records.length, window, path, q));
};
