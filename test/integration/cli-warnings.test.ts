import type { Sandbox } from '../../src/sandbox/server';
import { baseConfig, discover, lastState, runTap, selectAll, testSandbox, tmp, writeJson, type Message } from '../helpers/harness';

/**
 * Issue 10 item 6: what the tap would silently ignore, it says. A misspelt setting names the closest known one; a
 * state whose bookmarks it does not recognise (another tap's, or hand-written) means a full resync, and says so.
 */

let sb: Sandbox;
let catalog: { streams: Message[] };
beforeAll(async () => {
  sb = await testSandbox();
  catalog = selectAll(await discover(sb), ['tags', 'customers']);
});
afterAll(() => sb?.close());

async function sync(config: Record<string, unknown>, state?: unknown) {
  const dir = tmp('cli-warn-');
  const args = ['--config', writeJson(dir, 'config.json', config), '--catalog', writeJson(dir, 'catalog.json', catalog), '--progress-seconds', '0', '--log-level', 'warn'];
  if (state !== undefined) args.push('--state', writeJson(dir, 'state.json', state));
  return runTap(args);
}

test('a misspelt setting is reported with the closest known setting, and the run goes on', async () => {
  const run = await sync({ ...baseConfig(sb), start_data: '2024-01-01' });
  expect(run.code).toBe(0);
  expect(run.stderr).toEqual([expect.stringMatching(/^WARN config .*config\.json: unknown setting "start_data" is ignored; did you mean "start_date"\?$/)]);
});

test('bookmarks the tap does not recognise are reported (a full resync); its own state draws no warning', async () => {
  const odd = { bookmarks: { customers: { updatedAt: '2024-05-01T00:00:00Z' }, customer: { replication_key_value: '2024-05-01T00:00:00Z' } } };
  const run = await sync(baseConfig(sb), odd);
  expect(run.code).toBe(0);
  expect(run.stderr).toEqual([
    'WARN state: bookmarks.customers has no field this tap writes (updatedAt); customers syncs in full, from start_date',
    'WARN state: bookmarks.customer: no stream of that name; the bookmark is ignored',
  ]);
  const own = await sync(baseConfig(sb));
  const again = await sync(baseConfig(sb), lastState(own.messages));
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: [] });
});
