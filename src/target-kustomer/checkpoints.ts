/**
 * STATE discipline: a STATE goes to stdout only once every RECORD that came before it is confirmed written (bulk
 * jobs polled to completion, rejections recorded). STATEs wait while their records sit in batches; only the newest
 * confirmed one is printed (a runner keeps the last line anyway).
 */
export class Checkpoints {
  private pending: Array<{ after: number; value: unknown }> = [];

  constructor(private readonly emit: (value: unknown) => void) {}

  /** A STATE arrived after record number `after`. */
  received(after: number, value: unknown): void {
    this.pending.push({ after, value });
  }

  /** Records after which the oldest waiting STATE came (undefined when none waits). */
  get oldestWaitingAfter(): number | undefined {
    return this.pending[0]?.after;
  }

  /** Every record numbered below `oldestUnconfirmed` is written: print the newest STATE they cover. */
  confirm(oldestUnconfirmed: number): void {
    let ready: { value: unknown } | undefined;
    while (this.pending.length > 0 && this.pending[0]!.after < oldestUnconfirmed) ready = this.pending.shift();
    if (ready) this.emit(ready.value);
  }
}
