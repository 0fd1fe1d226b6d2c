/**
 * Derived seeds: one org seed feeds several independent random streams (fault probabilities, write ids, each
 * control-API mutation, each search-index rebuild), so a change in how often one stream is drawn never shifts another.
 */

/** The `n`th seed derived from `seed` (a murmur-style mix, so neighbouring `n` give unrelated streams). */
export function mixSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + n) >>> 0;
}
