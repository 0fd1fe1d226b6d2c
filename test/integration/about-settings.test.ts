/**
 * `tap-kustomer --about` prints the settings schema the build derived from the zod settings schema
 * (dist/settings.schema.json, written by scripts/copy-assets.js so `--about` need not load zod): it must be exactly
 * what the sources derive now, and the built `--about` must print it unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsJsonSchema } from '../../src/config';
import { runBuilt, ROOT } from '../helpers/harness';

describe('the settings schema --about prints', () => {
  test('the built file is what src/config.ts derives (byte for byte)', () => {
    const built = readFileSync(join(ROOT, 'dist', 'settings.schema.json'), 'utf8');
    expect(built).toBe(JSON.stringify(settingsJsonSchema(), null, 2) + '\n');
  });

  test('the built --about --format json prints it as its settings', async () => {
    const about = await runBuilt(['--about', '--format', 'json']);
    expect({ code: about.code, stderr: about.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.stringify((JSON.parse(about.stdout) as { settings: unknown }).settings)).toBe(JSON.stringify(settingsJsonSchema()));
  });
});
