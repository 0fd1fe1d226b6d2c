/**
 * Pipelining for page readers: while the consumer handles page N, page N+1 is already requested and `start`
 * (e.g. its per-parent requests) is already under way, so the rate budget never idles at a page boundary.
 * Order is kept: values come out exactly as the source yields them. A failure surfaces where it is awaited.
 */
export async function* oneAhead<T, U>(source: AsyncIterable<T>, start: (item: T) => U): AsyncGenerator<U> {
  const it = source[Symbol.asyncIterator]();
  const pull = (): Promise<IteratorResult<U, undefined>> =>
    it.next().then((r) => (r.done ? { done: true, value: undefined } : { done: false, value: start(r.value) }));
  let next = pull();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = pull();
    next.catch(() => undefined); // awaited on the next turn; a failure surfaces there
    yield current.value;
  }
}
