import type { Logger } from '../log';
import type { KustomerClient } from '../kustomer-client/client';
import type { RateBudget } from '../kustomer-client/rate-budget';
import type { StreamOutput } from './output';

/**
 * What a person watching the run reads: one overall progress line per interval, record_count metrics at the end,
 * and a per-stream table (records, tombstones, requests, duration) after the summary line.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly outputs: StreamOutput[] = [];
  /** When each stream's pass started and ended (a family's streams share their root's pass). */
  private readonly spans = new Map<string, { from: number; to?: number }>();
  private lastTotal = 0;
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

  /** These streams' pass begins (a later call for the same stream, such as the delete pass, extends it). */
  begin(streams: Iterable<string>): void {
    const now = Date.now();
    for (const s of streams) if (!this.spans.has(s)) this.spans.set(s, { from: now });
  }

  end(streams: Iterable<string>): void {
    const now = Date.now();
    for (const s of streams) {
      const span = this.spans.get(s);
      if (span) span.to = now;
    }
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

  /** One line for the whole run: totals, the rate since the last line, and the streams currently being read. */
  report(): void {
    const now = Date.now();
    const interval = Math.max(0.001, (now - this.lastReport) / 1000);
    this.lastReport = now;
    const { records, tombstones } = this.recordTotals();
    const rate = (records + tombstones - this.lastTotal) / interval;
    this.lastTotal = records + tombstones;
    const { requests, throttled } = this.requestTotals();
    const active = [...this.spans].filter(([, s]) => s.to === undefined).map(([name]) => name);
    const budget = this.budget.stats.acquired / Math.max(1, (this.budget.allowance * (now - this.started)) / 60_000);
    this.logger.info(
      `progress: ${records} records (+${tombstones} tombstones), ${rate.toFixed(0)} rec/s, ${requests} requests, ` +
        `${Math.round(Math.min(1, budget) * 100)}% of rate budget, ${throttled} x 429; reading ${active.length ? active.join(', ') : 'nothing'}`,
    );
  }

  /** record_count metrics, the summary line, the per-stream table, and each failure. */
  summary(failed: Map<string, string>): void {
    this.stop();
    for (const o of this.outputs) {
      this.logger.metric('counter', 'record_count', o.records + o.tombstones, { endpoint: o.name });
    }
    const seconds = (Date.now() - this.started) / 1000;
    const { requests, throttled } = this.requestTotals();
    const { records, tombstones } = this.recordTotals();
    this.logger.info(
      `sync ${failed.size ? 'finished with failures' : 'complete'}: ${this.outputs.length} streams, ${records} records, ${tombstones} tombstones, ` +
        `${requests} requests (${throttled} x 429) in ${seconds.toFixed(1)}s`,
    );
    for (const line of this.table(failed)) this.logger.info(line);
    for (const [stream, why] of failed) this.logger.error(`stream ${stream} failed: ${why}`);
  }

  /** The per-stream table, aligned for a terminal. Requests are counted where they were made: a root's pass
   *  serves its flattened children, so those show 0. */
  private table(failed: Map<string, string>): string[] {
    const rows = this.outputs.map((o) => {
      const span = this.spans.get(o.name);
      const ms = span ? (span.to ?? Date.now()) - span.from : 0;
      return [o.name, String(o.records), String(o.tombstones), String(this.client.stats.get(o.name)?.requests ?? 0), `${(ms / 1000).toFixed(1)}s`, failed.has(o.name) ? 'failed' : 'ok'];
    });
    const header = ['stream', 'records', 'tombstones', 'requests', 'duration', 'result'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
    return [line(header), ...rows.map(line)];
  }

  private recordTotals(): { records: number; tombstones: number } {
    let records = 0;
    let tombstones = 0;
    for (const o of this.outputs) {
      records += o.records;
      tombstones += o.tombstones;
    }
    return { records, tombstones };
  }

  private requestTotals(): { requests: number; throttled: number } {
    let requests = 0;
    let throttled = 0;
    for (const s of this.client.stats.values()) {
      requests += s.requests;
      throttled += s.throttled;
    }
    return { requests, throttled };
  }
}
