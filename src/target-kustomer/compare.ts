/**
 * "Would this write change anything?": a rerun of the same input must cost lookups only, and an update of a value
 * Kustomer already holds is skipped. Dates compare as instants (Kustomer returns milliseconds, warehouses may not).
 */
const ISO = /^\d{4}-\d{2}-\d{2}T/;

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return ISO.test(a) && ISO.test(b) && Date.parse(a) === Date.parse(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    // Missing and null are the same (Kustomer returns nulls for unset attributes).
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!sameValue(a[k] ?? null, b[k] ?? null)) return false;
    return true;
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
