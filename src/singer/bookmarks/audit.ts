import { z } from 'zod';

/**
 * The bookmark of the `audit_logs` stream (append-only): how far it has read the audit log.
 */
export const AuditBookmarkSchema = z.object({
  /** The id of the last entry emitted (cursor paging). */
  after: z.string().optional(),
  replication_key: z.literal('created_at').optional(),
  /** When the last entry emitted was created. */
  replication_key_value: z.string().optional(),
});
export type AuditBookmark = z.infer<typeof AuditBookmarkSchema>;

/** Where the stream resumes: after an entry id, or (first run) at an instant. */
export type AuditPosition = { afterId: string } | { since: string };

export function readAuditPosition(bm: AuditBookmark | undefined, startDate: string): AuditPosition {
  if (bm?.after) return { afterId: bm.after };
  return { since: bm?.replication_key_value ?? startDate };
}

/** The bookmark after emitting the entry `id`, created at `createdAt`. */
export function auditAdvanced(id: string, createdAt: string | undefined): AuditBookmark {
  const bm: AuditBookmark = { after: id, replication_key: 'created_at' };
  if (createdAt) bm.replication_key_value = createdAt;
  return bm;
}
