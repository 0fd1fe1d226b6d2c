import { JsonBodyParser } from '../../src/kustomer-client/json-body';

/** Feeds `text` in chunks cut at the given byte offsets (UTF-8 characters may be cut in half). */
function parseInChunks(text: string, cuts: number[]): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new JsonBodyParser();
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    parser.write(bytes.subarray(from, cut));
    from = cut;
  }
  return parser.end();
}

/** A deterministic PRNG, so a failure names the seed that reproduces it. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: (err as Error).name };
  }
}

const VALID = [
  '{"data":[{"type":"customer","id":"a1","attributes":{"name":"Zoë \\"Z\\" [x] {y}","emails":[{"email":"z@x.io"}],"n":1.5e3,"ok":true,"none":null}},{"id":"b\\\\"}],"meta":{"pageSize":500},"links":{"next":null}}',
  '{"data":[],"included":[ ],"links":{"next":"/v1/x?page=2"}}',
  '  { "a" : 1 , "b" : [ 1 , -2.5 , "x" , [ ] , { } , true , null ] , "c" : "\\u00e9\\n" }  \n',
  '{}',
  '[]',
  '[{"a":1},2,"three",null]',
  '"just text"',
  '42',
  ' -0.5e-3 ',
  'true',
  'null',
  '{"__proto__":{"polluted":true},"x":[{"__proto__":1}]}',
  '{"dup":1,"dup":[2]}',
  '{"emoji":"😀 ünïcödé ✓","k😀":"v"}',
];

const INVALID = [
  '',
  '   ',
  '{',
  '{"a":1',
  '{"a":1,}',
  '{"a" 1}',
  '{a:1}',
  '{"a":1}}',
  '{"a":1} x',
  '[1,]',
  '[,1]',
  '[1 2]',
  '{"data":[{"a":1]}',
  '{"data":[{"a":1},]}',
  '{"a":[1,2}',
  '{"a":tru}',
  '{"a":"unterminated}',
  '{"a":01}',
  '1 2',
  '{"a":1}{"b":2}',
  '\ufeff{"a":1}',
  '{"a":"\\x"}',
];

describe('JsonBodyParser (a body parsed as it arrives)', () => {
  test.each(VALID)('returns what JSON.parse returns, however the bytes are cut: %s', (text) => {
    const expected = JSON.parse(text);
    const bytes = Buffer.byteLength(text);
    expect(parseInChunks(text, [])).toEqual(expected);
    for (let cut = 1; cut < bytes; cut++) expect(parseInChunks(text, [cut])).toEqual(expected);
    const random = prng(bytes);
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * bytes));
      expect(parseInChunks(text, cuts)).toEqual(expected);
    }
  });

  test('keeps __proto__ an own property, as JSON.parse does (no prototype change)', () => {
    const doc = parseInChunks('{"__proto__":{"polluted":true}}', []) as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(doc, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(INVALID)('throws a SyntaxError where JSON.parse does, however the bytes are cut: %j', (text) => {
    const bytes = Buffer.byteLength(text);
    for (let cut = 0; cut <= bytes; cut++) {
      const result = outcome(() => {
        const p = new JsonBodyParser();
        const b = Buffer.from(text, 'utf8');
        p.write(b.subarray(0, cut));
        p.write(b.subarray(cut));
        if (p.empty) throw new SyntaxError('empty');
        return p.end();
      });
      expect(result).toEqual({ error: 'SyntaxError' });
    }
  });

  test('an empty body is no document', () => {
    const p = new JsonBodyParser();
    p.write(Buffer.alloc(0));
    expect(p.empty).toBe(true);
  });

  test('random documents round-trip through random chunkings', () => {
    const random = prng(7);
    const word = () => ['', 'a', 'Zoë', 'x"y', 'back\\slash', '[{', '}]', '😀', 'line\nbreak', ',:'][Math.floor(random() * 10)]!;
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return [word(), Math.round(random() * 1e6) / 100, true, false, null][Math.floor(random() * 5)];
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [word() + Math.floor(random() * 9), value(depth + 1)]));
    };
    for (let round = 0; round < 300; round++) {
      const doc = random() < 0.8 ? { data: Array.from({ length: Math.floor(random() * 5) }, () => value(1)), meta: value(1) } : value(0);
      const text = JSON.stringify(doc, null, random() < 0.5 ? 0 : 1);
      const bytes = Buffer.byteLength(text);
      const cuts = Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * bytes));
      expect(parseInChunks(text, cuts)).toEqual(JSON.parse(text));
    }
  });
});
