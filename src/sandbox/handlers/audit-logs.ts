/** `GET /v1/audit-logs`: cursor paging by id (audit-log.ts), expired entries gone, in the order the options set. */
import { auditLogPage, parseAuditQuery } from '../audit-log';
import type { Handler } from './context';
import { json } from './reply';

export const auditLogsReply: Handler = (ctx, { url }) => {
  const query = parseAuditQuery(url.searchParams);
  const now = ctx.clock();
  const self = `${url.pathname}${url.search}`;
  return json(auditLogPage(ctx.views.auditLog(), query, { order: ctx.opts.auditOrder, now, retentionMs: ctx.opts.auditRetentionMs, self }));
};
