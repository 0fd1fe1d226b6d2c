/** Kustomer speaks camelCase; warehouses want snake_case. Conversions are cached: the same few hundred keys
 * recur on every record, and the cache keeps per-record CPU low. */
const snakeCache = new Map<string, string>();

/** `firstMessageIn` → `first_message_in`, `s3DataUrl` → `s3_data_url`, `address2` → `address2`. */
export function snakeCase(key: string): string {
  let out = snakeCache.get(key);
  if (out === undefined) {
    out = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (snakeCache.size < 100_000) snakeCache.set(key, out);
  }
  return out;
}
