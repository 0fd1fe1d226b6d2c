import type { Resource } from '../../src/kustomer-client/jsonapi';
import { Logger } from '../../src/log';
import type { SingerWriter } from '../../src/singer/writer';
import type { StreamDef } from '../../src/streams/kinds';
import { compileProjector } from '../../src/streams/projector';
import { EXTRA_COLUMN, loadSchema } from '../../src/streams/schemas';
import { STREAMS } from '../../src/streams/table';
import { flattenResource, normaliseDraftRecipients, related, slaCriteria } from '../../src/streams/transforms';
import { snakeCase } from '../../src/util/case';
import { emitChild, parentNode, type SyncContext } from '../../src/sync/family';
import { StreamOutput } from '../../src/sync/output';

const def = (name: string): StreamDef => STREAMS.find((d) => d.name === name)!;

/** A StreamOutput over a writer that keeps the records, and a logger that keeps the lines. */
function capture(name: string, schema = loadSchema(name), declared = schema) {
  const records: Array<Record<string, unknown>> = [];
  const warnings: string[] = [];
  const writer = { record: (_stream: string, record: Record<string, unknown>) => records.push(record) } as unknown as SingerWriter;
  const logger = new Logger({ level: 'info', format: 'text', secrets: [], write: (line) => warnings.push(line) });
  return { out: new StreamOutput(def(name), schema, writer, undefined, declared, logger), records, warnings };
}

describe('audit_logs.user_id: attributes.userId and relationships.user map to one column', () => {
  const project = compileProjector(loadSchema('audit_logs'));
  const entry = (userId: string | null, relId: string | null): Resource =>
    ({
      type: 'audit_log',
      id: 'a1',
      attributes: { eventName: 'kustomer.conversation.update', eventVerb: 'update', userId, createdAt: '2026-01-01T00:00:00.000Z' },
      relationships: { user: { links: { self: `/v1/users/${relId}` }, data: { type: 'user', id: relId } } },
    }) as unknown as Resource;

  test.each([
    ['attribute set, relationship id null (Kustomer’s published example shape)', 'u1', null, 'u1'],
    ['attribute null, relationship set', null, 'u2', 'u2'],
    ['both set and different: the relationship, read last, wins', 'u1', 'u2', 'u2'],
    ['both null', null, null, null],
  ])('%s', (_name, userId, relId, expected) => {
    expect(project.resource(entry(userId, relId)).user_id).toBe(expected);
    expect(project(flattenResource(entry(userId, relId))).user_id).toBe(expected);
  });
});

describe('child items without an id are projected like items with one', () => {
  const attachment = (id: string | undefined): Resource =>
    ({
      type: 'attachment',
      ...(id === undefined ? {} : { id }),
      attributes: { name: 'invoice.pdf', contentType: 'application/pdf', contentLength: 1234, redacted: false },
      relationships: { message: { data: { type: 'message', id: 'm1' } } },
      links: { self: '/v1/attachments/x' },
    }) as unknown as Resource;

  test('message_attachments: name, content type, size and message id reach their columns', () => {
    const { out, records } = capture('message_attachments');
    const conversation = parentNode({ type: 'conversation', id: 'c1', attributes: { updatedAt: '2026-01-01T00:00:00.000Z' } } as Resource, []);
    const streamDef = def('message_attachments') as Parameters<typeof emitChild>[1];
    emitChild(out, streamDef, conversation, attachment(undefined), 0, {} as SyncContext, '2026-01-02T00:00:00.000Z');
    emitChild(out, streamDef, conversation, attachment('at1'), 1, {} as SyncContext, '2026-01-02T00:00:00.000Z');
    const [idless, withId] = records;
    expect(idless).toMatchObject({ conversation_id: 'c1', index: 0, id: null, name: 'invoice.pdf', content_type: 'application/pdf', content_length: 1234, message_id: 'm1' });
    expect({ ...withId, id: null, index: 0 }).toEqual(idless);
    expect(idless![EXTRA_COLUMN]).toBeNull();
  });
});

