/**
 * The demo's closing loop (issue 12): compute something in the warehouse and push it back into Kustomer with
 * target-kustomer. Each customer's live conversation count goes into the custom attribute `conversationCountNum`,
 * and the customers with the most conversations form the "VIP" audience (a tag, mirrored: whoever drops out of the
 * top loses it on the next run). Then the sandbox shows the result.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Sandbox } from '../sandbox/server';
import { DEFAULT_SCHEMA } from 'tap-kustomer-duckdb';

const TARGET = join(__dirname, '..', 'target-kustomer', 'cli.js');
const ATTRIBUTE = 'conversationCountNum';
const VIP_TAG = 'VIP';
/** Customers with at least this many live conversations are VIPs. */
const VIP_MIN_CONVERSATIONS = 4;

export interface ReverseEtlIo {
  step: (name: string, title: string) => void;
  out: (line?: string) => void;
  apiKey: string;
}

interface Row {
  external_id: string | null;
  email: string | null;
  conversations: number;
}

/** Customers that can be matched (an external id or an email) with their live conversation counts. */
async function warehouseRows(db: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const catalog = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
      const t = (name: string) => `"${catalog}"."${DEFAULT_SCHEMA}"."${name}"`;
      const reader = await conn.runAndReadAll(`
        SELECT c.external_id, json_extract_string(c.emails, '$[0].email') AS email, count(v.id)::INTEGER AS conversations
        FROM ${t('customers')} c
        LEFT JOIN ${t('conversations')} v ON v.customer_id = c.id AND v._sdc_deleted_at IS NULL
        WHERE c._sdc_deleted_at IS NULL AND (c.external_id IS NOT NULL OR json_extract_string(c.emails, '$[0].email') IS NOT NULL)
        GROUP BY c.id, c.external_id, email
        ORDER BY conversations DESC, c.id`);
      return reader.getRowObjectsJS() as unknown as Row[];
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

function messages(rows: Row[], version: number): string {
  const key = (r: Row) => ({ external_id: r.external_id, email: r.email });
  const out: unknown[] = [
    { type: 'SCHEMA', stream: 'customer_activity', schema: { properties: { external_id: {}, email: {}, conversation_count: {} } }, key_properties: [] },
    ...rows.map((r) => ({ type: 'RECORD', stream: 'customer_activity', record: { ...key(r), conversation_count: r.conversations } })),
    { type: 'SCHEMA', stream: 'vip', schema: { properties: { external_id: {}, email: {} } }, key_properties: [] },
    ...rows.filter((r) => r.conversations >= VIP_MIN_CONVERSATIONS).map((r) => ({ type: 'RECORD', stream: 'vip', record: key(r), version })),
    { type: 'ACTIVATE_VERSION', stream: 'vip', version },
    { type: 'STATE', value: { reverse_etl: { version } } },
  ];
  return out.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

function runTargetKustomer(config: string, input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TARGET, '--config', config, '--progress-seconds', '0', '--log-level', 'info'], {
      env: { PATH: process.env.PATH },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(input);
  });
}

export async function reverseEtl(sandbox: Sandbox, db: string, configFile: string, writeConfig: (path: string, value: unknown) => void, io: ReverseEtlIo): Promise<void> {
  io.step('reverse ETL', `Back into Kustomer: conversation counts and a "${VIP_TAG}" audience from the warehouse → target-kustomer`);
  // The attribute is defined once in the org, like an admin would (PUT /v1/metadata/customer).
  const defined = await fetch(`${sandbox.url}/v1/metadata/customer`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${io.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { [ATTRIBUTE]: { displayName: 'Conversation count' } } }),
  });
  if (!defined.ok) throw new Error(`defining ${ATTRIBUTE} failed with ${defined.status}`);

  const rows = await warehouseRows(db);
  writeConfig(configFile, {
    api_key: io.apiKey,
    base_url: sandbox.url,
    rate_limit_per_minute: 6000,
    bulk_poll_seconds: 0.05,
    streams: {
      customer_activity: { object: 'customer', match_on: ['external_id', 'email'], mode: 'update', fields: { external_id: 'external_id', email: 'email', conversation_count: `custom.${ATTRIBUTE}` } },
      vip: { object: 'customer', match_on: ['external_id', 'email'], audience: { tag: VIP_TAG, mode: 'mirror' } },
    },
  });
  const run = await runTargetKustomer(configFile, messages(rows, Date.now()));
  if (run.code !== 0) throw new Error(`target-kustomer exited ${run.code}: ${run.stderr.trim().split('\n').pop()}`);
  const table = run.stderr.split('\n').filter((l) => /^INFO (stream|customer_activity|vip)\b/.test(l));
  io.out(`   SELECT count(conversations) per customer in DuckDB → ${rows.length} matchable customers, ${rows.filter((r) => r.conversations >= VIP_MIN_CONVERSATIONS).length} with ≥ ${VIP_MIN_CONVERSATIONS} conversations`);
  for (const line of table) io.out(`   ${line.replace(/^INFO /, '')}`);

  const vip = sandbox.data.tags.find((t) => t.attributes.name === VIP_TAG && t.attributes.deleted !== true);
  const top = sandbox.data.customers
    .filter((c) => typeof (c.attributes.custom as Record<string, unknown> | undefined)?.[ATTRIBUTE] === 'number')
    .sort((a, b) => ((b.attributes.custom as Record<string, number>)[ATTRIBUTE] ?? 0) - ((a.attributes.custom as Record<string, number>)[ATTRIBUTE] ?? 0))
    .slice(0, 3);
  const carrying = vip ? sandbox.data.customers.filter((c) => (c.attributes.tags as string[] | undefined)?.includes(vip.id)).length : 0;
  io.out(`   In the sandbox now: ${carrying} customers carry the "${VIP_TAG}" tag; the top ${top.length} by ${ATTRIBUTE}:`);
  for (const c of top) io.out(`      ${String(c.attributes.displayName ?? c.attributes.name ?? c.id)}: ${(c.attributes.custom as Record<string, number>)[ATTRIBUTE]}${vip && (c.attributes.tags as string[]).includes(vip.id) ? ` (${VIP_TAG})` : ''}`);
}
