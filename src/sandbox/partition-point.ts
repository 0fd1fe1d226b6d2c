/** Binary search over a sorted list, in one form that the search index and the audit log's cursors share. */

/**
 * The first index at which `before` turns false, for a list partitioned by it (every item it holds for comes
 * first): where a bound falls in a sorted list.
 */
export function partitionPoint<T>(list: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
