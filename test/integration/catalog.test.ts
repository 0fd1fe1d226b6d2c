/**
 * catalog/catalog.json is what `tap-kustomer --discover` prints against the fixed sandbox org (src/tools/catalog-snapshot.ts,
 * the same function `npm run catalog` uses): it must be current, and hold exactly the table's streams.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_API_KEY, catalogSnapshot } from '../../src/tools/catalog-snapshot';
import { STREAMS } from '../../src/streams/table';
import { recordOutput, registerSecret, ROOT } from '../helpers/harness';

const FILE = join(ROOT, 'catalog', 'catalog.json');

/** The table's streams: discovery without per-klass streams offers exactly these. */
const EXPECTED_STREAMS = STREAMS.map((d) => d.name);

interface Entry {
  stream: string;
  tap_stream_id: string;
  key_properties: unknown;
  schema: { properties: Record<string, unknown> };
  metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[];
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((line, n) => line !== bl[n]);
  const at = i === -1 ? al.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(bl[at] ?? '<end>')}, discovered ${JSON.stringify(al[at] ?? '<end>')}`;
}

describe('catalog/catalog.json', () => {
  let fresh: string;

  beforeAll(async () => {
    fresh = await catalogSnapshot();
    registerSecret(CATALOG_API_KEY);
    recordOutput(fresh);
  });

  it('is what --discover prints against the sandbox today (else run `npm run catalog`)', () => {
    if (!existsSync(FILE)) throw new Error('catalog/catalog.json is missing: run `npm run catalog` and commit it');
    const committed = readFileSync(FILE, 'utf8');
    if (fresh !== committed) {
      throw new Error(`catalog/catalog.json is stale (${firstDifference(fresh, committed)}): run \`npm run catalog\` and commit it`);
    }
  });

  it.each([
    ['the committed file', () => readFileSync(FILE, 'utf8')],
    ['a fresh discovery', () => fresh],
  ])("%s holds exactly the table's streams, each with key_properties and metadata", (_, text) => {
    const streams = (JSON.parse(text()) as { streams: Entry[] }).streams;
    expect(streams.map((s) => s.stream).sort()).toEqual([...EXPECTED_STREAMS].sort());
    expect(new Set(streams.map((s) => s.tap_stream_id)).size).toBe(STREAMS.length);
    for (const s of streams) {
      const keys = s.key_properties as string[];
      expect({ stream: s.stream, keysAreStrings: Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string') }).toEqual({
        stream: s.stream,
        keysAreStrings: true,
      });
      expect({ stream: s.stream, missingKeys: keys.filter((k) => !(k in s.schema.properties)) }).toEqual({ stream: s.stream, missingKeys: [] });
      const root = s.metadata.find((m) => m.breadcrumb.length === 0);
      expect({ stream: s.stream, tableKeys: root?.metadata['table-key-properties'] }).toEqual({ stream: s.stream, tableKeys: keys });
      expect({ stream: s.stream, selectedByDefault: typeof root?.metadata['selected-by-default'] }).toEqual({ stream: s.stream, selectedByDefault: 'boolean' });
      const described = new Set(s.metadata.filter((m) => m.breadcrumb.length === 2 && m.breadcrumb[0] === 'properties').map((m) => m.breadcrumb[1]));
      expect({ stream: s.stream, undescribed: Object.keys(s.schema.properties).filter((p) => !described.has(p)) }).toEqual({ stream: s.stream, undescribed: [] });
      for (const k of keys) {
        const inclusion = s.metadata.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[1] === k)?.metadata.inclusion;
        expect({ stream: s.stream, key: k, inclusion }).toEqual({ stream: s.stream, key: k, inclusion: 'automatic' });
      }
    }
  });
});
