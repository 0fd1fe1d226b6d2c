import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { generateData } from '../src/sandbox/generate';
import type { CollectionName, Resource as SandboxResource } from '../src/sandbox/model';
import { replicationOf, rootOf } from '../src/discover';
import { deleteTableMarkdown, meltanoYaml, settingsTableMarkdown, streamTableMarkdown } from '../src/docs';
import type { Resource } from '../src/http/jsonapi';
import { STREAMS } from '../src/streams/table';
import { loadSchema } from '../src/streams/schemas';
import { flattenResource } from '../src/streams/transforms';
import { snakeCase } from '../src/util/case';
import { parentNode } from '../src/sync/family';
import type { StreamDef } from '../src/streams/kinds';

const ROOT = join(__dirname, '..');
const defs: readonly StreamDef[] = STREAMS;

/** Which sandbox collection serves each root or per-parent stream (the sandbox's own names). */
const COLLECTION: Record<string, CollectionName> = {
  brands: 'brands',
  business_schedules: 'schedules',
  cards: 'cards',
  klasses: 'klasses',
  notifications: 'notifications',
  outbound_accounts: 'outboundAccounts',
  queues: 'queues',
  slas: 'slas',
  sla_versions: 'slaVersions',
  satisfactions: 'satisfactions',
  shortcuts: 'shortcuts',
  snoozes: 'snoozes',
  spam_senders: 'spamSenders',
  tags: 'tags',
  team_routing_settings: 'routingSettings',
  teams: 'teams',
  users: 'users',
  companies: 'companies',
  customers: 'customers',
  conversations: 'conversations',
  messages: 'messages',
  notes: 'notes',
  kobjects: 'kobjects',
  audit_logs: 'auditLogs',
  conversation_events: 'conversationEvents',
  conversation_forwards: 'forwards',
  conversation_times: 'conversationTimes',
  message_attachments: 'attachments',
  customer_drafts: 'drafts',
  customer_merges: 'customerMerges',
};

describe('the stream table', () => {
  test('exactly the 50 streams the product promises, names unique, parents defined before children', () => {
    expect(defs).toHaveLength(50);
    expect(new Set(defs.map((d) => d.name)).size).toBe(50);
    defs.forEach((d, i) => {
      if (d.kind === 'flatten' || d.kind === 'child') expect(defs.findIndex((p) => p.name === d.parent)).toBeLessThan(i);
    });
  });

  test('modes: 20 Replace, 29 Update, 1 Append', () => {
    const mode = (d: StreamDef) => rootOf(d, defs).kind;
    expect(defs.filter((d) => mode(d) === 'list')).toHaveLength(20);
    expect(defs.filter((d) => mode(d) === 'search')).toHaveLength(29);
    expect(defs.filter((d) => mode(d) === 'audit').map((d) => d.name)).toEqual(['audit_logs']);
  });

  describe.each(defs.map((d) => [d.name, d] as const))('%s', (name, def) => {
    const schema = loadSchema(name) as { properties: Record<string, { type: unknown }> };

    test('schema compiles under Draft 4 and 2020-12', () => {
      // With the formats the schemas use (date-time): Ajv only warns about a format it does not know.
      const draft4 = new AjvDraft4({ strict: false });
      const draft2020 = new Ajv2020({ strict: false });
      addFormats(draft4 as never);
      addFormats(draft2020);
      expect(() => draft4.compile(schema)).not.toThrow();
      expect(() => draft2020.compile(schema)).not.toThrow();
    });

    test('key and replication key are declared; Update streams carry _sdc_deleted_at', () => {
      for (const k of def.keys) expect(Object.keys(schema.properties)).toContain(k);
      const { key } = replicationOf(def, defs);
      if (key) expect(Object.keys(schema.properties)).toContain(key);
      const isUpdate = rootOf(def, defs).kind === 'search';
      expect('_sdc_deleted_at' in schema.properties).toBe(isUpdate);
      expect(def.role).toMatch(/^org\.permission\.[a-z_]+\.read$/);
    });
  });
});

