import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import globalTeardown from '../global-teardown';
import {
  allOutput,
  API_KEY,
  discover,
  OUTPUT_LOG_ENV,
  registerSecret,
  runBuilt,
  runTap,
  SECRETS_LOG_ENV,
  selectAll,
  testSandbox,
  tmp,
  writeJson,
  type Message,
} from '../helpers/harness';

/**
 * Issue 6, secrets: the README promises the API key "never appears in logs, errors or output".
 *
 * - Across the whole jest run, the harness logs every tap run's stdout and stderr (test/global-setup.ts makes one
 *   file per run) and test/global-teardown.ts fails the run if API_KEY or any key registered here appears in it.
 *   The first tests check that machinery: the log is written, and the teardown does catch a key.
 * - The direct tests give the tap a key that Kustomer (a small fake server) echoes back everywhere it can: in 401,
 *   403, 400 and 500 bodies, in same-host and cross-host redirects, in a links.next to another host. At debug level,
 *   as text and as JSON lines, in-process and as a real process with the key only in the environment, the key must
 *   appear in no output.
 */

/** Shaped like a real Kustomer key (a JWT): only URL-safe characters, so it is echoed verbatim everywhere. */
const KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvcmciOiJzZWNyZXRzLXRlc3QiLCJyb2xlcyI6WyJvcmcudXNlci5yZWFkIl19.c2VjcmV0cy10ZXN0LXNpZ25hdHVyZS0wMTIzNDU2Nzg5';
registerSecret(KEY);

