import type { Logger } from '../log';
import type { KustomerClient } from '../http/client';
import type { RateBudget } from '../http/rate-budget';
import type { StreamOutput } from './output';

/**
 * A human progress line per active stream at a steady interval, record_count metrics, and the end-of-run summary.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly outputs: StreamOutput[] = [];
  private readonly lastCounts = new Map<string, number>();
  private lastReport = Date.now();

  constructor(
    private readonly logger: Logger,
    private readonly client: KustomerClient,
    private readonly budget: RateBudget,
    private readonly intervalMs: number,
  ) {}

  track(outputs: Iterable<StreamOutput>): void {
    for (const o of outputs) if (!this.outputs.includes(o)) this.outputs.push(o);
  }

  start(): void {
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => this.report(), this.intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One line per stream that moved since the last report. */
  report(): void {
    const now = Date.now();
    const interval = Math.max(0.001, (now - this.lastReport) / 1000);
    this.lastReport = now;
    const budget = this.budget.stats.acquired / Math.max(1, (this.budget.allowance * (Date.now() - this.started)) / 60_000);
    for (const o of this.outputs) {
      const total = o.records + o.tombstones;
      const before = this.lastCounts.get(o.name) ?? 0;
      if (total === before) continue;
      this.lastCounts.set(o.name, total);
      const stats = this.client.stats.get(o.name) ?? this.client.stats.get(rootOf(o)) ?? { requests: 0, throttled: 0 };
      this.logger.info(
        `progress ${o.name}: ${o.records} records (+${o.tombstones} tombstones), ${((total - before) / interval).toFixed(0)} rec/s, ` +
          `${stats.requests} requests, ${Math.round(Math.min(1, budget) * 100)}% of rate budget, ${stats.throttled} x 429`,
      );
    }
  }

  /** record_count metrics and the final summary. */
  summary(failed: Map<string, string>): void {
    this.stop();
    for (const o of this.outputs) {
      this.logger.metric('counter', 'record_count', o.records + o.tombstones, { endpoint: o.name });
    }
    const seconds = (Date.now() - this.started) / 1000;
    let requests = 0;
    let throttled = 0;
    for (const s of this.client.stats.values()) {
      requests += s.requests;
      throttled += s.throttled;
    }
    const records = this.outputs.reduce((n, o) => n + o.records, 0);
    const tombstones = this.outputs.reduce((n, o) => n + o.tombstones, 0);
    this.logger.info(
      `sync ${failed.size ? 'finished with failures' : 'complete'}: ${this.outputs.length} streams, ${records} records, ${tombstones} tombstones, ` +
        `${requests} requests (${throttled} x 429) in ${seconds.toFixed(1)}s`,
    );
    for (const [stream, why] of failed) this.logger.error(`stream ${stream} failed: ${why}`);
  }
}

function rootOf(o: StreamOutput): string {
  return 'parent' in o.def ? o.def.parent : o.name;
}
