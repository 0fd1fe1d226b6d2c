import Ajv2020 from 'ajv/dist/2020';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Sandbox } from '../../src/sandbox/server';
import { ALL_RESPONSE_VARIANTS } from '../../src/sandbox/variants';
import { discover, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/** RFC3339 as singer-check-tap's strict_rfc3339 reads it: full date, time, and an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function validators() {
  const draft4 = new AjvDraft4({ strict: false, allErrors: true });
  const d2020 = new Ajv2020({ strict: false, allErrors: true });
  for (const ajv of [draft4, d2020]) {
    addFormats(ajv as never, { mode: 'full', formats: ['date-time'] });
    ajv.addFormat('date-time', { validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
  }
  return { draft4, d2020 };
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => walkStrings(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => walkStrings(v, visit));
}

/**
 * What the Singer tools and the Meltano SDK's standard tap tests check, over a sync of every stream: message order,
 * keys, schema validity of every record under Draft 4 and 2020-12 with strict RFC3339, declared properties only,
 * integers as integers, no NUL, unique non-null keys, a final STATE, and a rerun from that STATE valid again.
 */
/** The sandbox's defaults, and every response variant at once (undeclared attributes, documented spellings, id-less attachments). */
const RESPONSES = [
  ['default responses', {}],
  ['every response variant', { variants: ALL_RESPONSE_VARIANTS }],
] as const;

describe.each(RESPONSES)('Singer compliance over a sync of every stream (%s)', (_name, responses) => {
  let sb: Sandbox;
  let catalog: { streams: Message[] };
  let runs: Message[][];

  beforeAll(async () => {
    sb = await testSandbox({ scale: 50, ...responses });
    catalog = selectAll(await discover(sb));
    const first = await sync(sb, { catalog });
    expect(first.code).toBe(0);
    await sb.mutate({ round: 1 });
    const second = await sync(sb, { catalog, state: lastState(first.messages) });
    expect(second.code).toBe(0);
    runs = [first.messages, second.messages];
  });
  afterAll(() => sb.close());

  test('message shapes, order and schema validity (first run and rerun from its last STATE)', () => {
    const { draft4, d2020 } = validators();
    for (const messages of runs) {
      const schemas = new Map<string, Message>();
      const compiled = new Map<string, { v4: ReturnType<typeof draft4.compile>; v2020: ReturnType<typeof d2020.compile> }>();
      expect(messages[0]!.type).toBe('STATE'); // the incoming state, re-emitted first
      expect(messages[messages.length - 1]!.type).toBe('STATE');
      for (const m of messages) {
        expect(['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION']).toContain(m.type);
        if (m.type === 'SCHEMA') {
          expect(Array.isArray(m.key_properties)).toBe(true);
          expect(m.key_properties.length).toBeGreaterThan(0);
          expect(JSON.stringify(m.schema)).not.toContain('$ref');
          for (const k of m.key_properties) expect(Object.keys(m.schema.properties)).toContain(k);
          schemas.set(m.stream, m);
          compiled.set(m.stream, { v4: draft4.compile(m.schema), v2020: d2020.compile(m.schema) });
        } else if (m.type === 'RECORD') {
          const schema = schemas.get(m.stream);
          expect({ stream: m.stream, schemaFirst: schema !== undefined }).toEqual({ stream: m.stream, schemaFirst: true });
          expect(m.time_extracted).toMatch(RFC3339);
          const declared = Object.keys(schema!.schema.properties);
          expect(Object.keys(m.record).filter((k) => !declared.includes(k))).toEqual([]);
          for (const k of schema!.key_properties) expect(m.record[k] ?? null).not.toBeNull();
          const { v4, v2020 } = compiled.get(m.stream)!;
          if (!v4(m.record)) throw new Error(`${m.stream} record fails Draft 4: ${JSON.stringify(v4.errors?.slice(0, 3))} ${JSON.stringify(m.record).slice(0, 300)}`);
          if (!v2020(m.record)) throw new Error(`${m.stream} record fails 2020-12: ${JSON.stringify(v2020.errors?.slice(0, 3))}`);
          walkStrings(m.record, (s) => expect(s.includes('\u0000')).toBe(false));
        } else if (m.type === 'ACTIVATE_VERSION') {
          expect(Number.isInteger(m.version)).toBe(true);
        } else {
          expect(m.value).toBeDefined();
        }
      }
    }
  });

  test('integers are never written as floats', () => {
    // JSON.stringify cannot write 5.0; the check that matters is that integer columns hold integers.
    const { d2020 } = validators();
    void d2020;
    for (const m of runs[0]!) {
      if (m.type !== 'RECORD') continue;
      for (const [k, v] of Object.entries(m.record)) if (typeof v === 'number' && /(_count|index|rev|priority)$/.test(k)) expect(Number.isInteger(v)).toBe(true);
    }
    expect(runs[0]!.map((m) => JSON.stringify(m)).join('\n')).not.toMatch(/"(index|rev)":\d+\.0[,}]/);
  });

  test('keys are unique within a full sync (no duplicate rows)', () => {
    const schemas = new Map<string, string[]>();
    const seen = new Map<string, Set<string>>();
    const dupes: string[] = [];
    for (const m of runs[0]!) {
      if (m.type === 'SCHEMA') schemas.set(m.stream, m.key_properties);
      if (m.type !== 'RECORD' || m.record._sdc_deleted_at) continue;
      const key = JSON.stringify(schemas.get(m.stream)!.map((k) => m.record[k]));
      const set = seen.get(m.stream) ?? new Set();
      if (set.has(key)) dupes.push(`${m.stream} ${key}`);
      set.add(key);
      seen.set(m.stream, set);
    }
    expect(dupes).toEqual([]);
  });

  test('a first sync sends no tombstones for rows that never existed', () => {
    expect(runs[0]!.filter((m) => m.type === 'RECORD' && m.record._sdc_deleted_at && !/^(companies|notes|conversations|customers)$/.test(m.stream)).length).toBe(0);
  });
});
