import type { Resource } from '../kustomer-client/jsonapi';

/**
 * One record of a search page, kept as its own bytes plus the few fields paging needs, until it is emitted.
 *
 * A parsed 500-record page is megabytes of small objects. Held from its arrival until it is emitted (and the next
 * page is held meanwhile, see oneAhead), every one of them outlives V8's young generation and is copied by the
 * scavenger twice before it dies: measured, that was a quarter of the tap's CPU. A Buffer's bytes live outside the
 * JS heap and are never copied by the scavenger (a decoded string would be), so a page held as bytes costs almost
 * nothing to keep, and the record is parsed a second time only when it is emitted, into objects that die young.
 */
export class PageRecord {
  constructor(
    /** The record's JSON text, a copy of its own (never a view of a response chunk, which would keep it alive). */
    private readonly bytes: Buffer,
    readonly id: string,
    /** Its keyset position: updatedAt, else createdAt, else the epoch (see updatedAtOf). */
    readonly ts: string,
    /** Its creation instant as sent (splits giant ties; orders ties at a bookmark's instant). */
    readonly createdAt: unknown,
    /** When it was soft-deleted (its deletedAt, else its position), or null if it is not deleted. */
    readonly deletedAt: string | null,
  ) {}

  /** The record in full: what JSON.parse of its element in the response returned. */
  resource(): Resource {
    return JSON.parse(this.bytes.toString('utf8')) as Resource;
  }
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/** A record's keyset position. */
export function updatedAtOf(res: Resource): string {
  return String(res.attributes?.updatedAt ?? res.attributes?.createdAt ?? EPOCH);
}

/**
 * Keeps one `data` element of a search page as a PageRecord: `bytes` (owned by the caller, see JsonBodyParser)
 * and `value`, the element already parsed (which is then dropped). An element that is not an object is returned
 * as it is, so the page's shape check reports it exactly as it would any other list's.
 */
export function pageRecordOf(bytes: Buffer, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const res = value as Resource;
  const ts = updatedAtOf(res);
  const deletedAt = res.attributes?.deleted === true ? String(res.attributes.deletedAt ?? ts) : null;
  return new PageRecord(bytes, res.id, ts, res.attributes?.createdAt, deletedAt);
}
