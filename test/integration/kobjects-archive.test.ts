import type { Sandbox } from '../../src/sandbox/server';
import { STREAMS } from '../../src/streams/table';
import { discover, fold, selectAll, sync, testSandbox } from '../helpers/harness';

describe('KObjects, one stream per klass (opt-in)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 80 });
  });
  afterAll(() => sb.close());

  test("off by default: exactly the table's streams", async () => {
    const catalog = await discover(sb);
    expect(catalog.streams.map((s) => s.stream)).toEqual(STREAMS.map((d) => d.name));
    expect(catalog.streams.some((s) => s.stream.startsWith('kobjects_'))).toBe(false);
  });

  test('on: a typed stream per klass, holding exactly that klass’s objects', async () => {
    const catalog = await discover(sb, { kobject_streams_per_klass: true });
    const klassNames = sb.data.klasses.map((k) => String(k.attributes.name));
    const perKlass = catalog.streams.filter((s) => s.stream.startsWith('kobjects_'));
    expect(perKlass.map((s) => s.stream).sort()).toEqual(klassNames.map((n) => `kobjects_${n.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`).sort());
    for (const name of klassNames) expect(sb.data.metadata.find((m) => m.id === `kobject.${name}`)).toBeDefined();
    // Each per-klass schema types that klass's custom attributes, not the others'.
    const first = perKlass[0]!;
    const klass = first.stream.replace(/^kobjects_/, '');
    const meta = sb.data.metadata.find((m) => m.id.replace(/^kobject\./, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase() === klass)!;
    const typed = Object.keys(first.schema.properties.custom.properties);
    expect(typed.length).toBeGreaterThan(0);
    for (const name of typed) expect(Object.keys(meta.attributes.properties as object)).toContain(name);

    const run = await sync(sb, { catalog: selectAll(catalog, ['kobjects', ...perKlass.map((s) => s.stream)]), config: { kobject_streams_per_klass: true } });
    expect(run.code).toBe(0);
    const w = fold([run.messages]);
    const all = w.get('kobjects')!;
    let total = 0;
    for (const entry of perKlass) {
      const rows = [...w.get(entry.stream)!.values()];
      expect(rows.length).toBeGreaterThan(0);
      const names = new Set(rows.map((r) => r.klass_name));
      expect(names.size).toBe(1);
      total += rows.length;
    }
    expect(total).toBe(all.size);
    for (const row of all.values()) expect(klassNames).toContain(row.klass_name);
  });

  test('a catalog naming a klass the org does not have is a clear input error', async () => {
    const catalog = await discover(sb, { kobject_streams_per_klass: true });
    const bogus = structuredClone(catalog.streams.find((s) => s.stream.startsWith('kobjects_'))!);
    bogus.stream = bogus.tap_stream_id = 'kobjects_no_such_klass';
    const run = await sync(sb, { catalog: { streams: [bogus] }, config: { kobject_streams_per_klass: true } });
    expect(run.code).toBe(2);
    expect(run.stderr.join('\n')).toMatch(/kobjects_no_such_klass/);
  });
});

describe('archive backfill (objects older than the 2-year search window)', () => {
  test('off: old customers are not read; on: read once, then the bookmark says done', async () => {
    const sb = await testSandbox({ scale: 40, archived: 12 });
    try {
      const catalog = selectAll(await discover(sb), ['customers', 'conversations']);
      const archivedIds = new Set(sb.data.archived.customers.map((c) => JSON.stringify([c.id])));
      expect(archivedIds.size).toBe(12);

      const off = await sync(sb, { catalog });
      expect([...fold([off.messages]).get('customers')!.keys()].filter((k) => archivedIds.has(k))).toEqual([]);

      const on = await sync(sb, { catalog, config: { archive_backfill: true } });
      expect(on.code).toBe(0);
      const got = [...fold([on.messages]).get('customers')!.keys()].filter((k) => archivedIds.has(k));
      expect(got.sort()).toEqual([...archivedIds].sort());
      const state = on.messages.filter((m) => m.type === 'STATE').pop()!.value;
      expect(state.bookmarks.customers.archive_done).toBe(true);

      sb.resetStats();
      const again = await sync(sb, { catalog, config: { archive_backfill: true }, state });
      expect(again.code).toBe(0);
      expect(Object.keys(sb.stats().byRoute).some((r) => r.includes('archive'))).toBe(false);
    } finally {
      await sb.close();
    }
  });
  test('a position mark that grows during the backfill is saved without moving any bookmark back', async () => {
    const sb = await testSandbox({ scale: 40, archived: 12 });
    try {
      const catalog = selectAll(await discover(sb), ['customers', 'customer_emails']);
      const first = await sync(sb, { catalog });
      expect(first.code).toBe(0);
      // The live bookmarks as a first sync left them, minus their marks: the backfill's first emails raise them again.
      const start = structuredClone(first.messages.filter((m) => m.type === 'STATE').pop()!.value);
      for (const bm of Object.values(start.bookmarks) as Array<Record<string, unknown>>) delete bm.max_positions;
      const on = await sync(sb, { catalog, config: { archive_backfill: true }, state: start });
      expect(on.code).toBe(0);
      const states = on.messages.filter((m) => m.type === 'STATE').map((m) => m.value);
      expect(states.some((s) => s.bookmarks.customer_emails?.max_positions > 0)).toBe(true);
      for (const s of states) {
        for (const name of ['customers', 'customer_emails']) {
          expect(Date.parse(s.bookmarks[name].replication_key_value)).toBeGreaterThanOrEqual(Date.parse(start.bookmarks[name].replication_key_value));
        }
      }
    } finally {
      await sb.close();
    }
  });
});
