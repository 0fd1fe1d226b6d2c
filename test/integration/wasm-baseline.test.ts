/**
 * undici's HTTP parser (llhttp, WebAssembly) must stay on V8's baseline compiler: its optimizing recompile costs
 * about 35 MB of peak memory and saves no measurable CPU (src/kustomer-client/wasm-tiering.ts). V8 prints how it
 * compiled each WebAssembly function when node runs with --trace-wasm-compilation-times.
 *
 * Without kustomer-client/wasm-tiering.ts, the recompile happened in this very sync on Node 20 (one TurboFan line);
 * with `--liftoff-only` alone, on Node 24, whose V8 no longer turns tier-up off when that flag is set at run time.
 */
import type { Sandbox } from '../../src/sandbox/server';
import { baseConfig, discover, runBuilt, selectAll, testSandbox, tmp, writeJson } from '../helpers/harness';

/** How many functions V8 compiled with each tier, from its trace lines (they share stdout with the Singer messages). */
function tiers(stdout: string): Map<string, number> {
  const count = new Map<string, number>();
  for (const m of stdout.matchAll(/using (\w+), took /g)) count.set(m[1]!, (count.get(m[1]!) ?? 0) + 1);
  return count;
}

describe("undici's WebAssembly HTTP parser, in a sync of the built tap", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  test('is compiled by the baseline compiler only, however hot it gets', async () => {
    const dir = tmp('tap-wasm-');
    const catalog = writeJson(dir, 'catalog.json', selectAll(await discover(sb)));
    const args = ['--config', writeJson(dir, 'config.json', baseConfig(sb)), '--catalog', catalog, '--log-level', 'warn', '--progress-seconds', '0'];
    const run = await runBuilt(args, {}, ['--trace-wasm-compilation-times']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"type":"RECORD"'); // a real sync: every stream of the default sandbox
    const compiled = tiers(run.stdout);
    expect(compiled.get('Liftoff')).toBeGreaterThan(0); // the trace is on, and it sees llhttp
    expect([...compiled.keys()].filter((tier) => tier !== 'Liftoff')).toEqual([]);
  });
});
