/**
 * Seeded, deterministic randomness for the sandbox (sfc32 seeded through splitmix32) plus Mongo-ObjectId-style ids.
 * Nothing here reads the clock or Math.random: the same seed always yields the same sequence.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Small fast PRNG (sfc32). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Fold any JS number (negative, fractional, > 2^32) into 32 bits deterministically.
    const lo = Math.floor(seed) | 0;
    const hi = Math.floor(seed / 4294967296) | 0;
    const sm = splitmix32((lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('Rng.pick on an empty array');
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** Pick with relative weights (`items[i]` has weight `weights[i]`). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = tmp;
    }
    return arr;
  }

  /** `k` distinct indices in [0, n), in draw order (Floyd's algorithm; O(k)). */
  sampleIndices(n: number, k: number): number[] {
    const want = Math.max(0, Math.min(n, Math.floor(k)));
    const chosen = new Set<number>();
    const out: number[] = [];
    for (let j = n - want; j < n; j++) {
      const t = this.int(0, j);
      const v = chosen.has(t) ? j : t;
      chosen.add(v);
      out.push(v);
    }
    return out;
  }

  /** `k` distinct elements (fewer if the array is shorter). */
  sample<T>(arr: readonly T[], k: number): T[] {
    return this.sampleIndices(arr.length, k).map((i) => arr[i] as T);
  }

  /** Lower-case hex string of `len` characters (flat string). */
  hex(len: number): string {
    const codes = new Array<number>(len);
    let i = 0;
    while (i < len) {
      let w = this.u32();
      for (let k = 0; k < 8 && i < len; k++, i++) {
        codes[i] = HEX_CHARS[w & 15] as number;
        w >>>= 4;
      }
    }
    return String.fromCharCode.apply(null, codes);
  }
}

const HEX_CHARS: readonly number[] = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

/**
 * Precomputed weighted choice (cumulative table), for hot loops.
 */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cum: number[];
  private readonly total: number;

  constructor(pairs: ReadonlyArray<readonly [T, number]>) {
    this.items = [];
    this.cum = [];
    let acc = 0;
    for (const [item, w] of pairs) {
      acc += w;
      this.items.push(item);
      this.cum.push(acc);
    }
    this.total = acc;
  }

  pick(rng: Rng): T {
    const r = rng.next() * this.total;
    const cum = this.cum;
    for (let i = 0; i < cum.length; i++) {
      if (r < (cum[i] as number)) return this.items[i] as T;
    }
    return this.items[this.items.length - 1] as T;
  }

  /** Expected value when T is numeric. */
  mean(): number {
    let prev = 0;
    let m = 0;
    for (let i = 0; i < this.items.length; i++) {
      const c = this.cum[i] as number;
      m += Number(this.items[i]) * (c - prev);
      prev = c;
    }
    return m / this.total;
  }
}

const idCodes: number[] = new Array<number>(24).fill(48);

function putHex32(v: number, at: number): void {
  for (let k = 7; k >= 0; k--) {
    idCodes[at + k] = HEX_CHARS[v & 15] as number;
    v >>>= 4;
  }
}

/**
 * Mongo ObjectId-style 24-hex id: the first 8 hex digits are the epoch seconds of `date`, the remaining 16 come
 * from the rng. Ids therefore rise with creation time (at one-second granularity). Returns a flat string.
 */
export function objectId(rng: Rng, date: Date | number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const secs = Math.max(0, Math.floor(ms / 1000));
  putHex32(secs >>> 0, 0);
  putHex32(rng.u32(), 8);
  putHex32(rng.u32(), 16);
  return String.fromCharCode.apply(null, idCodes);
}

/** Epoch milliseconds encoded in an ObjectId's first 8 hex digits (second precision). */
export function objectIdTime(id: string): number {
  return parseInt(id.slice(0, 8), 16) * 1000;
}

/**
 * An id strictly greater than `prev` (string order) whose timestamp part is `date`'s seconds, or `prev`'s when
 * `date` is not later (Mongo's per-process counter behaviour). Used for the audit log, whose cursor is the id.
 */
export function nextObjectIdAfter(prev: string | undefined, rng: Rng, date: Date | number): string {
  if (prev === undefined || !/^[0-9a-f]{24}$/.test(prev)) return objectId(rng, date);
  const ms = typeof date === 'number' ? date : date.getTime();
  const secs = Math.max(Math.floor(ms / 1000), parseInt(prev.slice(0, 8), 16));
  let tail = BigInt('0x' + prev.slice(8)) + 1n + BigInt(rng.int(0, 15));
  if (tail > 0xffffffffffffffffn) tail = 0n; // unreachable in practice
  const head = secs === parseInt(prev.slice(0, 8), 16) ? prev.slice(0, 8) : secs.toString(16).padStart(8, '0');
  const id = head + tail.toString(16).padStart(16, '0');
  return id > prev ? id : objectId(rng, (secs + 1) * 1000);
}
