import { createServer, connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { SingerWriter } from '../../src/singer/writer';

/** Lines long enough that a small chunk holds only a few: every few records is a flush. */
function writeRecords(writer: SingerWriter, n: number): string[] {
  const expected: string[] = [];
  for (let i = 0; i < n; i++) {
    const record = { id: String(i), name: `record ${i} ${'é✓'.repeat(i % 7)}`, pad: 'x'.repeat(i % 300) };
    writer.record('things', record, '2026-01-01T00:00:00.000Z');
    expected.push(JSON.stringify({ type: 'RECORD', stream: 'things', record, time_extracted: '2026-01-01T00:00:00.000Z' }));
  }
  return expected;
}

describe('SingerWriter output chunks', () => {
  test('a Writable that keeps the Buffers it is given still gets every line intact (chunks are never refilled)', async () => {
    const out = new PassThrough();
    const kept: Buffer[] = [];
    out.on('data', (c: Buffer) => kept.push(c)); // keeps references, like a test harness or an in-process target
    const writer = new SingerWriter(out, 1024);
    const expected = writeRecords(writer, 500);
    await writer.end();
    expect(Buffer.concat(kept).toString('utf8')).toBe(expected.map((l) => l + '\n').join(''));
  });

  test('a socket gets every line intact, whether a chunk went out at once or had to queue', async () => {
    const received: Buffer[] = [];
    const server = createServer((s) => s.on('data', (c: Buffer) => received.push(c)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const closed = new Promise<void>((r) => server.on('connection', (s) => s.on('close', () => r())));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const writer = new SingerWriter(socket, 1024);
    const expected = writeRecords(writer, 5000); // far more than the socket takes at once: some writes queue
    await writer.end();
    socket.end();
    await closed;
    server.close();
    expect(Buffer.concat(received).toString('utf8')).toBe(expected.map((l) => l + '\n').join(''));
  });

  test('each RECORD line carries its own stream, version and time_extracted, however they change between records', async () => {
    const out = new PassThrough();
    const kept: Buffer[] = [];
    out.on('data', (c: Buffer) => kept.push(c));
    const writer = new SingerWriter(out, 1024);
    const expected: string[] = [];
    // Pages alternate between streams, times and versions (full-table versions, incremental without): no line may
    // borrow another's envelope.
    const cases: Array<[string, string, number | undefined]> = [
      ['a', '2026-01-01T00:00:00.000Z', undefined],
      ['a', '2026-01-01T00:00:00.000Z', undefined],
      ['b', '2026-01-01T00:00:00.000Z', 1767225600000],
      ['b', '2026-01-01T00:00:01.000Z', 1767225600000],
      ['a', '2026-01-01T00:00:01.000Z', undefined],
      ['b', '2026-01-01T00:00:01.000Z', 1767225600001],
      ['a', '2026-01-01T00:00:00.000Z', undefined],
    ];
    cases.forEach(([stream, time, version], i) => {
      const record = { id: String(i) };
      writer.record(stream, record, time, version);
      const msg: Record<string, unknown> = { type: 'RECORD', stream, record };
      if (version !== undefined) msg.version = version;
      msg.time_extracted = time;
      expected.push(JSON.stringify(msg));
    });
    await writer.end();
    expect(Buffer.concat(kept).toString('utf8')).toBe(expected.map((l) => l + '\n').join(''));
  });
});
