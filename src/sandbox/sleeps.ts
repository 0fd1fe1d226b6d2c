/** Cancellable waits (latency, `slow` faults): closing the sandbox ends every pending one at once. */
export class Sleeps {
  private readonly timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      this.timers.add(entry);
    });
  }

  cancelAll(): void {
    for (const { timer, done } of this.timers) {
      clearTimeout(timer);
      done();
    }
    this.timers.clear();
  }
}
