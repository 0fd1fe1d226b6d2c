/**
 * ACTIVATE_VERSION: the tap has sent the whole table as `version`; rows of any older version (or none) are gone
 * from Kustomer. They are HARD-deleted whatever `hardDelete` says: a versioned stream is a full-table snapshot,
 * and keeping soft-deleted copies of every vanished row on every sync would grow the table without bound. Soft
 * deletes (`_sdc_deleted_at`) remain the tool for individual tombstones.
 */
import { errorMessage } from './error-text';
import type { Db } from './model';
import { toNumber } from './sql';
import { TargetError, TargetExitCode, TargetInputError } from './types';

/** The stream and version of an ACTIVATE_VERSION message; throws TargetInputError (prefixed with `where`). */
export function parseActivateVersion(msg: Record<string, unknown>, where: string): { stream: string; version: number } {
  const stream = msg['stream'];
  const version = msg['version'];
  if (typeof stream !== 'string') throw new TargetInputError(`${where}: ACTIVATE_VERSION without a "stream"`);
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
    throw new TargetInputError(`${where}: ACTIVATE_VERSION for stream "${stream}" has no integer "version"`);
  }
  return { stream, version };
}

/** Deletes the rows of `table` older than `version` (or without one); returns how many. */
export async function deleteOlderVersions(db: Db, stream: string, table: string, version: number): Promise<number> {
  let removed: number;
  try {
    const reader = await db.conn.runAndReadAll(`DELETE FROM ${table} WHERE _sdc_table_version IS NULL OR _sdc_table_version < $1`, [BigInt(version)]);
    removed = toNumber(reader.getRows()[0]?.[0]);
  } catch (e) {
    throw new TargetError(`ACTIVATE_VERSION on ${db.schema}.${stream} failed: ${errorMessage(e)}`, TargetExitCode.internal);
  }
  if (removed > 0) db.log(`INFO ${db.schema}.${stream}: ACTIVATE_VERSION ${version} removed ${removed} older rows`);
  return removed;
}
