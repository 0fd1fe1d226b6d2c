import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/server';
import { rootOf } from '../../src/streams/graph';
import type { StreamDef } from '../../src/streams/kinds';
import { STREAMS } from '../../src/streams/table';
import {
  API_KEY,
  baseConfig,
  collect,
  diffWarehouses,
  fold,
  lastState,
  parseMessages,
  ROOT,
  spawnTap,
  testSandbox,
  tmp,
  writeJson,
  type Message,
} from '../helpers/harness';

/**
 * The tap the way Meltano runs it (Meltano's docs on custom extractors and `meltano run`), through the built
 * CLI in a real process: the config file Meltano writes (nulls dropped), discovery with `--state`, the catalog Meltano
 * writes (selection in metadata AND the legacy underscored top-level keys, every field explicitly (de)selected),
 * `--catalog`/`--properties`, settings from `TAP_KUSTOMER_*` env vars, `meltano config test`'s SIGTERM after the
 * first RECORD, a target closing the pipe, and the state Meltano stores fed back. And the Meltano example
 * (meltano/meltano.yml) must declare exactly what `--about` declares.
 */

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  messages: Message[];
}

/** Spawns the built CLI and waits for it; stdout is decoded across chunk boundaries. */
async function tap(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawnTap([...args, '--progress-seconds', '0', '--log-level', 'warn'], env);
  child.stdout!.setEncoding('utf8');
  const r = await collect(child);
  const ndjson = !r.stdout.startsWith('{\n');
  return { ...r, messages: ndjson ? parseMessages(r.stdout) : [] };
}

const records = (messages: Message[], stream?: string) => messages.filter((m) => m.type === 'RECORD' && (stream === undefined || m.stream === stream));
const streamsWithRecords = (messages: Message[]) => [...new Set(records(messages).map((m) => m.stream))].sort();
const STACK = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

const defs = STREAMS as readonly StreamDef[];
const kindOfRoot = (stream: string) => rootOf(defs.find((d) => d.name === stream)!, defs).kind;

/**
 * The catalog as Meltano writes it from a discovered one (§1.8): `!*.*` first (every stream and every property
 * `selected: false`), then `<stream>.*` for the selected streams, then `!<stream>.<field>` exclusions; stream-level
 * rules in both places, the metadata entry and the legacy underscored top-level keys (`selected`,
 * `replication_method`, `replication_key`). `where` keeps only one of the two places, to check each is read alone.
 */
function meltanoCatalog(
  discovered: { streams: Message[] },
  select: Record<string, string[]>,
  where: 'both' | 'metadata' | 'legacy' = 'both',
): { streams: Message[] } {
  const out = structuredClone(discovered);
  for (const entry of out.streams) {
    const selected = entry.stream in select;
    const excluded = new Set(select[entry.stream] ?? []);
    const incremental = entry.replication_method === 'INCREMENTAL';
    for (const m of entry.metadata as Message[]) {
      if (m.breadcrumb.length === 0) {
        if (where !== 'legacy') {
          m.metadata.selected = selected;
          m.metadata['replication-method'] = incremental ? 'INCREMENTAL' : 'FULL_TABLE';
          if (incremental) m.metadata['replication-key'] = entry.replication_key;
        }
      } else {
        m.metadata.selected = selected && !excluded.has(m.breadcrumb[1]);
      }
    }
    if (where !== 'metadata') {
      entry.selected = selected;
      entry.replication_method = incremental ? 'INCREMENTAL' : 'FULL_TABLE';
      if (incremental) entry.replication_key = entry.replication_key ?? 'updated_at';
    } else {
      delete entry.replication_method;
      delete entry.replication_key;
    }
  }
  return out;
}