describe('_sdc_extra', () => {
  test('every stream schema declares it last, as nullable JSON text, and no schema file declares it itself', () => {
    for (const d of STREAMS) {
      const props = loadSchema(d.name).properties as Record<string, unknown>;
      expect(Object.keys(props).at(-1)).toBe(EXTRA_COLUMN);
      expect(props[EXTRA_COLUMN]).toEqual({ type: ['null', 'string'] });
    }
  });

  test('undeclared attributes and relationships are kept under their would-be column names; nulls and links are not', () => {
    const { out, records, warnings } = capture('tags');
    const tag = (id: string, extra: Record<string, unknown>): Resource =>
      ({
        type: 'tag',
        id,
        attributes: { name: 'vip', ...extra },
        relationships: { aiModel: { data: { type: 'model', id: 'mod1' } }, watchers: { data: [{ type: 'user', id: 'u1' }] } },
        links: { self: `/v1/tags/${id}` },
      }) as unknown as Resource;
    out.resource(tag('t1', { colourScheme: { fg: '#fff' }, neverSet: null }), '2026-01-01T00:00:00.000Z');
    out.resource(tag('t2', { colourScheme: 'dark' }), '2026-01-01T00:00:00.000Z');
    expect(records[0]!.name).toBe('vip');
    expect(JSON.parse(records[0]![EXTRA_COLUMN] as string)).toEqual({ colour_scheme: { fg: '#fff' }, ai_model_id: 'mod1', watcher_ids: ['u1'] });
    expect(JSON.parse(records[1]![EXTRA_COLUMN] as string)).toEqual({ colour_scheme: 'dark', ai_model_id: 'mod1', watcher_ids: ['u1'] });
    // Once per stream and attribute name, with advice. A null carries nothing: neither kept nor reported.
    expect(warnings.some((w) => w.includes('neverSet'))).toBe(false);
    expect(warnings.filter((w) => w.includes('`colourScheme`'))).toHaveLength(1);
    expect(warnings.find((w) => w.includes('`colourScheme`'))).toMatch(/^WARN stream tags: .*kept in _sdc_extra.*"colour_scheme".*--discover.*report it/);
    expect(warnings.filter((w) => w.includes('`aiModelId`') || w.includes('`watcherIds`'))).toHaveLength(2);
    expect(warnings.some((w) => w.includes('selfUrl'))).toBe(false);
  });

  test('inside declared objects and arrays, undeclared keys and misfit values are kept under their path', () => {
    const { out, records, warnings } = capture('conversations');
    const conversation = (id: string, sentAt: string) =>
      ({
        type: 'conversation',
        id,
        attributes: { firstMessageIn: { sentAt, channelHint: 'x' }, suggestedTags: [{ tag: 't1', confidence: 0.5, model: 'm' }, 'stray'] },
      }) as unknown as Resource;
    out.resource(conversation('c1', '2026-01-01T00:00:00.000Z'), '2026-01-02T00:00:00.000Z');
    out.resource(conversation('c2', 'soon'), '2026-01-02T00:00:00.000Z');
    expect(records[0]!.first_message_in).toMatchObject({ sent_at: '2026-01-01T00:00:00.000Z' });
    expect(records[0]!.first_message_in).not.toHaveProperty('channel_hint');
    expect(JSON.parse(records[0]![EXTRA_COLUMN] as string)).toEqual({ 'first_message_in.channel_hint': 'x', 'suggested_tags[0].model': 'm', 'suggested_tags[1]': 'stray' });
    expect(JSON.parse(records[1]![EXTRA_COLUMN] as string)).toMatchObject({ 'first_message_in.sent_at': 'soon' });
    // Once per path (positions folded), not once per record or item.
    expect(warnings.filter((w) => w.includes('suggested_tags[].model'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('first_message_in.channel_hint'))).toHaveLength(1);
  });

  test('null when a record carries nothing undeclared', () => {
    const { out, records, warnings } = capture('tags');
    out.resource({ type: 'tag', id: 't1', attributes: { name: 'vip' } } as Resource, '2026-01-01T00:00:00.000Z');
    expect(records[0]![EXTRA_COLUMN]).toBeNull();
    expect(warnings).toEqual([]);
  });

  test('a value its declared column cannot hold is kept there too, not turned into a silent null', () => {
    const { out, records, warnings } = capture('tags');
    out.resource({ type: 'tag', id: 't1', attributes: { name: 'vip', createdAt: 'last tuesday' } } as Resource, '2026-01-01T00:00:00.000Z');
    expect(records[0]!.created_at).toBeNull();
    expect(JSON.parse(records[0]![EXTRA_COLUMN] as string)).toEqual({ created_at: 'last tuesday' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not fit the type of column created_at/);
  });

  test('field deselection still drops what the user deselected, _sdc_extra included', () => {
    const full = loadSchema('tags');
    const props = full.properties as Record<string, unknown>;
    const withoutName = { ...full, properties: Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'name')) };
    const a = capture('tags', withoutName, full);
    a.out.resource({ type: 'tag', id: 't1', attributes: { name: 'vip', mood: 'calm' } } as Resource, '2026-01-01T00:00:00.000Z');
    expect(a.records[0]).not.toHaveProperty('name');
    expect(JSON.parse(a.records[0]![EXTRA_COLUMN] as string)).toEqual({ mood: 'calm' });

    const withoutExtra = { ...full, properties: Object.fromEntries(Object.entries(props).filter(([k]) => k !== EXTRA_COLUMN)) };
    const b = capture('tags', withoutExtra, full);
    b.out.resource({ type: 'tag', id: 't1', attributes: { name: 'vip', mood: 'calm' } } as Resource, '2026-01-01T00:00:00.000Z');
    expect(b.records[0]).not.toHaveProperty(EXTRA_COLUMN);
    expect(b.records[0]!.name).toBe('vip');
    expect(b.warnings[0]).toMatch(/`mood`.*dropped because _sdc_extra is not in the catalog/);
  });

  test('what a relationship reference or an SLA condition carries besides its id stays on the row', () => {
    const parent = parentNode({ type: 'message', id: 'm1', attributes: {}, relationships: { shortcuts: { data: [{ type: 'shortcut', id: 's1', meta: { usedBy: 'u1' } }] } } } as unknown as Resource, []);
    expect(related('shortcuts', (ref) => ({ shortcutId: ref.id }))(parent)).toEqual([{ meta: { usedBy: 'u1' }, shortcutId: 's1' }]);
    const version = parentNode({ type: 'sla_version', id: 'v1', attributes: { criteria: { and: [{ channel: { operator: 'equals', value: 'email', caseSensitive: true } }] } } } as Resource, []);
    expect(slaCriteria(version)[0]).toMatchObject({ caseSensitive: true, operator: 'equals', value: 'email', field: 'channel' });
  });
});

