import { JsonBodyParser } from '../../src/kustomer-client/json-body';
import { parseListDocument } from '../../src/kustomer-client/jsonapi';
import { PageRecord, pageRecordOf, updatedAtOf } from '../../src/paging/page-record';

/**
 * Feeds `text` to a parser that keeps `data` elements as PageRecords, in chunks cut at the given byte offsets (a
 * UTF-8 character or an escape may be cut in half). Returns the document and the chunks, which the caller may
 * overwrite to prove the records own their bytes.
 */
function readInChunks(text: string, cuts: number[]): { doc: Record<string, unknown>; chunks: Buffer[] } {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new JsonBodyParser(pageRecordOf);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    // Each chunk its own buffer, as a socket delivers them.
    const chunk = Buffer.from(bytes.subarray(from, cut));
    chunks.push(chunk);
    parser.write(chunk);
    from = cut;
  }
  return { doc: parser.end() as Record<string, unknown>, chunks };
}

function records(doc: Record<string, unknown>): PageRecord[] {
  const data = doc.data as unknown[];
  for (const element of data) expect(element).toBeInstanceOf(PageRecord);
  return data as PageRecord[];
}

/** What each record must materialize to, and what the rest of the document must be: JSON.parse's answer. */
function expectSameAsJsonParse(text: string, doc: Record<string, unknown>): void {
  const plain = JSON.parse(text) as Record<string, unknown>;
  const expected = plain.data as Array<{ id: string; attributes?: Record<string, unknown> }>;
  const got = records(doc);
  expect(got.map((rec) => rec.resource())).toEqual(expected);
  expect(got.map((rec) => rec.id)).toEqual(expected.map((res) => res.id));
  expect(got.map((rec) => rec.ts)).toEqual(expected.map((res) => updatedAtOf(res as never)));
  expect(got.map((rec) => rec.createdAt)).toEqual(expected.map((res) => res.attributes?.createdAt));
  const { data: _data, ...rest } = doc;
  const { data: _plainData, ...plainRest } = plain;
  expect(rest).toEqual(plainRest);
}

const PAGES = [
  // Escaped quotes and backslashes, brackets inside strings, an escaped quote right before a closing brace.
  '{"data":[{"type":"customer","id":"a1","attributes":{"name":"Zoë \\"Z\\" [x] {y}","note":"ends \\\\","q":"\\"}"}},{"type":"customer","id":"b\\"2","attributes":{"updatedAt":"2026-01-02T00:00:00.000Z"}}],"meta":{"pageSize":500,"total":2},"links":{"next":null}}',
  // Multi-byte UTF-8 (2, 3 and 4 bytes) that chunk cuts split, in values and keys; \\u escapes.
  '{"data":[{"id":"ü1","attributes":{"name":"Ünïcödé ✓ 😀","k😀":"v","createdAt":"2025-05-05T05:05:05.000Z","esc":"\\u00e9\\ud83d\\ude00"}}],"included":[{"type":"org","id":"o1"}],"meta":{}}',
  // `__proto__` keys stay own properties, at the top of a record and deeper.
  '{"data":[{"__proto__":{"polluted":true},"id":"p1","attributes":{"__proto__":{"deleted":true},"updatedAt":"2026-02-02T00:00:00.000Z"}}]}',
  // Whitespace everywhere JSON allows it; an empty record; numbers, booleans, nulls.
  ' { "data" : [ { "id" : "w1" , "attributes" : { "n" : -1.5e3 , "ok" : true , "none" : null , "deleted" : false } } , { } ] , "links" : { "next" : "/v1/x?page=2" } } ',
  '{"data":[]}',
];

