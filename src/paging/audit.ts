import type { KustomerClient } from '../http/client';
import type { Logger } from '../log';
import { linkedPages, type ListPage } from './links';

/** Audit logs page by cursor: `?count=N&after=<id>`, oldest first. */
export function auditPageUrl(path: string, count: number, cursor: { afterId?: string; since?: string }): string {
  const query = new URLSearchParams({ count: String(count) });
  if (cursor.afterId) query.set('after', cursor.afterId);
  else if (cursor.since) query.set('filter[start]', cursor.since);
  return `${path}?${query.toString()}`;
}

export interface AuditRead {
  path: string;
  pageSize: number;
  from: { afterId?: string; since?: string };
  stream: string;
  role: string;
}

/** Every audit-log page from a position on, following the feed's links to its end. */
export function auditPages(client: KustomerClient, logger: Logger, read: AuditRead): AsyncGenerator<ListPage> {
  return linkedPages(client, logger, { path: read.path, stream: read.stream, role: read.role }, auditPageUrl(read.path, read.pageSize, read.from), true);
}
