import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/server';
import { baseConfig, registerSecret, ROOT, runBuilt, testSandbox, tmp, writeJson } from '../helpers/harness';

/**
 * Issue 6, bad input: every malformed config, catalog, state and command line in fixtures/bad-input/cases.json,
 * run through the real executable. Each must end with exactly its documented exit code (README "Exit codes": 2 for
 * bad input), one line on stderr saying what is wrong, no stack trace, and nothing on stdout (a target must never
 * receive a STATE from a run that refused its input). test/global-setup.ts rebuilds dist/ first when src/ is newer.
 */

interface BadInputCase {
  name: string;
  args: string[];
  files?: string[];
  generate?: Record<string, 'huge-json' | 'directory'>;
  env?: Record<string, string>;
  exit: number;
  stderr: string;
  why?: string;
}

const FIXTURES = join(ROOT, 'fixtures', 'bad-input');
const CORPUS = join(FIXTURES, 'files');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as { cases: BadInputCase[] };
const MAX_INPUT_BYTES = 10 * 1024 * 1024;
/** The corpus's key: no error about a bad config may quote it (the global teardown checks every output). */
registerSecret('bad-input-key-0000');

let shared: Promise<{ sb: Sandbox; config: string }> | undefined;
/** A sandbox and a valid config for it, for the catalog, state and flag cases (concurrent tests skip beforeAll). */
function setup(): Promise<{ sb: Sandbox; config: string }> {
  shared ??= (async () => {
    const sb = await testSandbox();
    return { sb, config: writeJson(tmp('tap-bad-input-'), 'config.json', baseConfig(sb, { max_retries: 0 })) };
  })();
  return shared;
}

afterAll(async () => {
  if (shared) await (await shared).sb.close();
});

/** A valid JSON object just over the 10 MB input limit, written at test time (never committed). */
function hugeJson(file: string): void {
  const padding = 'x'.repeat(MAX_INPUT_BYTES + 1024);
  writeFileSync(file, `{"api_key":"bad-input-key-0000","streams":[],"bookmarks":{},"padding":"${padding}"}`);
}

function materialise(c: BadInputCase, config: string): { args: string[]; dir: string } {
  const dir = tmp('tap-bad-input-case-');
  for (const [name, kind] of Object.entries(c.generate ?? {})) {
    if (kind === 'directory') mkdirSync(join(dir, name));
    else hugeJson(join(dir, name));
  }
  const args = c.args.map((a) => a.replaceAll('{files}', CORPUS).replaceAll('{tmp}', dir).replaceAll('{config}', config));
  return { args, dir };
}

describe('the manifest', () => {
  test('has at least 30 well-formed cases, each expecting a documented non-zero exit', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(manifest.cases.map((c) => c.name)).size).toBe(manifest.cases.length);
    for (const c of manifest.cases) {
      expect([2, 3, 4, 5]).toContain(c.exit);
      expect(() => new RegExp(c.stderr)).not.toThrow();
      for (const f of c.files ?? []) expect(c.args.some((a) => a === `{files}/${f}`)).toBe(true);
    }
  });

  test('lists every corpus file it uses, and the corpus holds no unused file', () => {
    const used = new Set(manifest.cases.flatMap((c) => c.args.filter((a) => a.startsWith('{files}/')).map((a) => a.slice('{files}/'.length))));
    const listed = new Set(manifest.cases.flatMap((c) => c.files ?? []));
    expect([...used].sort()).toEqual([...listed].sort());
    expect(readdirSync(CORPUS).sort()).toEqual([...used].sort());
  });

  test('commits no huge file (those are generated at test time)', () => {
    for (const f of readdirSync(CORPUS)) expect(statSync(join(CORPUS, f)).size).toBeLessThan(64 * 1024);
  });
});

describe('bad input: the documented exit, one stderr line, no stack trace, empty stdout', () => {
  test.concurrent.each(manifest.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { config } = await setup();
    const { args, dir } = materialise(c, config);
    const run = await runBuilt(args, c.env ?? {}).finally(() => rmSync(dir, { recursive: true, force: true }));
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    expect({ exit: run.code, stdout: run.stdout, stderr: lines }).toEqual({
      exit: c.exit,
      stdout: '',
      stderr: [expect.stringMatching(new RegExp(c.stderr))],
    });
    // No stack frames, no `Error:` / `TypeError:` prefixes node prints for an uncaught error.
    expect(run.stderr).not.toMatch(/^\s+at |\b[A-Za-z]*Error: |node:internal/m);
  });
});
