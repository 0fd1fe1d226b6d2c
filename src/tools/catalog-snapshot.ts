/**
 * The committed catalog, `catalog/catalog.json`: what `tap-kustomer --discover` prints against a fixed sandbox org
 * (seed 1, 200 customers, a fixed anchor and a clock pinned to it, so the output never depends on the day it runs).
 * `npm run catalog` writes it (scripts/generate-catalog.js); test/integration/catalog.test.ts regenerates it through
 * this same function and fails when the committed file is stale.
 */
import { PassThrough } from 'node:stream';
import { main } from '../cli';
import { startSandbox } from '../sandbox/server';

export const CATALOG_SANDBOX = { seed: 1, scale: 200, anchor: '2025-01-01T00:00:00.000Z' } as const;

/** The sandbox's key: never in the catalog (the secrets check of the test suite looks for it). */
export const CATALOG_API_KEY = 'catalog-snapshot-key';

/** The catalog as committed: pretty-printed (2 spaces) with a trailing newline. */
export async function catalogSnapshot(): Promise<string> {
  const anchorMs = Date.parse(CATALOG_SANDBOX.anchor);
  const startedAt = Date.now();
  const sandbox = await startSandbox({
    seed: CATALOG_SANDBOX.seed,
    scale: CATALOG_SANDBOX.scale,
    anchor: CATALOG_SANDBOX.anchor,
    apiKey: CATALOG_API_KEY,
    // The org's "now" is one minute after the anchor and advances in real time (the rate-limit windows need a
    // moving clock); nothing that discovery reads depends on the real date.
    clock: () => anchorMs + 60_000 + (Date.now() - startedAt),
  });
  try {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const stderr: string[] = [];
    const code = await main(['--discover', '--log-level', 'warn'], {
      stdout,
      stderr: (line) => stderr.push(line),
      env: { TAP_KUSTOMER_API_KEY: CATALOG_API_KEY, TAP_KUSTOMER_BASE_URL: sandbox.url },
      signal: new AbortController().signal,
    });
    stdout.end();
    if (code !== 0) throw new Error(`tap-kustomer --discover exited with code ${code}: ${stderr.join(' | ') || 'no message'}`);
    const catalog = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return JSON.stringify(catalog, null, 2) + '\n';
  } finally {
    await sandbox.close();
  }
}
