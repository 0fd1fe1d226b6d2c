import type { Sandbox } from '../../src/sandbox/server';
import { API_KEY, registerSecret, testSandbox, tmp, writeJson } from '../helpers/harness';
import { record, runTarget, schema, state, targetConfig } from '../helpers/target';

/** The fixed command-line interface of issue 12 and its bad-input behaviour: one line on stderr, non-zero exit. */
describe('target-kustomer interface', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 10 });
  });
  afterAll(() => sb.close());

  test('--version, --help and --about in both formats', async () => {
    const version = await runTarget(null, '', { args: ['--version'] });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(require('../../package.json').version);
    const help = await runTarget(null, '', { args: ['--help'] });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--config/);
    const about = await runTarget(null, '', { args: ['--about', '--format', 'json'] });
    expect(about.code).toBe(0);
    const info = JSON.parse(about.stdout);
    expect(info.name).toBe('target-kustomer');
    expect(info.capabilities).toEqual(expect.arrayContaining(['about', 'activate-version']));
    for (const setting of ['api_key', 'base_url', 'org_name', 'region', 'api_utilization_percent', 'dry_run', 'rejected_records_path', 'max_rejected_percent', 'streams']) {
      expect(info.settings.properties).toHaveProperty(setting);
    }
    expect(info.settings.properties.api_key.writeOnly).toBe(true);
    expect(info.settings.properties.streams.additionalProperties.properties.mode.enum).toEqual(['upsert', 'insert', 'update']);
    const md = await runTarget(null, '', { args: ['--about', '--format', 'markdown'] });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\| max_rejected_percent \| no \| 0 \|/);
  });

  test("the README's target-kustomer settings table names every setting", async () => {
    const about = JSON.parse((await runTarget(null, '', { args: ['--about', '--format', 'json'] })).stdout);
    const readme = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'README.md'), 'utf8') as string;
    const section = readme.slice(readme.indexOf('## target-kustomer'), readme.indexOf('### How it writes'));
    for (const setting of Object.keys(about.settings.properties)) expect({ setting, documented: section.includes(`\`${setting}\``) }).toEqual({ setting, documented: true });
  });

  test('settings from TARGET_KUSTOMER_* env vars (api_token alias, streams as JSON)', async () => {
    const streams = { people: { object: 'customer', match_on: ['external_id'], fields: { ext: 'external_id', full: 'name' } } };
    const run = await runTarget(null, [schema('people', ['ext', 'full']), record('people', { ext: 'env-1', full: 'Env One' }), state({ n: 1 })], {
      env: {
        TARGET_KUSTOMER_API_TOKEN: API_KEY,
        TARGET_KUSTOMER_BASE_URL: sb.url,
        TARGET_KUSTOMER_RATE_LIMIT_PER_MINUTE: '100000',
        TARGET_KUSTOMER_BULK_POLL_SECONDS: '0.01',
        TARGET_KUSTOMER_STREAMS: JSON.stringify(streams),
      },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(run.states).toEqual([{ n: 1 }]);
    expect(sb.data.customers.filter((c) => c.attributes.externalId === 'env-1').map((c) => c.attributes.name)).toEqual(['Env One']);
  });

  const people = { people: { object: 'customer', fields: { ext: 'external_id', mail: 'email' } } };
  const badInputs: Array<[string, Record<string, unknown> | null, string, RegExp]> = [
    ['no config', null, '', /a config is required/],
    ['no api key', { raw: true, base_url: 'http://127.0.0.1:1' }, '', /api_key is required/],
    ['bad mode', { raw: true, api_key: 'k', streams: { people: { object: 'customer', mode: 'merge' } } }, '', /streams\.people\.mode/],
    ['bad object', { raw: true, api_key: 'k', streams: { people: { object: 'ticket' } } }, '', /streams\.people\.object: must be customer, company or kobject/],
    ['malformed line', {}, '{"type":"SCHEMA",\n', /line 1: not a JSON object: \{"type":"SCHEMA",$/],
    ['message without a type (after a blank line)', {}, '\n{"stream":"people"}\n', /line 2: expected a JSON object with a "type"$/],
    ['RECORD before SCHEMA', {}, JSON.stringify(record('people', { ext: 'x' })) + '\n', /RECORD for stream people before its SCHEMA/],
    ['stream with no mapping', {}, JSON.stringify(schema('orders', ['id'])) + '\n', /stream orders has no entry in the streams setting/],
    ['column that maps to nothing', { streams: { people: { object: 'customer', match_on: ['email'] } } }, JSON.stringify(schema('people', ['email', 'shoe_size'])) + '\n', /property shoe_size maps to no customer field/],
    ['unknown Kustomer field', { streams: { people: { object: 'customer', fields: { ext: 'external_id', x: 'favourite_colour' } } } }, JSON.stringify(schema('people', ['ext', 'x'])) + '\n', /x maps to favourite_colour, which is not a customer field/],
    ['undefined custom attribute', { streams: { people: { object: 'customer', fields: { ext: 'external_id', x: 'custom.shoeSizeNum' } } } }, JSON.stringify(schema('people', ['ext', 'x'])) + '\n', /custom attribute shoeSizeNum does not exist in \/v1\/metadata\/customer/],
    ['match key not mapped', { streams: { people: { object: 'customer', match_on: ['email'], fields: { ext: 'external_id' } } } }, JSON.stringify(schema('people', ['ext'])) + '\n', /match_on email but no property maps to email/],
    ['match key the object lacks', { streams: { people: { object: 'company', match_on: ['email'] } } }, JSON.stringify(schema('people', ['email'])) + '\n', /match_on email is not available for company/],
  ];
  test.each(badInputs)('bad input: %s → one line, exit 2', async (_name, config, input, message) => {
    const { raw, ...rest } = config ?? {};
    const full = config === null ? null : raw ? rest : { ...targetConfig(sb), streams: people, ...rest };
    const run = await runTarget(full, input);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('INFO METRIC'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stdout).toBe('');
  });

  test('the API key appears in no output, even when Kustomer refuses it', async () => {
    const key = 'secret-target-key-9f8e7d6c';
    registerSecret(key);
    const run = await runTarget({ ...targetConfig(sb), api_key: key, streams: people }, [schema('people', ['ext', 'mail'])]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/refused the API key/);
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  test('mirror without versioned records is refused before anything is written', async () => {
    const before = sb.data.customers.length;
    const config = { ...targetConfig(sb), streams: { vip: { object: 'customer', match_on: ['external_id'], audience: { tag: 'vip-mirror', mode: 'mirror' } } } };
    const run = await runTarget(config, [schema('vip', ['external_id']), record('vip', { external_id: 'nobody' })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/audience mode mirror needs a versioned full-table stream/);
    expect(sb.data.customers.length).toBe(before);
  });

  test('rejected_records_path that cannot be written is bad input', async () => {
    const run = await runTarget({ ...targetConfig(sb), streams: people, rejected_records_path: writeJson(tmp(), 'x', '') + '/nested/rejects.jsonl' }, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rejected_records_path .* cannot be written/);
  });
});
