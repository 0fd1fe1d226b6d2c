/** The read API: one handler per route kind of the endpoint table (routes.ts). */
import type { RouteKind } from '../routes';
import { auditLogsReply } from './audit-logs';
import type { Handler } from './context';
import { metadataReply, tokenReply } from './documents';
import { childrenReply, listReply } from './lists';
import { searchReply } from './search';

export const READ_HANDLERS: Record<RouteKind, Handler> = {
  list: listReply,
  children: childrenReply,
  metadata: metadataReply,
  token: tokenReply,
  auditLogs: auditLogsReply,
  search: searchReply,
  archiveSearch: searchReply,
};
