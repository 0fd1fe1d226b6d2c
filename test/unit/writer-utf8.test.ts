import { PassThrough } from 'node:stream';
import { SingerWriter } from '../../src/singer/writer';

/** Every Buffer the writer hands to its stream, in order. */
function capture(): { out: PassThrough; writes: Buffer[] } {
  const out = new PassThrough();
  const writes: Buffer[] = [];
  out.on('data', (c: Buffer) => writes.push(c));
  return { out, writes };
}

const line = (stream: string, record: object) => JSON.stringify({ type: 'RECORD', stream, record, time_extracted: '2026-01-01T00:00:00.000Z' }) + '\n';

describe('SingerWriter: multi-byte text and chunk ends', () => {
  test('every write is whole lines of valid UTF-8, whatever the mix of 1- to 4-byte characters at a chunk end', async () => {
    const { out, writes } = capture();
    const writer = new SingerWriter(out, 1024);
    let expected = '';
    // Names of 0 to 400 characters, some of one width (1-, 2-, 3-byte, or 4-byte surrogate pairs), some mixed: the
    // lines end at every offset of a chunk, and a line of 3-byte characters needs 3 bytes per UTF-16 unit, the most
    // any text needs, so a chunk that reserved less would cut it.
    const chars = ['a', 'é', '✓', '😀'];
    for (let i = 0; i < 800; i++) {
      const mixed = i % 5 === 4;
      const record = { id: String(i), name: Array.from({ length: i % 401 }, (_, k) => chars[mixed ? k % 4 : i % 4]).join('') };
      writer.record('things', record, '2026-01-01T00:00:00.000Z');
      expected += line('things', record);
    }
    await writer.end();
    expect(writes.length).toBeGreaterThan(10); // the chunk really filled up, many times
    for (const w of writes) {
      const text = w.toString('utf8');
      expect(Buffer.from(text, 'utf8').equals(w)).toBe(true); // no character cut in two
      expect(text.endsWith('\n')).toBe(true); // no line cut in two
    }
    expect(Buffer.concat(writes).toString('utf8')).toBe(expected);
  });

  test('a line larger than a chunk goes out whole, in its place between the lines around it', async () => {
    const { out, writes } = capture();
    const writer = new SingerWriter(out, 256);
    const small = { id: 'small', name: 'ü✓' };
    const big = { id: 'big', name: '✓😀é'.repeat(200) }; // ~2,000 bytes of UTF-8: several chunks' worth
    writer.record('things', small, '2026-01-01T00:00:00.000Z');
    writer.record('things', big, '2026-01-01T00:00:00.000Z');
    writer.record('things', small, '2026-01-01T00:00:00.000Z');
    await writer.end();
    expect(writes.map((w) => w.toString('utf8'))).toEqual([line('things', small), line('things', big), line('things', small)]);
  });
});
