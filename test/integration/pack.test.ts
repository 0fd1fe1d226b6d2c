import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STREAMS } from '../../src/streams/table';
import { API_KEY, collect, parseMessages, ROOT, selectAll, tmp, writeJson, type Message } from '../helpers/harness';

/**
 * What a user gets from `npm pack` (or the registry): the tarball installs into a clean prefix from the npm cache
 * alone (the project's `npm ci` filled it), and the installed executables work on their own: `tap-kustomer --about`,
 * and a sync of `tags` and `users` from the installed `kustomer-sandbox`. Also checks the package's `files`: the
 * built code with its JSON Schemas (streams load them by name at run time), the catalog and the README.
 */

const npmAvailable = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
if (!npmAvailable) console.warn('SKIPPED test/integration/pack.test.ts: `npm` is not on PATH, so `npm pack` cannot run here');
const maybe = npmAvailable ? test : test.skip;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm's own environment without what an enclosing `npm run`/`npx` exported that could redirect the install. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_(prefix|global|location|dry_run|offline|prefer_online)$/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Done> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  return collect(child);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The first stdout line of a long-running child (the sandbox's `{"url":...}`). */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no line from the sandbox in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (err += c));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code}) before printing its URL; stderr: ${err}`));
    });
  });
}

describe('npm pack → npm install -g into a clean prefix → the installed executables', () => {
  maybe(
    'the tarball installs from the npm cache alone; tap-kustomer --about and a sandbox sync of tags and users work',
    async () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; files: string[]; bin: Record<string, string> };
      expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'catalog', 'README.md']));
      expect(Object.keys(pkg.bin).sort()).toEqual(['kustomer-sandbox', 'tap-kustomer', 'tap-kustomer-duckdb', 'target-kustomer']);

      const work = tmp('pack-');
      let sandbox: ChildProcess | undefined;
      try {
        // 1. Pack (the tree as built: `npm run build` first).
        const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
        if (packed.code !== 0) throw new Error(`npm pack failed (${packed.code}): ${packed.stderr}`);
        const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
        const tarball = join(work, info!.filename);
        expect(existsSync(tarball)).toBe(true);
        const inTarball = new Set(info!.files.map((f) => f.path));
        for (const f of ['package.json', 'README.md', ...Object.values(pkg.bin)]) expect({ f, packed: inTarball.has(f) }).toEqual({ f, packed: true });
        // Every JSON Schema, _defs included, next to the compiled code.
        const schemas = filesUnder(join(ROOT, 'src', 'schemas')).filter((p) => p.endsWith('.json'));
        expect(schemas.length).toBeGreaterThanOrEqual(STREAMS.length);
        const missingSchemas = schemas.map((p) => `dist/schemas/${relative(join(ROOT, 'src', 'schemas'), p).split('\\').join('/')}`).filter((p) => !inTarball.has(p));
        expect(missingSchemas).toEqual([]);
        // Nothing of the development tree.
        expect([...inTarball].filter((p) => /^(src|test|bench|scripts|node_modules|\.demo)\//.test(p))).toEqual([]);

        // 2. Install into an empty prefix, offline: only the npm cache may serve the dependencies.
        const prefix = join(work, 'prefix');
        const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: work });
        if (installed.code !== 0) throw new Error(`npm install --offline of the tarball failed (${installed.code}); is the npm cache filled (npm ci)? ${installed.stderr}`);
        const bin = join(prefix, 'bin');
        for (const name of Object.keys(pkg.bin)) expect({ name, installed: existsSync(join(bin, name)) }).toEqual({ name, installed: true });
        const installedPkg = join(prefix, 'lib', 'node_modules', pkg.name);
        expect(existsSync(join(installedPkg, 'node_modules', 'jest'))).toBe(false); // production dependencies only
        const env = { PATH: `${bin}:${process.env.PATH}` };

        // 3. The installed tap describes itself exactly as the tree's build does.
        const about = await run(join(bin, 'tap-kustomer'), ['--about', '--format', 'json'], { env });
        expect({ code: about.code, stderr: about.stderr }).toEqual({ code: 0, stderr: '' });
        const built = await run(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--about', '--format', 'json'], { env });
        const aboutJson = JSON.parse(about.stdout) as { name: string; version: string };
        expect(aboutJson).toMatchObject({ name: pkg.name, version: pkg.version });
        expect(aboutJson).toEqual(JSON.parse(built.stdout));

        // 4. The installed sandbox on a free port, and the installed tap syncing tags and users from it.
        sandbox = spawn(join(bin, 'kustomer-sandbox'), ['--port', '0', '--scale', '20', '--api-key', API_KEY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const { url } = JSON.parse(await firstLine(sandbox, 30_000)) as { url: string };
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const expected: Record<string, number> = {};
        for (const name of ['tags', 'users']) expected[name] = ((await (await fetch(`${url}/__sandbox/data/${name}`)).json()) as unknown[]).length;

        const dir = tmp('pack-run-');
        const config = writeJson(dir, 'config.json', { api_key: API_KEY, base_url: url, start_date: '2000-01-01T00:00:00Z' });
        const discovered = await run(join(bin, 'tap-kustomer'), ['--config', config, '--discover', '--log-level', 'warn'], { env });
        expect({ code: discovered.code, stderr: discovered.stderr }).toEqual({ code: 0, stderr: '' });
        const catalog = writeJson(dir, 'catalog.json', selectAll(JSON.parse(discovered.stdout) as { streams: Message[] }, ['tags', 'users']));
        const synced = await run(join(bin, 'tap-kustomer'), ['--config', config, '--catalog', catalog, '--log-level', 'warn', '--progress-seconds', '0'], { env });
        expect({ code: synced.code, stderr: synced.stderr }).toEqual({ code: 0, stderr: '' });
        const messages = parseMessages(synced.stdout);
        const got: Record<string, number> = {};
        for (const m of messages) if (m.type === 'RECORD') got[m.stream] = (got[m.stream] ?? 0) + 1;
        expect(got).toEqual(expected);
        expect(expected.tags).toBeGreaterThan(0);
        expect(expected.users).toBeGreaterThan(0);
        expect(messages[messages.length - 1]!.type).toBe('STATE');

        // 5. The sandbox stops cleanly on SIGTERM.
        const stopped = new Promise<number | null>((resolve) => sandbox!.on('exit', (code) => resolve(code)));
        sandbox.kill('SIGTERM');
        expect(await stopped).toBe(0);
        sandbox = undefined;

        // 6. Last (so a missing catalog does not hide the rest): the catalog `files` promises (`npm run catalog`
        // writes it; npm pack silently leaves out a `files` entry that does not exist).
        expect({ 'catalog/catalog.json in the tarball': inTarball.has('catalog/catalog.json') }).toEqual({ 'catalog/catalog.json in the tarball': true });
      } finally {
        if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGKILL');
        rmSync(work, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
