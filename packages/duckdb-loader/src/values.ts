/** How JSON values of records become upsert keys and staging text (the flush casts the text to column types). */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text for a staging VARCHAR cell; the flush casts it to the column's type. */
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** JSON columns store every value as JSON text (a string becomes `"abc"`). */
export function toJsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return JSON.stringify(v);
}

/** One key property's value as part of a record's key (strings as they are, so `"1"` and `1` stay distinct). */
export function keyPart(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
