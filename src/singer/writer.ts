import { Socket } from 'node:net';
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
  /** Lines are UTF-8-encoded straight into off-heap chunks: no joined chunk strings churning the JS heap. */
  private chunk: Buffer;
  private used = 0;
  private pending: Promise<void> | null = null;
  private broken = false;
  /**
   * Whether a chunk the stream has already handed on may be filled again. A socket or pipe (stdout under Meltano or
   * a shell pipe) passes the bytes to the OS inside `write` unless it has to queue them; any other Writable (a
   * PassThrough in tests) may keep the very Buffer, so it always gets a fresh one.
   */
  private readonly reuseChunks: boolean;
  private readonly recordPrefix = new Map<string, string>();
  /** A RECORD line's end (version, time_extracted), the same for every record of a page: built once per page. */
  private tail = '';
  private tailTime: string | undefined;
  private tailVersion: number | undefined;
  lastState: unknown = undefined;

  constructor(
    private readonly out: Writable,
    // 64 KB: big enough that a write per ~80 records costs nothing, small enough that a filled chunk is usually
    // collected young (with 256 KB chunks they outlived the nursery and piled up as old garbage).
    private readonly chunkBytes = 64 * 1024,
  ) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
    this.reuseChunks = out instanceof Socket;
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
    if (timeExtracted !== this.tailTime || version !== this.tailVersion) {
      this.tailTime = timeExtracted;
      this.tailVersion = version;
      this.tail = version === undefined ? `,"time_extracted":"${timeExtracted}"}` : `,"version":${version},"time_extracted":"${timeExtracted}"}`;
    }
    this.push(prefix + JSON.stringify(record) + this.tail);
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
    if (this.used === 0) return;
    if (this.broken) {
      this.used = 0;
      throw new BrokenPipeError();
    }
    const data = this.chunk.subarray(0, this.used);
    this.used = 0;
    this.write(data);
    // Nothing queued: the OS has the bytes and the chunk is free. Otherwise the stream keeps `data` until the OS
    // takes it, and the next lines go into a fresh chunk.
    if (!this.reuseChunks || this.out.writableLength > 0) this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
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
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the newline one more.
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.chunk.length) {
      this.flush();
      if (worst > this.chunk.length) {
        this.write(Buffer.from(line + '\n', 'utf8')); // a line larger than a chunk goes out on its own
        return;
      }
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.chunk[this.used++] = 0x0a;
  }

  private write(data: Buffer): void {
    if (this.broken) throw new BrokenPipeError();
    const ok = this.out.write(data);
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
}