describe('schemas cover what Kustomer sends', () => {
  const data = generateData({ seed: 3, scale: 300, anchor: new Date('2026-06-01T00:00:00Z'), archived: 0 });

  /** snake_case columns a source row would fill that its schema does not declare (silently dropped otherwise). */
  function undeclared(stream: string, rows: Iterable<Record<string, unknown>>): string[] {
    const props = new Set(Object.keys((loadSchema(stream) as { properties: object }).properties));
    const missing = new Set<string>();
    for (const row of rows) for (const k of Object.keys(row)) if (!props.has(snakeCase(k)) && k !== 'selfUrl' && k !== 'relatedUrl') missing.add(k);
    return [...missing].sort();
  }

  test.each(Object.entries(COLLECTION))('%s declares every attribute and relationship of the sandbox data', (stream, collection) => {
    // As served: outbound accounts without their (sandbox-internal) id.
    const records = (data[collection] as unknown as Resource[]).map((r) => (collection === 'outboundAccounts' ? ({ ...r, id: undefined } as unknown as Resource) : r));
    expect(records.length).toBeGreaterThan(0);
    // Per-klass relationships on customers (`ecomm-order`…) are org-specific and deliberately not columns.
    const klassRels = new Set(data.klasses.map((k) => `${String(k.attributes.name)}Ids`).concat(data.klasses.map((k) => `${String(k.attributes.name)}Id`)));
    const rows = records.map((r) => flattenResource(r)).map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !klassRels.has(k))));
    const def = defs.find((d) => d.name === stream)!;
    const explode = def.kind === 'list' && def.explode ? def.explode : undefined;
    expect(undeclared(stream, explode ? records.flatMap((r) => explode(r)) : rows)).toEqual([]);
  });

  test.each(defs.filter((d) => d.kind === 'flatten').map((d) => [d.name, d] as const))('%s declares every field of its items', (name, def) => {
    if (def.kind !== 'flatten') return;
    const parentCollection = COLLECTION[def.parent] ?? (def.parent === 'sla_versions' ? 'slaVersions' : undefined);
    const parents = (data[parentCollection!] as unknown as Resource[]) ?? [];
    const included = data.slaVersions as unknown as Resource[];
    const items = parents.flatMap((p) => def.items(parentNode(p, included)).map((item) => ('attributes' in item ? flattenResource(item as Resource) : item)));
    expect(items.length).toBeGreaterThan(0);
    expect(undeclared(name, items as Array<Record<string, unknown>>)).toEqual([]);
  });

  test('custom attribute metadata covers every custom key records carry (except the deleted one)', () => {
    for (const [collection, resource] of [
      ['customers', 'customer'],
      ['companies', 'company'],
      ['conversations', 'conversation'],
      ['messages', 'message'],
    ] as const) {
      const meta = data.metadata.find((m) => m.id === resource)!;
      const declared = new Set(Object.keys(meta.attributes.properties as object));
      const used = new Set((data[collection] as SandboxResource[]).flatMap((r) => Object.keys((r.attributes.custom ?? {}) as object)));
      expect([...used].filter((k) => !declared.has(k))).toEqual([]);
    }
  });
});

describe('generated documentation is current', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = (name: string) => readme.slice(readme.indexOf(`<!-- BEGIN ${name} -->`) + `<!-- BEGIN ${name} -->`.length + 1, readme.indexOf(`<!-- END ${name} -->`) - 1);

  test('README stream, delete and settings tables (run `npm run docs` if this fails)', () => {
    expect(section('streams')).toBe(streamTableMarkdown());
    expect(section('deletes')).toBe(deleteTableMarkdown());
    expect(section('settings')).toBe(settingsTableMarkdown());
    for (const d of defs) expect(readme).toContain(`| \`${d.name}\` |`);
  });

  test('meltano/meltano.yml (run `npm run docs` if this fails)', () => {
    expect(readFileSync(join(ROOT, 'meltano', 'meltano.yml'), 'utf8')).toBe(meltanoYaml());
  });
});
