/**
 * Buffering RECORDs between flushes: per stream, the last record per key wins (append-only streams keep every
 * record), and a soft delete that follows a live record of the same key in the same batch keeps that record's data,
 * marked deleted. Each record gets its receive time and a sequence number strictly increasing within the run.
 */
import type { Pending, StreamTarget } from './model';
import { TargetInputError } from './types';
import { keyPart, toText } from './values';

/** `_sdc_received_at` and `_sdc_sequence` (epoch microseconds, strictly increasing even within one millisecond). */
export class ReceiveClock {
  private lastNow = 0;
  private lastNowIso = '';
  private seq = 0;

  next(): { receivedAt: string; seq: number } {
    const now = Date.now();
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastNowIso = new Date(now).toISOString();
    }
    this.seq = Math.max(this.seq + 1, now * 1000);
    return { receivedAt: this.lastNowIso, seq: this.seq };
  }
}

/** A RECORD as it waits for the flush. `_sdc_deleted_at` set makes it a tombstone. */
export function pendingRecord(
  msg: Record<string, unknown>,
  rec: Record<string, unknown>,
  version: number | null,
  clock: ReceiveClock,
): Pending {
  const { receivedAt, seq } = clock.next();
  const deleted = rec['_sdc_deleted_at'];
  const extracted = msg['time_extracted'] ?? rec['_sdc_extracted_at'];
  const tomb = deleted !== null && deleted !== undefined;
  return {
    rec,
    tomb,
    insert: !tomb,
    extractedAt: toText(extracted),
    receivedAt,
    deletedAt: toText(deleted),
    version,
    seq,
  };
}

function missingKey(target: StreamTarget, key: string, where: string): never {
  throw new TargetInputError(`${where}: RECORD for stream "${target.stream}" has no value for key property "${key}"`);
}

/** The record's key as one string; throws when a key property has no value. */
function keyOf(target: StreamTarget, rec: Record<string, unknown>, where: string): string {
  const keys = target.keys;
  if (keys.length === 1) {
    const k = keys[0] as string;
    const v = rec[k];
    if (v === null || v === undefined) missingKey(target, k, where);
    return keyPart(v);
  }
  const parts: string[] = [];
  for (const k of keys) {
    const v = rec[k];
    if (v === null || v === undefined) missingKey(target, k, where);
    parts.push(keyPart(v));
  }
  return JSON.stringify(parts);
}

/** Adds `entry` to its stream's buffer. Returns true when it takes a new place (not replacing a buffered key). */
export function bufferRecord(target: StreamTarget, entry: Pending, hardDelete: boolean, where: string): boolean {
  if (target.keys.length === 0) {
    target.appendOnly.push(entry);
    return true;
  }
  const key = keyOf(target, entry.rec, where);
  const prev = target.keyed.get(key);
  if (prev === undefined) {
    target.keyed.set(key, entry);
    return true;
  }
  if (entry.tomb && !hardDelete && prev.insert) {
    // A soft delete after a live record of the same batch: keep that record's data, marked deleted.
    const merged: Record<string, unknown> = { ...prev.rec };
    for (const k in entry.rec) if (entry.rec[k] !== null && entry.rec[k] !== undefined) merged[k] = entry.rec[k];
    entry.rec = merged;
    entry.insert = true;
  }
  target.keyed.set(key, entry);
  return false;
}
