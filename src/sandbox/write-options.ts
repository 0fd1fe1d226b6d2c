/**
 * Options of the sandbox's write API. Where Kustomer's published contract is unconfirmed (kustomer-write-api.md §6),
 * each plausible behaviour is an option, and target-kustomer's tests run under each.
 */
import { z } from 'zod';

export const writeOptionsSchema = z
  .object({
    /** One invalid item fails the whole bulk request with a 400 (as Hightouch reports) instead of a per-item error. */
    bulkRejectsWholeBatch: z.boolean(),
    /** Which keys a create refuses as "duplicate detected" when another live object already holds them (UNCONFIRMED). */
    duplicates: z.enum(['externalId', 'externalIdOrEmail', 'none']),
    /** Status polls a bulk job answers `queued`/`running` before it completes (jobs also complete in submission order). */
    bulkPollsBeforeComplete: z.number().int().min(0),
    /** Items per batch in `/v1/bulk/{id}/batches`. */
    bulkBatchSize: z.number().int().min(1).max(100),
    /** External ids whose items fail validation: stands in for server-side rules a client cannot check ahead. */
    refuseExternalIds: z.array(z.string()),
  })
  .partial()
  .strict();

export type WriteOptions = Required<z.infer<typeof writeOptionsSchema>>;

export const WRITE_DEFAULTS: WriteOptions = {
  bulkRejectsWholeBatch: false,
  duplicates: 'externalId',
  bulkPollsBeforeComplete: 1,
  bulkBatchSize: 25,
  refuseExternalIds: [],
};

/** Write roles (permission-set role first, then the legacy one); the default key holds the first of each. */
export const WRITE_ROLES = {
  customer: ['org.permission.customer.create', 'org.permission.customer.update', 'org.user.customer.write'],
  company: ['org.permission.company.create', 'org.permission.company.update', 'org.user.company.write'],
  kobject: ['org.permission.kobject.create', 'org.permission.kobject.update', 'org.user.kobject.write'],
  bulk: ['org.permission.bulk.read', 'org.user.bulk.read'],
  tag: ['org.permission.tag.create', 'org.user.tag.write'],
  metadata: ['org.permission.metadata.update', 'org.admin.metadata.write'],
} as const;

export const DEFAULT_WRITE_ROLES: string[] = [...new Set(Object.values(WRITE_ROLES).flatMap((r) => (r.length > 2 ? [r[0], r[1]] : [r[0]])))];
