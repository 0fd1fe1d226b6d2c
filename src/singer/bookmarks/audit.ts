import * as z from '../../lean-zod';

/**
 * The bookmark of the `audit_logs` stream (append-only): every entry created before `replication_key_value` has
 * been emitted. It only ever moves to the end of a time window read to its end, whatever order Kustomer pages in.
 */
export const AuditBookmarkSchema = z.object({
  replication_key: z.literal('created_at'),
  replication_key_value: z.string(),
});
export type AuditBookmark = z.infer<typeof AuditBookmarkSchema>;

/** Where the stream resumes: the instant its bookmark covers up to, or (first run) the start date. */
export function readAuditCoveredUntil(bm: AuditBookmark | undefined, startDate: string): string {
  return bm?.replication_key_value ?? startDate;
}

/** The bookmark once every entry created before `until` is emitted. */
export function auditCoveredUntil(until: string): AuditBookmark {
  return { replication_key: 'created_at', replication_key_value: until };
}

/**
 * The creation second of an audit-log entry id (a MongoDB ObjectId starts with its creation time): older releases
 * bookmarked ids; their instant, rounded down, is a safe place to resume from (a second re-read at most).
 */
export function objectIdInstant(id: string): string | undefined {
  const seconds = parseInt(id.slice(0, 8), 16);
  return /^[0-9a-f]{24}$/i.test(id) && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
}