describe('alternative spellings (the stream table’s aliases)', () => {
  const withAliases = STREAMS.filter((d) => d.aliases !== undefined);

  test('the spellings of Kustomer’s published examples are covered', () => {
    expect(Object.fromEntries(withAliases.map((d) => [d.name, d.aliases]))).toEqual({
      klasses: { displayname: 'displayName' },
      satisfactions: { modified: 'modifiedAt' },
      companies: { extenalId: 'externalId' },
      kobjects: { reopenDoneCount: 'reopenFromDoneCount' },
    });
  });

  test.each(withAliases.flatMap((d) => Object.entries(d.aliases!).map(([alias, attr]) => [d.name, alias, attr] as const)))('%s: %s fills the column of %s', (stream, alias, attr) => {
    const schema = loadSchema(stream);
    const props = schema.properties as Record<string, { type?: unknown; format?: string }>;
    const column = snakeCase(attr);
    expect(props).toHaveProperty(column);
    expect(props).not.toHaveProperty(snakeCase(alias));
    const sample = props[column]!.format === 'date-time' ? '2026-01-01T00:00:00.000Z' : JSON.stringify(props[column]!.type).includes('integer') ? 4 : 'x1';
    const project = compileProjector(schema, { aliases: def(stream).aliases });
    const record = project.resource({ type: 't', id: 'r1', attributes: { [alias]: sample } } as Resource);
    expect(record[column]).toEqual(sample);
    expect(record[EXTRA_COLUMN]).toBeNull();
    // Both spellings present, one of them null: the value survives whichever order they come in.
    expect(project({ id: 'r1', [alias]: sample, [attr]: null })[column]).toEqual(sample);
    expect(project({ id: 'r1', [attr]: sample, [alias]: null })[column]).toEqual(sample);
  });
});

describe("drafts' recipients", () => {
  test('top-level to/cc/bcc become the list their schema declares (an object used to be nulled by the array column)', () => {
    const project = compileProjector(loadSchema('customer_drafts'));
    const row = normaliseDraftRecipients({ id: 'd1', to: { email: 'a@x.com', name: 'A' }, cc: 'b@x.com, c@x.com', meta: { to: 'd@x.com' } });
    const record = project(row);
    expect(record.to).toEqual([{ email: 'a@x.com', name: 'A' }]);
    expect(record.cc).toEqual([{ email: 'b@x.com', name: null }, { email: 'c@x.com', name: null }]);
    expect(record[EXTRA_COLUMN]).toBeNull();
  });
});