describe('search pages keep each data element as its own bytes (PageRecord)', () => {
  test.each(PAGES)('each record materializes to what JSON.parse returns, and nothing else changes, however the bytes are cut: %s', (text) => {
    const bytes = Buffer.byteLength(text);
    expectSameAsJsonParse(text, readInChunks(text, []).doc);
    for (let cut = 1; cut < bytes; cut++) expectSameAsJsonParse(text, readInChunks(text, [cut]).doc);
    for (let cut = 1; cut + 7 < bytes; cut++) expectSameAsJsonParse(text, readInChunks(text, [cut, cut + 3, cut + 7]).doc);
  });

  test('a record owns its bytes: overwriting the response chunks afterwards changes nothing', () => {
    const text = PAGES[0]!;
    for (const cuts of [[], [40], [13, 90, 151]]) {
      const { doc, chunks } = readInChunks(text, cuts);
      for (const chunk of chunks) chunk.fill(0x20);
      expectSameAsJsonParse(text, doc);
    }
  });

  test('__proto__ stays an own property of the materialized record, as with JSON.parse', () => {
    const [rec] = records(readInChunks(PAGES[2]!, [5, 30]).doc);
    const res = rec!.resource() as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(res)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(res, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The nested `__proto__: {deleted: true}` is data, not the attributes' prototype: the record is not deleted.
    expect(rec!.deletedAt).toBeNull();
  });

  test('keyset position, creation instant and deletion as paging reads them', () => {
    const text = JSON.stringify({
      data: [
        { id: 'u', attributes: { updatedAt: '2026-01-02T00:00:00.000Z', createdAt: '2025-01-01T00:00:00.000Z' } },
        { id: 'c', attributes: { createdAt: '2025-01-01T00:00:00.000Z' } },
        { id: 'none' },
        { id: 'd1', attributes: { updatedAt: '2026-01-03T00:00:00.000Z', deleted: true, deletedAt: '2026-01-03T00:00:01.000Z' } },
        { id: 'd2', attributes: { updatedAt: '2026-01-04T00:00:00.000Z', deleted: true } },
        { id: 'f', attributes: { updatedAt: '2026-01-05T00:00:00.000Z', deleted: false, deletedAt: '2026-01-05T00:00:00.000Z' } },
      ],
    });
    const got = records(readInChunks(text, [17, 200]).doc);
    expect(got.map((rec) => [rec.id, rec.ts, rec.createdAt, rec.deletedAt])).toEqual([
      ['u', '2026-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z', null],
      ['c', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', null],
      ['none', '1970-01-01T00:00:00.000Z', undefined, null],
      ['d1', '2026-01-03T00:00:00.000Z', undefined, '2026-01-03T00:00:01.000Z'],
      ['d2', '2026-01-04T00:00:00.000Z', undefined, '2026-01-04T00:00:00.000Z'],
      ['f', '2026-01-05T00:00:00.000Z', undefined, null],
    ]);
  });

  test('only the root object\'s data array is kept as records: a root array, nested data and included are parsed as usual', () => {
    const nested = '{"meta":{"data":[{"id":"m"}]},"included":[{"id":"i","data":[{"id":"x"}]}],"data":[{"id":"r"}]}';
    const { doc } = readInChunks(nested, [9, 33]);
    expect(doc).toMatchObject({ meta: { data: [{ id: 'm' }] }, included: [{ id: 'i', data: [{ id: 'x' }] }] });
    expect(records(doc).map((rec) => rec.id)).toEqual(['r']);
    const parser = new JsonBodyParser(pageRecordOf);
    parser.write(Buffer.from('[{"id":"a"}]'));
    expect(parser.end()).toEqual([{ id: 'a' }]);
  });

  test('an element that is not an object stays as parsed, and the page check names it as for any list', () => {
    for (const [element, type] of [['null', 'null'], ['5', 'number'], ['"x"', 'string'], ['[1]', 'array']] as const) {
      const { doc } = readInChunks(`{"data":[{"id":"a"},${element}]}`, [12]);
      expect((doc.data as unknown[])[1]).toEqual(JSON.parse(element));
      expect(parseListDocument(doc)).toBe(`unexpected response shape (data.1: Invalid input: expected object, received ${type})`);
    }
  });

  test.each(['{"data":[{"id":"a"},{"id":"b",}]}', '{"data":[{"id":"a\\x"}]}', '{"data":[{"id":"a"}{"id":"b"}]}', '{"data":[{"id":"a"'])(
    'a malformed element throws a SyntaxError, as without records, however the bytes are cut: %s',
    (text) => {
      const bytes = Buffer.byteLength(text);
      for (let cut = 0; cut <= bytes; cut++) {
        let error: unknown;
        try {
          readInChunks(text, [cut]);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(SyntaxError);
      }
    },
  );
});
