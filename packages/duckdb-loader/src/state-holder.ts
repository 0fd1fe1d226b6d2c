/**
 * STATE emission: a STATE value is emitted only after every record received before it is committed, so a saved
 * state never points past data that is not in the database (records after it may be committed too: at-least-once).
 * The holder keeps the latest value received and emits it once, when the loader says its records are committed.
 */
export class StateHolder {
  private latest: { value: unknown; text: string } | undefined;
  private lastEmitted: string | undefined;
  /** States emitted so far (an unchanged value is not emitted again). */
  emitted = 0;

  constructor(private readonly emit: (value: unknown) => Promise<void> | void) {}

  /** A STATE value arrived; it supersedes any not yet emitted. */
  receive(value: unknown): void {
    this.latest = { value, text: JSON.stringify(value) ?? 'null' };
  }

  /** Every record received so far is committed: emit the latest value, unless it was the last one emitted. */
  async committed(): Promise<void> {
    const held = this.latest;
    if (held === undefined || held.text === this.lastEmitted) return;
    await this.emit(held.value);
    this.lastEmitted = held.text;
    this.emitted++;
  }
}
