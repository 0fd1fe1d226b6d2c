import type { Sandbox } from '../../src/sandbox/server';
import { UNDECLARED_ATTRIBUTE } from '../../src/sandbox/variants';
import { EXTRA_COLUMN } from '../../src/streams/schemas';
import { STREAMS } from '../../src/streams/table';
import { snakeCase } from '../../src/util/case';
import { baseConfig, diffWarehouses, discover, fold, parseMessages, runBuilt, selectAll, sync, testSandbox, tmp, writeJson, type Message } from '../helpers/harness';

/**
 * No value is dropped silently: what a record carries beyond its schema reaches `_sdc_extra` (and one warning per
 * stream and name on stderr), and Kustomer's other spellings and id-less attachments fill the same columns.
 */

/**
 * `team_queues` rows come from `queues[]` of a routing setting, which holds bare queue ids (kustomer-fields.md §17:
 * `array<string>`): a string cannot carry an attribute, so no source of that stream can send one.
 */
const BARE_ID_ITEMS = ['team_queues'];

/** Whole syncs of every stream: generous, so a busy shared machine cannot fail them (nothing here measures time). */
const SLOW = 300_000;

/** The sandbox's probe wherever it sits in a parsed `_sdc_extra` (top level, or inside a reference's `meta`). */
function findProbe(extra: unknown): { of: string | null } | undefined {
  if (typeof extra !== 'object' || extra === null) return undefined;
  const obj = extra as Record<string, unknown>;
  const probe = obj[snakeCase(UNDECLARED_ATTRIBUTE)] ?? obj[UNDECLARED_ATTRIBUTE];
  if (probe !== undefined) return probe as { of: string | null };
  for (const value of Object.values(obj)) {
    const inner = findProbe(value);
    if (inner) return inner;
  }
  return undefined;
}

describe('an attribute no schema declares reaches _sdc_extra in every stream (built CLI, sandbox undeclaredAttributes)', () => {
  let sb: Sandbox;
  let messages: Message[];
  let stderr: string;

  beforeAll(async () => {
    sb = await testSandbox({ scale: 40, variants: { undeclaredAttributes: true } });
    const catalog = selectAll(await discover(sb));
    const dir = tmp();
    const run = await runBuilt(['--config', writeJson(dir, 'config.json', baseConfig(sb)), '--catalog', writeJson(dir, 'catalog.json', catalog), '--log-level', 'warn', '--progress-seconds', '0']);
    expect(run.code).toBe(0);
    messages = parseMessages(run.stdout);
    stderr = run.stderr;
  }, SLOW);
  afterAll(() => sb.close());

  test.each(STREAMS.filter((d) => !BARE_ID_ITEMS.includes(d.name)).map((d) => [d.name]))('%s', (stream) => {
    const records = messages.filter((m) => m.type === 'RECORD' && m.stream === stream && !m.record._sdc_deleted_at).map((m) => m.record as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    const carrying = records.filter((r) => typeof r[EXTRA_COLUMN] === 'string' && findProbe(JSON.parse(r[EXTRA_COLUMN] as string)) !== undefined);
    // Every row of every stream gets the sandbox's attribute; its value names the resource it was added to, whose id
    // is on the row (its own id, or its parent's), except for outbound accounts, which have no id at all.
    expect(carrying.length).toBe(records.length);
    for (const record of carrying) {
      const probe = findProbe(JSON.parse(record[EXTRA_COLUMN] as string))!;
      if (probe.of !== null) expect(Object.values(record)).toContain(probe.of);
    }
    // Reported once for the stream, with advice.
    const warnings = stderr.split('\n').filter((l) => l.includes(`stream ${stream}: Kustomer sent`));
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings.join('\n')).toMatch(/kept in _sdc_extra .*--discover/);
  });

  test(`${BARE_ID_ITEMS.join(', ')}: bare ids, nothing to carry, nothing extra`, () => {
    const records = messages.filter((m) => m.type === 'RECORD' && BARE_ID_ITEMS.includes(m.stream));
    expect(records.length).toBeGreaterThan(0);
    for (const m of records) expect(m.record[EXTRA_COLUMN]).toBeNull();
  });
});

