import type { Sandbox } from '../../src/sandbox/server';
import { ALL_RESPONSE_VARIANTS } from '../../src/sandbox/variants';
import { diffWarehouses, discover, fold, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * The promise users choose us for: after full sync → changes in Kustomer → incremental sync, a target that upserts
 * by key, deletes on `_sdc_deleted_at` and honours ACTIVATE_VERSION holds exactly what a fresh full read of the
 * changed org gives, for every stream. And the incremental run costs a small fraction of the full run's requests.
 */
/** The sandbox's defaults, and every response variant at once (undeclared attributes, documented spellings, id-less attachments). */
const RESPONSES = [
  ['default responses', {}],
  ['every response variant', { variants: ALL_RESPONSE_VARIANTS }],
] as const;

describe.each(RESPONSES)('full sync → mutations → incremental sync equals the org (%s)', (_name, responses) => {
  let sb: Sandbox;
  let catalog: { streams: Message[] };

  beforeAll(async () => {
    sb = await testSandbox({ scale: 150, ...responses });
    catalog = selectAll(await discover(sb));
  });
  afterAll(() => sb.close());

  test('every stream, two rounds of mutations', async () => {
    const full = await sync(sb, { catalog });
    expect(full.code).toBe(0);
    const fullRequests = sb.stats().total;
    const streamsWithRecords = new Set(full.messages.filter((m) => m.type === 'RECORD').map((m) => m.stream));
    expect([...streamsWithRecords].sort()).toEqual(catalog.streams.map((s) => s.stream).sort());

    const runs: Message[][] = [full.messages];
    let state = lastState(full.messages);
    let incrementalRequests = 0;
    for (const round of [1, 2]) {
      await new Promise((r) => setTimeout(r, 5)); // mutations get a later millisecond than the last sync's signpost
      const summary = await sb.mutate({ round });
      expect(Object.keys(summary.deleted).length).toBeGreaterThan(0);
      sb.resetStats();
      const inc = await sync(sb, { catalog, state });
      expect(inc.code).toBe(0);
      incrementalRequests = sb.stats().total;
      runs.push(inc.messages);
      state = lastState(inc.messages);
    }

    const fresh = await sync(sb, { catalog });
    expect(fresh.code).toBe(0);
    const expected = fold([fresh.messages]);
    const actual = fold(runs);
    expect(diffWarehouses(actual, expected)).toEqual({});
    // The org's hard-deleted objects are gone downstream.
    for (const [stream, coll] of [
      ['customers', 'customers'],
      ['conversations', 'conversations'],
      ['kobjects', 'kobjects'],
    ] as const) {
      const live = new Set(sb.data[coll].filter((r) => r.attributes.deleted !== true).map((r) => JSON.stringify([r.id])));
      expect([...actual.get(stream)!.keys()].filter((k) => !live.has(k))).toEqual([]);
    }
    console.log(`requests: full sync ${fullRequests}, incremental sync after one round of changes ${incrementalRequests}`);
    expect(incrementalRequests).toBeLessThan(fullRequests / 3);
  }, 300_000); // four whole syncs of every stream: generous, so a busy shared machine cannot fail it
});

describe("when Kustomer logs only root deletes (sandbox auditCascade 'root')", () => {
  test('the only difference is the documented one: messages and notes of deleted conversations linger', async () => {
    const sb = await testSandbox({ scale: 150, auditCascade: 'root' });
    try {
      const catalog = selectAll(await discover(sb));
      const full = await sync(sb, { catalog });
      await new Promise((r) => setTimeout(r, 5));
      const summary = await sb.mutate({ round: 1 });
      const inc = await sync(sb, { catalog, state: lastState(full.messages) });
      const fresh = await sync(sb, { catalog });
      const diff = diffWarehouses(fold([full.messages, inc.messages]), fold([fresh.messages]));
      expect(Object.keys(diff).sort()).toEqual(expect.arrayContaining(['messages']));
      for (const [stream, d] of Object.entries(diff)) {
        expect(['messages', 'notes', 'message_shortcuts', 'note_user_mentions']).toContain(stream);
        expect(d.missing).toEqual([]);
        expect(d.changed).toEqual([]);
      }
      const deletedMessages = new Set((summary.deleted.messages ?? []).map((id) => JSON.stringify([id])));
      for (const key of diff.messages!.extra) expect(deletedMessages.has(key)).toBe(true);
    } finally {
      await sb.close();
    }
  });
});