describe('the suite-wide secret check', () => {
  test('global setup is wired: every tap run of this jest run is appended to one log file', async () => {
    const log = process.env[OUTPUT_LOG_ENV];
    expect(log).toBeDefined();
    const marker = `marker-${process.pid}-${Date.now()}`;
    const inProcess = await runTap(['--config', join(tmp(), `${marker}-a.json`)]);
    const spawned = await runBuilt(['--config', join(tmp(), `${marker}-b.json`)]);
    expect([inProcess.code, spawned.code]).toEqual([2, 2]);
    const text = readFileSync(log!, 'utf8');
    expect(text).toContain(`${marker}-a.json`);
    expect(text).toContain(`${marker}-b.json`);
    expect(readFileSync(process.env[SECRETS_LOG_ENV]!, 'utf8').split('\n')).toContain(KEY);
  });

  test('the global teardown fails the run when a key is in the log, even across its read chunks', () => {
    const saved = { log: process.env[OUTPUT_LOG_ENV], secrets: process.env[SECRETS_LOG_ENV] };
    const dir = tmp('tap-secrets-');
    try {
      const leak = 'registered-key-0123456789';
      const log = join(dir, 'output.log');
      const secrets = join(dir, 'secrets.log');
      // The key straddles the 4 MiB read chunk of the teardown.
      writeFileSync(log, 'x'.repeat(4 * 1024 * 1024 - 5) + leak + '\n');
      writeFileSync(secrets, `${leak}\n`);
      process.env[OUTPUT_LOG_ENV] = log;
      process.env[SECRETS_LOG_ENV] = secrets;
      expect(() => globalTeardown()).toThrow(/SECRET LEAK/);

      writeFileSync(log, `nothing here but ${API_KEY.slice(0, 10)}…\n`);
      process.env[OUTPUT_LOG_ENV] = log;
      process.env[SECRETS_LOG_ENV] = secrets;
      expect(() => globalTeardown()).not.toThrow();

      writeFileSync(log, `INFO the harness key ${API_KEY} leaked\n`);
      writeFileSync(secrets, '');
      process.env[OUTPUT_LOG_ENV] = log;
      process.env[SECRETS_LOG_ENV] = secrets;
      expect(() => globalTeardown()).toThrow(/SECRET LEAK/);
    } finally {
      process.env[OUTPUT_LOG_ENV] = saved.log;
      process.env[SECRETS_LOG_ENV] = saved.secrets;
      if (saved.log === undefined) delete process.env[OUTPUT_LOG_ENV];
      if (saved.secrets === undefined) delete process.env[SECRETS_LOG_ENV];
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A Kustomer that echoes the key back

type Mode = 'redirect-then-401' | 'cross-host-redirect' | 'foreign-next-link' | 'error-bodies';

interface Echo {
  url: string;
  mode: Mode;
  /** Authorization headers received: the key really went out (the checks below would be vacuous otherwise). */
  auth: string[];
  close(): Promise<void>;
}

const errorBody = (status: number) =>
  JSON.stringify({
    errors: [{ status: String(status), code: 'error', title: `token ${KEY}`, detail: `API key ${KEY} is not valid for this org`, meta: { token: KEY } }],
    message: `rejected ${KEY}`,
  });

async function echoServer(): Promise<Echo> {
  const echo = { mode: 'redirect-then-401' as Mode, auth: [] as string[] };
  const server = http.createServer((req, res) => {
    echo.auth.push(String(req.headers.authorization ?? ''));
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const emptyList = () => send(200, JSON.stringify({ data: [], meta: {}, links: { self: req.url, next: null } }));
    req.resume();
    req.on('end', () => {
      if (path.startsWith('/v1/moved/')) return send(401, errorBody(401));
      switch (echo.mode) {
        case 'redirect-then-401':
          return send(302, errorBody(302), { location: `/v1/moved/${KEY}?api_key=${KEY}` });
        case 'cross-host-redirect':
          return send(307, errorBody(307), { location: `https://collector.invalid/steal/${KEY}?api_key=${KEY}` });
        case 'foreign-next-link':
          if (path === '/v1/tags') {
            return send(200, JSON.stringify({ data: [{ type: 'tag', id: '5f0000000000000000000001', attributes: { name: 'a' } }], links: { next: `https://collector.invalid/v1/tags?page=2&api_key=${KEY}` } }));
          }
          return emptyList();
        case 'error-bodies':
          if (path === '/v1/tags') return send(500, errorBody(500)); // retried: the retry warnings quote it
          if (path === '/v1/users') return send(403, errorBody(403));
          if (path === '/v1/brands') return send(400, errorBody(400));
          if (path === '/v1/customers/search') return send(429, errorBody(429), { 'retry-after': '0' });
          return emptyList();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(echo, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

describe('a key Kustomer echoes back never reaches any output', () => {
  let echo: Echo;
  let catalog: { streams: Message[] };

  beforeAll(async () => {
    echo = await echoServer();
    const sb = await testSandbox();
    try {
      catalog = selectAll(await discover(sb), ['tags', 'users', 'brands', 'customers', 'audit_logs']);
    } finally {
      await sb.close();
    }
  });
  afterAll(async () => {
    await echo?.close();
    // Everything this file printed, in one place (the global teardown checks the whole jest run the same way).
    expect(allOutput.filter((o) => o.includes(KEY))).toEqual([]);
  });

  function files(extra: Record<string, unknown> = {}, withKey = true): string[] {
    const dir = tmp('tap-secrets-');
    const config = { base_url: echo.url, max_retries: 1, start_date: '2024-01-01T00:00:00Z', ...(withKey ? { api_key: KEY } : {}), ...extra };
    return ['--config', writeJson(dir, 'config.json', config), '--catalog', writeJson(dir, 'catalog.json', catalog)];
  }

  function expectNoKey(out: { stdout: string; stderr: string }, expectedCode: number | null, code: number | null): void {
    expect(out.stdout).not.toContain(KEY);
    expect(out.stderr).not.toContain(KEY);
    expect(code).toBe(expectedCode);
    // The key did go out, to the one host it belongs to: the server saw it.
    expect(echo.auth).toContain(`Bearer ${KEY}`);
  }

  const inProcess = async (args: string[]) => {
    echo.auth = [];
    const run = await runTap([...args, '--log-level', 'debug', '--progress-seconds', '0']);
    return { code: run.code, out: { stdout: run.stdout, stderr: run.stderr.join('\n') } };
  };

  test('a same-host redirect to a URL holding the key, then a 401 whose body quotes it (exit 3)', async () => {
    echo.mode = 'redirect-then-401';
    const { code, out } = await inProcess(files());
    expectNoKey(out, 3, code);
    expect(out.stderr).toMatch(/Kustomer refused the API key \(401\): API key \*\*\* is not valid/); // quoted, masked
    expect(echo.auth.length).toBeGreaterThanOrEqual(2); // the redirect was followed with the key
  });

  test('the same as a real process, key only in TAP_KUSTOMER_API_KEY, JSON log lines (exit 3)', async () => {
    echo.mode = 'redirect-then-401';
    echo.auth = [];
    const run = await runBuilt([...files({}, false), '--log-level', 'debug', '--log-format', 'json'], { TAP_KUSTOMER_API_KEY: KEY });
    expectNoKey(run, 3, run.code);
    expect(run.stderr).toMatch(/Kustomer refused the API key \(401\): API key \*\*\* is not valid/);
  });

  test('--discover against the same 401 (exit 3)', async () => {
    echo.mode = 'redirect-then-401';
    const dir = tmp('tap-secrets-');
    const { code, out } = await inProcess(['--config', writeJson(dir, 'config.json', { api_key: KEY, base_url: echo.url, max_retries: 0 }), '--discover']);
    expectNoKey(out, 3, code);
    expect(out.stderr).toMatch(/API key \*\*\* is not valid/);
  });

  test('a redirect to another host carrying the key is refused, and not quoted', async () => {
    echo.mode = 'cross-host-redirect';
    const { code, out } = await inProcess(files());
    expect(code).not.toBe(0);
    expectNoKey(out, code, code);
    expect(out.stderr).toMatch(/collector\.invalid/);
  });

  test('a links.next to another host carrying the key is refused, and not quoted (exit 4)', async () => {
    echo.mode = 'foreign-next-link';
    const { code, out } = await inProcess(files());
    expectNoKey(out, 4, code);
    expect(out.stderr).toMatch(/next link to another host \(collector\.invalid\)/);
  });

  test('500 (retried), 403, 400 and 429 bodies quoting the key (exit 4)', async () => {
    echo.mode = 'error-bodies';
    const { code, out } = await inProcess(files());
    expectNoKey(out, 4, code);
    expect(out.stderr).toMatch(/retrying in .*answered 500 \(API key \*\*\* is not valid/);
    expect(out.stderr).toMatch(/stream users: Kustomer denied access \(403\).*API key \*\*\* is not valid/);
    expect(out.stderr).toMatch(/stream brands: GET \/v1\/brands failed with 400: API key \*\*\* is not valid/);
  });
});
