import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../../src/target-kustomer/settings';

describe('target-kustomer settings merge like the tap config', () => {
  test('a null in a config file leaves the TARGET_KUSTOMER_* value in place; a later file wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'target-settings-'));
    const first = join(dir, 'a.json');
    const second = join(dir, 'b.json');
    writeFileSync(first, JSON.stringify({ api_key: null, base_url: 'http://127.0.0.1:1', max_retries: 2 }));
    writeFileSync(second, JSON.stringify({ max_retries: 4, api_utilization_percent: null }));
    const settings = loadSettings([first, second], { TARGET_KUSTOMER_API_KEY: 'from-env', TARGET_KUSTOMER_API_UTILIZATION_PERCENT: '40' });
    expect(settings.api_key).toBe('from-env');
    expect(settings.max_retries).toBe(4);
    expect(settings.api_utilization_percent).toBe(40);
  });
});
