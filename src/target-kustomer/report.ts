/**
 * What a run did, per stream: progress lines while it runs and one table at the end (stderr), in the same words for
 * a real run and a dry run's plan.
 */
import type { KustomerClient } from '../kustomer-client/client';
import type { Logger } from '../log';

export interface Counts {
  records: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  tagged: number;
  untagged: number;
}

export function emptyCounts(): Counts {
  return { records: 0, created: 0, updated: 0, skipped: 0, rejected: 0, tagged: 0, untagged: 0 };
}

const COLUMNS: Array<keyof Counts> = ['records', 'created', 'updated', 'skipped', 'rejected', 'tagged', 'untagged'];

export class Report {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly client: KustomerClient,
    private readonly streams: () => Map<string, Counts>,
    private readonly dryRun: boolean,
  ) {}

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => this.progress(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  requests(stream: string): number {
    return this.client.stats.get(stream)?.requests ?? 0;
  }

  progress(): void {
    for (const [stream, c] of this.streams()) {
      this.logger.info(
        `progress ${stream}: ${COLUMNS.map((k) => `${c[k]} ${k}`).join(', ')}, ${this.requests(stream)} requests`,
      );
    }
  }

  /** The end-of-run table; a dry run's columns are what the run would do. */
  table(): string[] {
    const header = ['stream', ...COLUMNS, 'requests'];
    const rows = [...this.streams()].map(([stream, c]) => [stream, ...COLUMNS.map((k) => String(c[k])), String(this.requests(stream))]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return [this.dryRun ? 'dry run: plan (nothing was written)' : 'summary', line(header), ...rows.map(line)];
  }
}
