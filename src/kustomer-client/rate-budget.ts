import { parseRateLimitReset, header } from './retry-timing';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface RateBudgetOptions {
  name: string;
  /** Requests per window before the server reports its own limit. */
  limit: number;
  windowMs: number;
  /** Share of the limit this tap may use, 0 < u ≤ 1. */
  utilization: number;
  /** Whether x-ratelimit-limit on responses describes this budget (org-wide: yes; search: only when lower). */
  learnLimit: 'always' | 'when-lower' | 'never';
  clock?: Clock;
}

/**
 * Paces requests so a healthy run stays under Kustomer's fixed-window rate limit instead of hitting it and
 * retrying: requests are spaced evenly at `limit × utilization` per window (a GCRA with a small burst
 * allowance), and the server's own `x-ratelimit-remaining`/`reset` win whenever they are tighter (the limit is
 * shared with every other integration of the org).
 */
export class RateBudget {
  private limit: number;
  private tat = 0; // theoretical arrival time of the next request (GCRA)
  private serverRemaining: number | undefined;
  private serverResetAt: number | undefined;
  private sentSinceObserved = 0;
  private blockedUntil = 0;
  readonly stats = { acquired: 0, waitedMs: 0, throttled: 0 };
  private readonly clock: Clock;

  constructor(private readonly opts: RateBudgetOptions) {
    this.limit = opts.limit;
    this.clock = opts.clock ?? { now: Date.now, sleep: (ms, s) => realClock.sleep(ms, s) };
  }

  get currentLimit(): number {
    return this.limit;
  }

  /** Requests this tap may send per window. */
  get allowance(): number {
    return Math.max(1, Math.floor(this.limit * this.opts.utilization));
  }

  private get intervalMs(): number {
    return this.opts.windowMs / this.allowance;
  }

  /** Waits until one more request fits in the budget, then claims it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      let wait = 0;
      if (now < this.blockedUntil) wait = this.blockedUntil - now;
      else if (this.serverResetAt !== undefined && now < this.serverResetAt && this.serverRemaining !== undefined) {
        const reserve = Math.floor(this.limit * (1 - this.opts.utilization));
        if (this.serverRemaining - this.sentSinceObserved <= reserve) wait = this.serverResetAt - now + 5;
      }
      if (wait === 0) {
        const burst = Math.max(1, Math.min(10, Math.floor(this.allowance / 20)));
        const tat = Math.max(this.tat, now);
        const earliest = tat - burst * this.intervalMs;
        if (earliest > now) wait = earliest - now;
        else {
          this.tat = tat + this.intervalMs;
          this.sentSinceObserved++;
          this.stats.acquired++;
          return;
        }
      }
      this.stats.waitedMs += wait;
      await this.clock.sleep(Math.ceil(wait), signal);
    }
  }

  /** Learns from a response's x-ratelimit-* headers. */
  observe(headers: Record<string, string | string[] | undefined>): void {
    const now = this.clock.now();
    const limit = Number(header(headers, 'x-ratelimit-limit'));
    if (Number.isFinite(limit) && limit > 0) {
      const learn = this.opts.learnLimit;
      if (learn === 'always' || (learn === 'when-lower' && limit < this.limit)) this.limit = limit;
      else if (learn === 'when-lower') return; // these headers describe another (looser) budget
    }
    const remaining = Number(header(headers, 'x-ratelimit-remaining'));
    const reset = parseRateLimitReset(header(headers, 'x-ratelimit-reset'), now);
    if (Number.isFinite(remaining) && reset !== undefined) {
      // A newer window, or a tighter count within the same window, replaces what we knew.
      if (this.serverResetAt === undefined || reset > this.serverResetAt + 1 || remaining < this.serverRemaining! - this.sentSinceObserved) {
        this.serverRemaining = remaining;
        this.serverResetAt = reset;
        this.sentSinceObserved = 0;
      }
    }
  }

  /** After a 429: nothing goes out before `untilMs`. */
  blockUntil(untilMs: number): void {
    this.stats.throttled++;
    this.blockedUntil = Math.max(this.blockedUntil, untilMs);
    this.serverRemaining = 0;
    this.serverResetAt = untilMs;
    this.sentSinceObserved = 0;
  }
}