describe("Kustomer's documented spellings and id-less attachments lose nothing", () => {
  let sb: Sandbox;
  let catalog: { streams: Message[] };
  beforeAll(async () => {
    sb = await testSandbox({ scale: 40 });
    catalog = selectAll(await discover(sb));
  });
  afterAll(() => sb.close());

  test('the warehouse is the same as with the declared spellings; attachments only lose the id they never had', async () => {
    const plain = await sync(sb, { catalog });
    expect(plain.code).toBe(0);
    sb.setOptions({ variants: { documentedSpellings: true, idlessAttachments: true } });
    const variant = await sync(sb, { catalog });
    expect(variant.code).toBe(0);
    sb.setOptions({ variants: {} });

    // Nothing undeclared in either run: the aliases cover every spelling, and no record needs _sdc_extra.
    expect(variant.stderr.filter((l) => /Kustomer sent|does not fit/.test(l))).toEqual([]);
    for (const m of [...plain.messages, ...variant.messages]) if (m.type === 'RECORD') expect(m.record[EXTRA_COLUMN] ?? null).toBeNull();

    const withoutAttachmentIds = (messages: Message[]) =>
      messages.map((m) => (m.type === 'RECORD' && m.stream === 'message_attachments' ? { ...m, record: { ...m.record, id: null } } : m));
    const variantAttachments = variant.messages.filter((m) => m.type === 'RECORD' && m.stream === 'message_attachments');
    expect(variantAttachments.length).toBeGreaterThan(0);
    for (const m of variantAttachments) expect(m.record).toMatchObject({ id: null, name: expect.any(String), content_type: expect.any(String), message_id: expect.any(String) });
    // The aliased columns are filled (not merely equal because both are null).
    const filled = (stream: string, column: string) => variant.messages.filter((m) => m.type === 'RECORD' && m.stream === stream && m.record[column] != null).length;
    for (const [stream, column] of [
      ['companies', 'external_id'],
      ['kobjects', 'reopen_from_done_count'],
      ['klasses', 'display_name'],
      ['satisfactions', 'modified_at'],
    ] as const) {
      expect({ stream, column, filled: filled(stream, column) > 0 }).toEqual({ stream, column, filled: true });
    }
    expect(diffWarehouses(fold([withoutAttachmentIds(variant.messages)]), fold([withoutAttachmentIds(plain.messages)]))).toEqual({});
  }, SLOW);
});

describe('field deselection through a catalog (sandbox undeclaredAttributes)', () => {
  test('deselected columns stay out, _sdc_extra included; the undeclared attribute is still reported', async () => {
    const sb = await testSandbox({ scale: 20, variants: { undeclaredAttributes: true } });
    try {
      const catalog = selectAll(await discover(sb), ['tags']);
      const tags = catalog.streams.find((s) => s.stream === 'tags')!;
      for (const m of tags.metadata) if (m.breadcrumb[1] === 'name' || m.breadcrumb[1] === EXTRA_COLUMN) m.metadata.selected = false;
      const run = await sync(sb, { catalog });
      expect(run.code).toBe(0);
      const records = run.messages.filter((m) => m.type === 'RECORD' && m.stream === 'tags');
      expect(records.length).toBeGreaterThan(0);
      for (const m of records) {
        expect(m.record).not.toHaveProperty('name');
        expect(m.record).not.toHaveProperty(EXTRA_COLUMN);
      }
      expect(run.stderr.filter((l) => l.includes(`stream tags: Kustomer sent \`${UNDECLARED_ATTRIBUTE}\``))).toEqual([expect.stringMatching(/dropped because _sdc_extra is not in the catalog/)]);
    } finally {
      await sb.close();
    }
  }, SLOW);
});
