import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv, loadConfig, orgSubdomain, parseConfig, resolveBaseUrl, settingsJsonSchema } from '../../src/config';
import { InputError } from '../../src/errors';

describe('config', () => {
  test('defaults and the US host', () => {
    const c = parseConfig({ api_key: 'k' });
    expect(c.baseUrl).toBe('https://api.kustomerapp.com');
    expect(c.api_utilization_percent).toBe(100);
    expect(c.start_date).toBe('2000-01-01T00:00:00Z');
  });

  test('api_token is accepted as an alias; nulls are dropped', () => {
    expect(parseConfig({ api_token: 'k', start_date: null }).api_key).toBe('k');
  });

  test('host resolution: base_url, org_name (even pasted URLs), region', () => {
    expect(resolveBaseUrl({ base_url: 'https://acme.api.kustomerapp.com' })).toBe('https://acme.api.kustomerapp.com');
    expect(resolveBaseUrl({ base_url: 'http://127.0.0.1:8787/' })).toBe('http://127.0.0.1:8787');
    expect(resolveBaseUrl({ org_name: 'https://acme.kustomerapp.com/app/customers' })).toBe('https://acme.api.kustomerapp.com');
    expect(orgSubdomain('Acme')).toBe('acme');
    expect(resolveBaseUrl({ region: 'eu' })).toBe('https://api.prod2.kustomerapp.com');
    expect(resolveBaseUrl({ region: 'in' })).toBe('https://api.prod4.kustomerapp.com');
  });

  test.each([
    [{ api_key: 'k', base_url: 'http://example.com' }, /plain http:\/\/ is allowed only for loopback/],
    [{ api_key: 'k', base_url: 'https://acme.api.kustomerapp.com/v1' }, /without a path/],
    [{ api_key: 'k', base_url: 'not a url' }, /base_url: not a URL/],
    [{ api_key: 'k', start_date: '2024-13-01' }, /start_date/],
    [{ api_key: 'k', start_date: '2024-01-01T00:00:00' }, /start_date/],
    [{ api_key: 'k', page_size: 0 }, /page_size/],
    [{ api_key: 'k', page_size: '500' }, /page_size.*got "500"/],
    [{ api_key: 'k', region: 'mars' }, /region/],
    [{ api_key: 'k', org_name: 'a b' }, /org_name/],
    [{ api_key: '' }, /api_key/],
    [{}, /api_key is required/],
    [{ api_key: 'k', start_date: '2024-02-01', end_date: '2024-01-01' }, /end_date must be after start_date/],
  ])('rejects %j with one clear line', (input, message) => {
    expect(() => parseConfig(input as Record<string, unknown>)).toThrow(message);
    try {
      parseConfig(input as Record<string, unknown>);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  test('a bad api_key value is never echoed', () => {
    expect(() => parseConfig({ api_key: 12345678 })).toThrow(/api_key/);
    try {
      parseConfig({ api_key: 12345678 });
    } catch (err) {
      expect((err as Error).message).not.toContain('12345678');
    }
  });

  test('files merge in order, later wins; env vars fill in, typed by the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ api_key: 'a', page_size: 50 }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ page_size: 70 }));
    const c = loadConfig([join(dir, 'a.json'), join(dir, 'b.json')], { TAP_KUSTOMER_MAX_CONCURRENCY: '3', TAP_KUSTOMER_ARCHIVE_BACKFILL: 'true' });
    expect(c.page_size).toBe(70);
    expect(c.max_concurrency).toBe(3);
    expect(c.archive_backfill).toBe(true);
    expect(configFromEnv({ TAP_KUSTOMER_API_TOKEN: 'tok' })).toEqual({ api_token: 'tok' });
  });

  test('a null in a config file means "not set": it does not cancel the TAP_KUSTOMER_* variable (issue 10)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ api_key: 'a', page_size: null, org_name: 'filed' }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ org_name: null }));
    const c = loadConfig([join(dir, 'a.json'), join(dir, 'b.json')], { TAP_KUSTOMER_PAGE_SIZE: '25' });
    expect(c.page_size).toBe(25);
    expect(c.org_name).toBe('filed'); // a later file's null leaves an earlier file's value too
  });

  test('an unknown setting is ignored with a warning that names the closest known setting (issue 10)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ api_key: 'a', start_data: '2024-01-01', pagesize: 5, zzz_unrelated_thing: 1, api_token: null }));
    const warnings: string[] = [];
    const c = loadConfig([file], {}, (w) => warnings.push(w));
    expect(c.start_date).toBe('2000-01-01T00:00:00Z');
    expect(warnings).toEqual([
      `config ${file}: unknown setting "start_data" is ignored; did you mean "start_date"?`,
      `config ${file}: unknown setting "pagesize" is ignored; did you mean "page_size"?`,
      `config ${file}: unknown setting "zzz_unrelated_thing" is ignored`,
    ]);
  });

  test.each([
    ['missing.json', /not found/],
    ['empty.json', /is empty/],
    ['bad.json', /not valid JSON/],
    ['array.json', /must hold a JSON object/],
  ])('config file problem %s', (file, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'empty.json'), '  \n');
    writeFileSync(join(dir, 'bad.json'), '{"api_key": ');
    writeFileSync(join(dir, 'array.json'), '[]');
    expect(() => loadConfig([join(dir, file)], {})).toThrow(message);
  });

  test('the settings JSON Schema is derived from the validator and marks the key secret', () => {
    const s = settingsJsonSchema() as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(s.required).toEqual(['api_key']);
    expect(s.properties.api_key!.secret).toBe(true);
    expect(s.properties.page_size!.type).toBe('integer');
  });
});
