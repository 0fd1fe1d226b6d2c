import type { Writable } from 'node:stream';

export type JsonSchema = Record<string, unknown>;

/** Raised once stdout is gone (the target exited): nothing more can be delivered, so the sync stops. */
export class BrokenPipeError extends Error {
  constructor() {
    super('the target closed its input (broken pipe)');
    this.name = 'BrokenPipeError';
  }
}

/**
 * The one place Singer messages are written. Lines are batched into large writes (cheap per record) and
 * producers await `drained()` at page boundaries, so a slow target slows the tap instead of filling memory.
 */
export class SingerWriter {
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private pending: Promise<void> | null = null;
  private broken = false;
  private readonly recordPrefix = new Map<string, string>();
  /** Counts per stream, for metrics and the summary. */
  readonly recordCounts = new Map<string, number>();
  lastState: unknown = undefined;

  constructor(
    private readonly out: Writable,
    private readonly flushBytes = 256 * 1024,
  ) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.broken = true;
      else throw err;
    });
  }

  get isBroken(): boolean {
    return this.broken;
  }

  schema(stream: string, schema: JsonSchema, keyProperties: string[], bookmarkProperties?: string[]): void {
    const msg: Record<string, unknown> = { type: 'SCHEMA', stream, schema, key_properties: keyProperties };
    if (bookmarkProperties?.length) msg.bookmark_properties = bookmarkProperties;
    this.push(JSON.stringify(msg));
  }

  record(stream: string, record: Record<string, unknown>, timeExtracted: string, version?: number): void {
    let prefix = this.recordPrefix.get(stream);
    if (prefix === undefined) {
      prefix = `{"type":"RECORD","stream":${JSON.stringify(stream)},"record":`;
      this.recordPrefix.set(stream, prefix);
    }
    const tail = version === undefined ? `,"time_extracted":"${timeExtracted}"}` : `,"version":${version},"time_extracted":"${timeExtracted}"}`;
    this.push(prefix + JSON.stringify(record) + tail);
    this.recordCounts.set(stream, (this.recordCounts.get(stream) ?? 0) + 1);
  }

  activateVersion(stream: string, version: number): void {
    this.push(JSON.stringify({ type: 'ACTIVATE_VERSION', stream, version }));
  }

  /** STATE is flushed at once: it is the resume point a target persists once the records before it are committed. */
  state(value: unknown): void {
    this.lastState = value;
    this.push(JSON.stringify({ type: 'STATE', value }));
    this.flush();
  }

  /** Resolves when stdout has room again; throws BrokenPipeError once the target is gone. */
  async drained(): Promise<void> {
    this.flush();
    if (this.pending) await this.pending;
    if (this.broken) throw new BrokenPipeError();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    if (this.broken) {
      this.buffer = [];
      this.bufferedBytes = 0;
      throw new BrokenPipeError();
    }
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.bufferedBytes = 0;
    const ok = this.out.write(chunk);
    if (!ok && !this.pending) {
      this.pending = new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          this.pending = null;
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
        this.out.on('error', done);
      });
    }
  }

  /** Flushes everything and waits until the OS has taken it (before exit). */
  async end(): Promise<void> {
    try {
      this.flush();
    } catch {
      return;
    }
    if (this.pending) await this.pending;
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= this.flushBytes) this.flush();
  }
}
