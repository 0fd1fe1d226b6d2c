/**
 * Fixed-window request limiter (Kustomer: N requests per 60 s, then 429 "until the window resets").
 * A window opens with the first request after the previous one ended, so a test's burst always falls in one
 * window instead of straddling a wall-clock boundary. The clock is injectable for unit tests.
 */

export interface WindowState {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (never negative). */
  remaining: number;
  /** Epoch ms at which the current window ends. */
  resetAtMs: number;
}

export class FixedWindowLimiter {
  private windowStart = -Infinity;
  private used = 0;

  constructor(
    private limit: number,
    private windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request and says whether it fits in the current window. */
  take(): WindowState {
    this.roll();
    this.used++;
    return this.state(this.used <= this.limit);
  }

  /** Spends what is left of the current window (another integration of the org got there first). */
  exhaust(): void {
    this.roll();
    this.used = Math.max(this.used, this.limit);
  }

  /** New limits apply to the running window (its count is kept), a new window length from the next window. */
  configure(limit: number, windowMs: number): void {
    this.limit = limit;
    if (windowMs !== this.windowMs) {
      this.windowMs = windowMs;
      this.windowStart = -Infinity;
      this.used = 0;
    }
  }

  private roll(): void {
    const now = this.clock();
    if (now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
  }

  private state(allowed: boolean): WindowState {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.used),
      resetAtMs: this.windowStart + this.windowMs,
    };
  }
}

/** `x-ratelimit-reset`: Kustomer's unit is UNCONFIRMED (epoch seconds per singer-io, "now + 60s" per the docs). */
export function resetHeaderValue(resetAtMs: number, nowMs: number, style: 'epoch' | 'delta'): string {
  return style === 'epoch'
    ? String(Math.ceil(resetAtMs / 1000))
    : String(Math.max(0, Math.ceil((resetAtMs - nowMs) / 1000)));
}