describe('invoked the way Meltano invokes it', () => {
  let sb: Sandbox;
  let dir: string;
  let config: string; // Meltano's config file: resolved settings, nulls dropped
  let discovered: { streams: Message[] };

  beforeAll(async () => {
    sb = await testSandbox();
    dir = tmp('meltano-');
    config = writeJson(dir, 'tap.config.json', baseConfig(sb));
    const d = await tap(['--config', config, '--discover']);
    if (d.code !== 0) throw new Error(`discover failed: ${d.stderr}`);
    discovered = JSON.parse(d.stdout) as { streams: Message[] };
  });
  afterAll(() => sb.close());

  test('a config with null values means those settings are unset (same discovery, same sync)', async () => {
    const withNulls = writeJson(dir, 'with-nulls.json', {
      ...baseConfig(sb),
      org_name: null,
      region: null,
      end_date: null,
      page_size: null,
      user_agent: null,
      api_token: null,
      max_retries: null,
      kobject_streams_per_klass: null,
    });
    const d = await tap(['--config', withNulls, '--discover']);
    expect({ code: d.code, stderr: d.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(d.stdout)).toEqual(discovered);

    const catalog = writeJson(dir, 'tags-users.json', meltanoCatalog(discovered, { tags: [], users: [] }));
    const a = await tap(['--config', config, '--catalog', catalog]);
    const b = await tap(['--config', withNulls, '--catalog', catalog]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(streamsWithRecords(b.messages)).toEqual(['tags', 'users']);
    expect(diffWarehouses(fold([b.messages]), fold([a.messages]))).toEqual({});
  });

  test('--config FILE --discover --state FILE together (Meltano passes the state to discovery)', async () => {
    const first = await tap(['--config', config, '--catalog', writeJson(dir, 'c.json', meltanoCatalog(discovered, { tags: [], customers: [] }))]);
    expect(first.code).toBe(0);
    for (const state of [lastState(first.messages), {}]) {
      const d = await tap(['--config', config, '--discover', '--state', writeJson(tmp('meltano-state-'), 'state.json', state)]);
      expect({ code: d.code, stderr: d.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(d.stdout)).toEqual(discovered);
    }
    // Order does not matter either.
    const d = await tap(['--state', writeJson(tmp('meltano-state-'), 'state.json', {}), '--discover', '--config', config]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toEqual(discovered);
  });

  test("Meltano's catalog: selection from metadata and from the legacy top-level keys, field deselection honoured", async () => {
    // Deselected: a plain field (tags.color, users.email, customers.phones) and, ignored, a key and a replication key
    // (`inclusion: automatic` beats `selected: false`).
    const select = { tags: ['color', 'id'], users: ['email'], customers: ['phones', 'updated_at'], customer_emails: [] };
    const runs: Record<string, Run> = {};
    for (const where of ['both', 'metadata', 'legacy'] as const) {
      const file = writeJson(dir, `catalog-${where}.json`, meltanoCatalog(discovered, select, where));
      runs[where] = await tap(['--config', config, '--catalog', file]);
      expect({ where, code: runs[where]!.code, stderr: runs[where]!.stderr }).toEqual({ where, code: 0, stderr: '' });
      expect({ where, streams: streamsWithRecords(runs[where]!.messages) }).toEqual({ where, streams: ['customer_emails', 'customers', 'tags', 'users'] });
    }
    const both = runs.both!.messages;
    for (const [stream, gone, kept] of [
      ['tags', 'color', ['id', 'name']],
      ['users', 'email', ['id', 'name']],
      ['customers', 'phones', ['id', 'updated_at', 'emails']],
    ] as const) {
      const schema = both.find((m) => m.type === 'SCHEMA' && m.stream === stream)!;
      expect(Object.keys(schema.schema.properties)).not.toContain(gone);
      for (const k of kept) expect(Object.keys(schema.schema.properties)).toContain(k);
      for (const r of records(both, stream)) {
        expect(r.record).not.toHaveProperty(gone);
        for (const k of kept) expect(r.record).toHaveProperty(k);
      }
    }
    expect(records(both, 'customers').every((r) => typeof r.record.updated_at === 'string')).toBe(true);
    expect(diffWarehouses(fold([runs.metadata!.messages]), fold([both]))).toEqual({});
    expect(diffWarehouses(fold([runs.legacy!.messages]), fold([both]))).toEqual({});
  });

  test('--properties is --catalog under its legacy name; giving both is a bad input', async () => {
    const file = writeJson(dir, 'tap.properties.json', meltanoCatalog(discovered, { tags: ['color'], users: [] }));
    const viaCatalog = await tap(['--config', config, '--catalog', file]);
    const viaProperties = await tap(['--config', config, '--properties', file]);
    expect([viaCatalog.code, viaProperties.code]).toEqual([0, 0]);
    expect(streamsWithRecords(viaProperties.messages)).toEqual(['tags', 'users']);
    expect(diffWarehouses(fold([viaProperties.messages]), fold([viaCatalog.messages]))).toEqual({});
    const bothFlags = await tap(['--config', config, '--catalog', file, '--properties', file]);
    expect(bothFlags.code).toBe(2);
    expect(bothFlags.stdout).toBe('');
    expect(bothFlags.stderr.trim().split('\n')).toHaveLength(1);
    expect(bothFlags.stderr).toMatch(/--catalog|--properties/);
  });

  test('settings from TAP_KUSTOMER_* environment variables only (no config file)', async () => {
    const env = {
      TAP_KUSTOMER_API_KEY: API_KEY,
      TAP_KUSTOMER_BASE_URL: sb.url,
      TAP_KUSTOMER_START_DATE: '2000-01-01T00:00:00Z',
      TAP_KUSTOMER_RATE_LIMIT_PER_MINUTE: '100000',
      TAP_KUSTOMER_SEARCH_RATE_LIMIT_PER_MINUTE: '100000',
      TAP_KUSTOMER_API_UTILIZATION_PERCENT: '50.5',
      TAP_KUSTOMER_KOBJECT_STREAMS_PER_KLASS: 'false',
      // What Meltano also exports to the plugin (§2.4); none of it is a setting.
      MELTANO_EXTRACTOR_NAME: 'tap-kustomer',
      MELTANO_EXTRACTOR_NAMESPACE: 'tap_kustomer',
    };
    const d = await tap(['--discover'], env);
    expect({ code: d.code, stderr: d.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(d.stdout)).toEqual(discovered);
    const catalog = writeJson(dir, 'env-catalog.json', meltanoCatalog(discovered, { tags: [], customers: [] }));
    const fromEnv = await tap(['--catalog', catalog], env);
    const fromFile = await tap(['--config', config, '--catalog', catalog]);
    expect([fromEnv.code, fromFile.code]).toEqual([0, 0]);
    expect(streamsWithRecords(fromEnv.messages)).toEqual(['customers', 'tags']);
    expect(diffWarehouses(fold([fromEnv.messages]), fold([fromFile.messages]))).toEqual({});
    // A bad value in the environment is a one-line bad input naming the setting.
    const bad = await tap(['--discover'], { ...env, TAP_KUSTOMER_MAX_CONCURRENCY: 'lots' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('max_concurrency');
    expect(bad.stderr).not.toMatch(STACK);
  });

  describe('stopped from outside', () => {
    // Slow answers, so the run is still going when the signal or the closed pipe arrives.
    beforeAll(() => sb.setOptions({ latencyMs: 5 }));
    afterAll(() => sb.setOptions({ latencyMs: 0 }));

    test('SIGTERM right after the first RECORD line (meltano config test): exit 143, no stack trace, ends on a STATE', async () => {
      const catalog = writeJson(dir, 'all.json', meltanoCatalog(discovered, Object.fromEntries(discovered.streams.map((s) => [s.stream, []]))));
      const child = spawnTap(['--config', config, '--catalog', catalog, '--progress-seconds', '0']);
      child.stdout!.setEncoding('utf8');
      let seen = '';
      let termAt = 0;
      child.stdout!.on('data', (c: string) => {
        seen += c;
        if (!termAt && /^\{"type":"RECORD"/m.test(seen)) {
          termAt = Date.now();
          child.kill('SIGTERM');
        }
      });
      const r = await collect(child);
      const exitMs = Date.now() - termAt;
      expect(termAt).toBeGreaterThan(0);
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 143, signal: null });
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).toMatch(/SIGTERM/);
      // A clean stop: no torn line, every line a message, the last one the resume point.
      expect(r.stdout.endsWith('\n')).toBe(true);
      const messages = parseMessages(r.stdout);
      expect(messages[messages.length - 1]!.type).toBe('STATE');
      expect(exitMs).toBeLessThan(5000);
      // And it is a resume point: a run from it completes.
      const resumed = await tap(['--config', config, '--catalog', catalog, '--state', writeJson(tmp('meltano-state-'), 'state.json', lastState(messages))]);
      expect(resumed.code).toBe(0);
    });

    test('EPIPE: the reader closes the pipe after the first lines: exit 141, no stack trace', async () => {
      const child = spawnTap(['--config', config, '--catalog', writeJson(dir, 'all-epipe.json', meltanoCatalog(discovered, Object.fromEntries(discovered.streams.map((s) => [s.stream, []])))), '--progress-seconds', '0']);
      let stderr = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (c: string) => (stderr += c));
      let firstLines = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (c: string) => {
        firstLines += c;
        if (firstLines.split('\n').length > 3) child.stdout!.destroy(); // a target that read a few lines and died
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      expect({ code, signal }).toEqual({ code: 141, signal: null });
      expect(stderr).not.toMatch(STACK);
      expect(stderr).not.toMatch(/Unhandled|uncaught|EPIPE.*\n.*at /i);
      expect(stderr).toMatch(/broken pipe/);
    });
  });

  test('the state Meltano stores (the last STATE value) read back: nothing new is re-sent for unchanged data', async () => {
    const search = defs.filter((d) => d.kind === 'search').map((d) => d.name);
    const catalog = writeJson(dir, 'incremental.json', meltanoCatalog(discovered, Object.fromEntries([...search, 'customer_emails', 'tags', 'audit_logs'].map((s) => [s, []]))));
    const first = await tap(['--config', config, '--catalog', catalog]);
    expect(first.code).toBe(0);
    const state = lastState(first.messages) as { bookmarks: Record<string, { replication_key_value?: string }> };
    const stateFile = writeJson(tmp('meltano-state-'), 'state.json', state); // Meltano's state.json: the STATE's value
    const second = await tap(['--config', config, '--catalog', catalog, '--state', stateFile]);
    expect(second.code).toBe(0);
    expect(second.messages[0]).toEqual({ type: 'STATE', value: state }); // the incoming state, re-emitted first

    // Search streams: nothing, or only records exactly at their bookmark instant (boundary ties).
    const resent = records(second.messages).filter((m) => kindOfRoot(m.stream) === 'search');
    const notTies = resent.filter((m) => {
      const bm = state.bookmarks[m.stream]?.replication_key_value;
      return !(bm && m.record.updated_at && Date.parse(m.record.updated_at) === Date.parse(bm));
    });
    console.log(
      `state read back: second run re-sent ${resent.length} RECORDs of search streams (${notTies.length} not at their bookmark), ` +
        `${records(second.messages, 'audit_logs').length} audit_logs, ${records(second.messages, 'tags').length} tags (Replace: read in full)`,
    );
    expect(notTies.map((m) => `${m.stream} ${m.record.id ?? JSON.stringify(m.record)}`).slice(0, 5)).toEqual([]);
    expect(records(second.messages, 'audit_logs')).toHaveLength(0);
    expect(records(second.messages, 'tags').length).toBe(records(first.messages, 'tags').length);
    // The state it ends on is the same resume point (nothing moved).
    expect((lastState(second.messages) as { bookmarks: unknown }).bookmarks).toEqual(
      expect.objectContaining(Object.fromEntries(search.map((s) => [s, expect.objectContaining({ replication_key_value: state.bookmarks[s]!.replication_key_value })]))),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface YamlSetting {
  name: string;
  kind?: string;
  description?: string;
  sensitive?: boolean;
  options?: Array<{ label: string; value: string }>;
}

/**
 * Just enough YAML for meltano/meltano.yml's extractor block: `capabilities: [a, b]`, `settings_group_validation`,
 * and the `settings:` list of `- name:` items with scalar keys (plain or double-quoted) and `options:` flow maps.
 */
function parseMeltanoYaml(text: string): { capabilities: string[]; groups: string[][]; settings: YamlSetting[] } {
  const scalar = (v: string): unknown => {
    const s = v.trim();
    if (s.startsWith('"')) return JSON.parse(s);
    if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
    if (s === 'true' || s === 'false') return s === 'true';
    return s;
  };
  const flow = (v: string): string[] => v.trim().replace(/^\[|\]$/g, '').split(',').map((x) => String(scalar(x))).filter((x) => x !== '');
  const lines = text.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const capLine = lines[at(/^\s+capabilities:/)]!;
  const capabilities = flow(capLine.slice(capLine.indexOf(':') + 1));

  const groups: string[][] = [];
  let i = at(/^\s+settings_group_validation:/) + 1;
  while (i > 0 && /^\s+- \[/.test(lines[i]!)) groups.push(flow(lines[i++]!.replace(/^\s+- /, '')));

  const settings: YamlSetting[] = [];
  const start = at(/^\s+settings:\s*$/);
  const indent = lines[start]!.search(/\S/);
  let current: YamlSetting | undefined;
  let inOptions = false;
  for (i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const ind = line.search(/\S/);
    if (ind < indent || (ind === indent && !line.trimStart().startsWith('- '))) break; // the next key of the extractor
    const item = /^\s*- name:\s*(.+)$/.exec(line);
    if (item && ind === indent) {
      current = { name: String(scalar(item[1]!)) };
      settings.push(current);
      inOptions = false;
      continue;
    }
    const opt = /^\s*- \{\s*label:\s*(".*?"|[^,]+),\s*value:\s*(".*?"|[^}]+)\}\s*$/.exec(line);
    if (inOptions && opt) {
      current!.options!.push({ label: String(scalar(opt[1]!)), value: String(scalar(opt[2]!)) });
      continue;
    }
    const kv = /^\s*([a-z_]+):\s*(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`meltano.yml: cannot read line ${i + 1}: ${line}`);
    inOptions = kv[1] === 'options';
    if (inOptions) current.options = [];
    else (current as unknown as Record<string, unknown>)[kv[1]!] = scalar(kv[2]!);
  }
  return { capabilities, groups, settings };
}

describe('meltano/meltano.yml', () => {
  test('declares exactly what `tap-kustomer --about --format json` declares', async () => {
    const about = await tap(['--about', '--format', 'json']);
    expect(about.code).toBe(0);
    const info = JSON.parse(about.stdout) as {
      capabilities: string[];
      settings: { properties: Record<string, { type?: string; enum?: string[]; description?: string; secret?: boolean; writeOnly?: boolean }>; required?: string[] };
    };
    const yml = parseMeltanoYaml(readFileSync(join(ROOT, 'meltano', 'meltano.yml'), 'utf8'));

    expect(yml.capabilities).toEqual(info.capabilities);
    expect(yml.groups).toEqual([info.settings.required ?? []]);
    const props = info.settings.properties;
    // One setting per settings property, in the same order, none twice.
    expect(yml.settings.map((s) => s.name)).toEqual(Object.keys(props));
    const kind = (p: (typeof props)[string]) =>
      p.enum ? 'options' : p.type === 'integer' ? 'integer' : p.type === 'number' ? 'decimal' : p.type === 'boolean' ? 'boolean' : 'string';
    for (const s of yml.settings) {
      const p = props[s.name]!;
      expect({ name: s.name, kind: s.kind }).toEqual({ name: s.name, kind: kind(p) });
      expect({ name: s.name, description: s.description }).toEqual({ name: s.name, description: p.description });
      expect({ name: s.name, sensitive: s.sensitive === true }).toEqual({ name: s.name, sensitive: p.secret === true });
      if (p.enum) expect({ name: s.name, options: s.options }).toEqual({ name: s.name, options: p.enum.map((v) => ({ label: v, value: v })) });
      else expect({ name: s.name, options: s.options }).toEqual({ name: s.name, options: undefined });
    }
    // Exactly one secret: the API key.
    expect(yml.settings.filter((s) => s.sensitive).map((s) => s.name)).toEqual(['api_key']);
  });
});
