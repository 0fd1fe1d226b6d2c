/**
 * The built tap sets V8 flags as it starts (src/lean-heap.ts), and target-kustomer when it loads the HTTP client
 * (src/kustomer-client/wasm-tiering.ts); from then on V8 rejects the code cache that Node compiles its built-in
 * modules from: each one loaded later is compiled from its source, which was about 20 ms of `--discover`'s CPU
 * (issue 13). So the built-ins a run needs are loaded before the flags change (src/network-builtins.ts). Node says
 * which cache it took or rejected when NODE_DEBUG_NATIVE=CODE_CACHE. Left out: Node's `internal/` modules, which
 * cannot be loaded by name (its module loader pulls a few in when it first resolves a package's `exports`).
 */
import type { Sandbox } from '../../src/sandbox/server';
import { baseConfig, discover, runBuilt, selectAll, testSandbox, tmp, writeJson } from '../helpers/harness';
import { record, runTarget, schema, targetConfig } from '../helpers/target';

/** The built-in modules whose code cache Node took, and those whose cache it rejected, from its debug lines. */
function codeCaches(stderr: string): { accepted: string[]; rejected: string[] } {
  const of = (verdict: string) => [...stderr.matchAll(new RegExp(`^Code cache of (\\S+) \\(\\w+\\) is ${verdict}$`, 'gm'))].map((m) => m[1]!);
  return { accepted: of('accepted'), rejected: of('rejected') };
}

const DEBUG = { NODE_DEBUG_NATIVE: 'CODE_CACHE' };

/** A run that made requests: the HTTP client's built-ins came from the cache, and no built-in was compiled from source. */
function expectAllCached(stderr: string): void {
  const { accepted, rejected } = codeCaches(stderr);
  expect(accepted).toContain('http2'); // the debug lines are there, and the HTTP client's built-ins among them
  expect(rejected.filter((id) => !id.startsWith('internal/'))).toEqual([]);
}

describe("Node's built-in modules, as the built tap loads them", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  test('--discover compiles none from source', async () => {
    const config = writeJson(tmp('tap-builtins-'), 'config.json', baseConfig(sb));
    const run = await runBuilt(['--config', config, '--discover', '--log-level', 'warn'], DEBUG);
    expect(run.code).toBe(0);
    expectAllCached(run.stderr);
  });

  test('a sync compiles none from source', async () => {
    const dir = tmp('tap-builtins-');
    const catalog = writeJson(dir, 'catalog.json', selectAll(await discover(sb), ['customers']));
    const run = await runBuilt(['--config', writeJson(dir, 'config.json', baseConfig(sb)), '--catalog', catalog, '--log-level', 'warn'], DEBUG);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"type":"RECORD"');
    expectAllCached(run.stderr);
  });

  test('target-kustomer, writing a customer, compiles none from source', async () => {
    const streams = { people: { object: 'customer', match_on: ['external_id'], fields: { ext: 'external_id', full: 'name' } } };
    const input = [schema('people', ['ext', 'full']), record('people', { ext: 'builtins-cache-1', full: 'Code Cache' })];
    const run = await runTarget({ ...targetConfig(sb), streams }, input, { env: DEBUG });
    expect(run.code).toBe(0);
    expectAllCached(run.stderr);
  });

  test('--about loads none of the HTTP client\'s built-ins', async () => {
    const run = await runBuilt(['--about'], DEBUG);
    expect(run.code).toBe(0);
    const { accepted, rejected } = codeCaches(run.stderr);
    expect(accepted.length).toBeGreaterThan(0);
    expect([...accepted, ...rejected].filter((id) => ['http', 'http2', 'tls', 'crypto'].includes(id))).toEqual([]);
  });
});
