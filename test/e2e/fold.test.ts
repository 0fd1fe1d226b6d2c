import type { Sandbox, SandboxOptions } from '../../src/sandbox/server';
import { ALL_RESPONSE_VARIANTS } from '../../src/sandbox/variants';
import { diffWarehouses, discover, fold, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * The promise users choose us for: after full sync → changes in Kustomer → incremental sync, a target that upserts
 * by key, deletes on `_sdc_deleted_at` and honours ACTIVATE_VERSION holds exactly what a fresh full read of the
 * changed org gives, for every stream. And the incremental run costs a small fraction of the full run's requests.
 */
/**
 * Every reading of the published contract the sandbox offers: the tap must lose nothing under any of them.
 * (The default is the contract-following sandbox; each other row turns on one older or alternative reading.)
 */
const VARIANTS: Array<[string, SandboxOptions]> = [
  ['the published contract (default sandbox)', {}],
  ['audit log oldest first (next = after=<id>)', { auditOrder: 'oldestFirst' }],
  ['search accepts the undocumented <ctx>_id', { acceptSearchById: true }],
  ['a missing role answers 401', { missingRoleStatus: 401 }],
  ['undocumented metadata resources answer 400', { unknownMetadataStatus: 400 }],
  ['KObjects name their klass by 24-hex id', { kobjectKlassRef: 'id' }],
  // Responses carrying undeclared attributes, the documented alternative spellings and id-less attachments.
  ['every response variant (undeclared attributes, alternative spellings, id-less attachments)', { variants: ALL_RESPONSE_VARIANTS }],
];

/** Audit entries logged by the bulk update that closes each mutation round: more than one audit-log page. */
const BULK_UPDATE = 1200;

describe.each(VARIANTS)('full sync → mutations → incremental sync equals the org: %s', (_name, variant) => {
  let sb: Sandbox;
  let catalog: { streams: Message[] };

  beforeAll(async () => {
    sb = await testSandbox({ scale: 150, ...variant });
    catalog = selectAll(await discover(sb));
  });
  afterAll(() => sb.close());

  test('every stream, two rounds of mutations, the second ending with more than 1,000 audit entries after its deletes', async () => {
    const full = await sync(sb, { catalog });
    expect(full.code).toBe(0);
    const fullRequests = sb.stats().total;
    const streamsWithRecords = new Set(full.messages.filter((m) => m.type === 'RECORD').map((m) => m.stream));
    expect([...streamsWithRecords].sort()).toEqual(catalog.streams.map((s) => s.stream).sort());

    const runs: Message[][] = [full.messages];
    let state = lastState(full.messages);
    const incrementalRequests: number[] = [];
    let tombstones = 0;
    for (const round of [1, 2]) {
      await new Promise((r) => setTimeout(r, 5)); // mutations get a later millisecond than the last sync's signpost
      // Round 2's closing bulk update touches every record: its audit entries bury the deletes under many pages.
      const summary = await sb.mutate(round === 1 ? { round } : { round, bulkUpdate: BULK_UPDATE });
      expect(Object.keys(summary.deleted).length).toBeGreaterThan(0);
      sb.resetStats();
      const inc = await sync(sb, { catalog, state });
      expect(inc.code).toBe(0);
      expect(sb.stats().byStatus['400'] ?? 0).toBe(0);
      incrementalRequests.push(sb.stats().total);
      tombstones += inc.messages.filter((m) => m.type === 'RECORD' && (m.record as Record<string, unknown>)._sdc_deleted_at != null).length;
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
    // KObjects carry both their klass's id and name, whichever the API references them by.
    const klasses = new Map(sb.data.klasses.map((k) => [k.id, String(k.attributes.name)]));
    for (const row of actual.get('kobjects')!.values()) expect(klasses.get(String(row.klass_id))).toBe(row.klass_name);
    const records = [...actual.values()].reduce((n, t) => n + t.size, 0);
    console.log(`${_name}: ${records} rows; requests: full ${fullRequests}, incremental ${incrementalRequests.join(' / ')}; tombstones ${tombstones}`);
    expect(incrementalRequests[0]).toBeLessThan(fullRequests / 3);
  }); // four syncs of every stream: jest.config.js's run-wide timeout only stops a hang
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
