import { isStreamSelected, parseCatalog, selectedSchema } from '../../src/singer/catalog';
import { catalogEntry } from '../../src/singer/catalog-entry';
import { compileProjector } from '../../src/streams/projector';
import { customAttributeSchema, withCustomAttributes } from '../../src/streams/schemas';
import { flattenResource, normaliseRecipients } from '../../src/streams/transforms';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: ['null', 'string'] },
    updated_at: { type: ['null', 'string'], format: 'date-time' },
    email_count: { type: ['null', 'integer'] },
    first_message_in: { type: ['null', 'object'], properties: { sent_at: { type: ['null', 'string'], format: 'date-time' } } },
    created_by_id: { type: ['null', 'string'] },
    tag_ids: { type: ['null', 'array'], items: { type: ['null', 'string'] } },
    custom: { type: ['null', 'object'], properties: { lastOrderAt: { type: ['null', 'string'], format: 'date-time' } }, additionalProperties: true },
  },
};

describe('catalog', () => {
  const entry = catalogEntry({ name: 'customers', schema, keys: ['id'], method: 'INCREMENTAL', replicationKey: 'updated_at', selectedByDefault: true, description: '' });

  test('discovered entry carries the metadata Singer and Meltano read', () => {
    const root = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
    expect(root).toMatchObject({ inclusion: 'available', 'selected-by-default': true, 'table-key-properties': ['id'], 'forced-replication-method': 'INCREMENTAL', 'valid-replication-keys': ['updated_at'] });
    const inclusion = (p: string) => entry.metadata.find((m) => m.breadcrumb[1] === p)!.metadata.inclusion;
    expect(inclusion('id')).toBe('automatic');
    expect(inclusion('updated_at')).toBe('automatic');
    expect(inclusion('name')).toBe('available');
  });

  test('selection: metadata, then legacy underscored key, then selected-by-default; unsupported never', () => {
    expect(isStreamSelected(entry)).toBe(true);
    const off = structuredClone(entry);
    off.metadata[0]!.metadata.selected = false;
    expect(isStreamSelected(off)).toBe(false);
    const legacy = structuredClone(entry);
    legacy.metadata[0]!.metadata['selected-by-default'] = false;
    legacy.selected = true;
    expect(isStreamSelected(legacy)).toBe(true);
    const unsupported = structuredClone(entry);
    unsupported.metadata[0]!.metadata.inclusion = 'unsupported';
    unsupported.metadata[0]!.metadata.selected = true;
    expect(isStreamSelected(unsupported)).toBe(false);
  });

  test('field deselection removes the field, but never a key or the replication key', () => {
    const e = structuredClone(entry);
    for (const m of e.metadata) if (m.breadcrumb[1] === 'name' || m.breadcrumb[1] === 'id') m.metadata.selected = false;
    const s = selectedSchema(e, ['id', 'updated_at']);
    expect(Object.keys(s.properties as object)).not.toContain('name');
    expect(Object.keys(s.properties as object)).toContain('id');
  });

  test('malformed catalogs are rejected with the path', () => {
    expect(() => parseCatalog({})).toThrow(/streams/);
    expect(() => parseCatalog({ streams: [{ stream: 'x' }] })).toThrow(/schema/);
    expect(() => parseCatalog({ streams: [entry, entry] })).toThrow(/twice/);
  });
});

describe('projector', () => {
  const project = compileProjector(schema);

  test('flattens a JSON:API resource into declared snake_case columns, all present', () => {
    const row = flattenResource({
      type: 'customer',
      id: 'c1',
      attributes: { name: 'Zoë\u0000', updatedAt: '2026-01-01T10:00:00+02:00', emailCount: '3', unknownThing: 1, firstMessageIn: { sentAt: '2026-01-01T00:00:00.5Z', extra: 1 }, custom: { lastOrderAt: '2026-02-01T00:00:00+00:00', vipBool: true } },
      relationships: { createdBy: { data: { type: 'user', id: 'u1' } }, tags: { data: [{ type: 'tag', id: 't1' }] } },
    });
    expect(project(row)).toEqual({
      id: 'c1',
      name: 'Zoë',
      updated_at: '2026-01-01T08:00:00.000Z',
      email_count: 3,
      first_message_in: { sent_at: '2026-01-01T00:00:00.5Z' },
      created_by_id: 'u1',
      tag_ids: ['t1'],
      custom: { lastOrderAt: '2026-02-01T00:00:00.000Z', vipBool: true },
    });
  });

  test('custom attributes are typed by suffix', () => {
    expect(customAttributeSchema('lifetimeValueNum')).toEqual({ type: ['null', 'number'] });
    expect(customAttributeSchema('lastOrderAt')).toEqual({ type: ['null', 'string'], format: 'date-time' });
    expect(customAttributeSchema('vipBool')).toEqual({ type: ['null', 'boolean'] });
    expect(customAttributeSchema('tierStr')).toEqual({ type: ['null', 'string'] });
    expect(customAttributeSchema('mystery')).toBeUndefined();
    const s = withCustomAttributes(structuredClone(schema), ['tierStr', 'mystery']) as { properties: { custom: { properties: object; additionalProperties: boolean } } };
    expect(Object.keys(s.properties.custom.properties)).toEqual(['lastOrderAt', 'tierStr']);
    expect(s.properties.custom.additionalProperties).toBe(true);
  });

  test("a message's recipients become one shape whatever Kustomer sent", () => {
    expect(normaliseRecipients({ meta: { to: 'a@x.com, b@x.com' } }).meta).toEqual({ to: [{ email: 'a@x.com', name: null }, { email: 'b@x.com', name: null }] });
    expect(normaliseRecipients({ meta: { to: { email: 'a@x.com', name: 'A' } } }).meta).toEqual({ to: [{ email: 'a@x.com', name: 'A' }] });
    expect(normaliseRecipients({ meta: { cc: [{ email: 'a@x.com' }, 'b@x.com'] } }).meta).toEqual({ cc: [{ email: 'a@x.com', name: null }, { email: 'b@x.com', name: null }] });
    expect(normaliseRecipients({ meta: { to: null } }).meta).toEqual({ to: null });
  });
});

describe('in-place projection equals flatten-then-project', () => {
  test('for every root stream of a generated org, and for layered child rows', () => {
    const { generateData } = require('../../src/sandbox/generate') as typeof import('../../src/sandbox/generate');
    const { loadSchema } = require('../../src/streams/schemas') as typeof import('../../src/streams/schemas');
    const data = generateData({ seed: 5, scale: 60, anchor: new Date('2026-06-01T00:00:00Z') });
    const pairs = [
      ['customers', data.customers],
      ['companies', data.companies],
      ['conversations', data.conversations],
      ['messages', data.messages],
      ['notes', data.notes],
      ['kobjects', data.kobjects],
      ['users', data.users],
      ['audit_logs', data.auditLogs],
      ['customer_drafts', data.drafts],
    ] as const;
    for (const [stream, records] of pairs) {
      const p = compileProjector(loadSchema(stream));
      for (const res of records.slice(0, 50)) expect(p.resource(res as never)).toEqual(p(flattenResource(res as never)));
    }
    const emails = compileProjector(loadSchema('customer_emails'));
    const item = { email: 'a@x.com', type: 'work', verified: true, index: 9 };
    expect(emails(item, { index: 2, updatedAt: '2026-01-01T00:00:00.000Z' }, { customerId: 'c1' })).toEqual(
      emails(Object.assign({ index: 2, updatedAt: '2026-01-01T00:00:00.000Z' }, item, { customerId: 'c1' })),
    );
  });
});
