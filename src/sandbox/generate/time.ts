/** Time units and instants of the generated org (all UTC, millisecond precision). */
import type { Rng } from '../random';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const dayCodes = new Map<number, number[]>();

/** ISO-8601 UTC with milliseconds and `Z` (same output as `Date#toISOString`, ~3x faster, flat string). */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const d = Math.floor(ms / DAY);
  let c = dayCodes.get(d);
  if (c === undefined) {
    const s = new Date(d * DAY).toISOString();
    c = [];
    for (let i = 0; i < 11; i++) c.push(s.charCodeAt(i));
    dayCodes.set(d, c);
  }
  let r = ms - d * DAY;
  const milli = r % 1000;
  r = (r - milli) / 1000;
  const sec = r % 60;
  r = (r - sec) / 60;
  const min = r % 60;
  const h = (r - min) / 60;
  const k = c as number[] & { length: 11 };
  return String.fromCharCode(
    k[0] as number, k[1] as number, k[2] as number, k[3] as number, k[4] as number, k[5] as number, k[6] as number, k[7] as number,
    k[8] as number, k[9] as number, k[10] as number,
    48 + ((h / 10) | 0), 48 + (h % 10), 58, 48 + ((min / 10) | 0), 48 + (min % 10), 58, 48 + ((sec / 10) | 0), 48 + (sec % 10), 46,
    48 + ((milli / 100) | 0), 48 + (((milli / 10) | 0) % 10), 48 + (milli % 10), 90,
  );
}

/**
 * `x` plus a random delay of at most `maxDelta`, squeezed into the room left before `bound` (clamping instead
 * would pile thousands of records onto `bound` — an artificial tie).
 */
export function later(rng: Rng, x: number, maxDelta: number, bound: number): number {
  const room = Math.max(0, bound - x);
  return x + Math.floor(rng.next() * Math.min(maxDelta, room));
}

/** Draws `n` sorted instants in [lo, hi]. */
export function sortedTimes(rng: Rng, n: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.floor(rng.float(lo, Math.max(lo, hi))));
  out.sort((a, b) => a - b);
  return out;
}
