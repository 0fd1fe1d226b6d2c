import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { tableCounts } from '../../packages/duckdb-loader/src';
import { STREAMS } from '../../src/streams/table';
import { API_KEY, collect, parseMessages, ROOT, selectAll, tmp, writeJson, type Message } from '../helpers/harness';

/**
 * What a user gets from `npm pack`: packing a fresh checkout (no dist/) builds first (prepack), the tarball installs
 * with npm into a clean project, and the installed executables work on their own: `tap-kustomer --about`,
 * `target-kustomer --about`, and a sync of `tags` and `users` from the installed `kustomer-sandbox`. Also checks the
 * package's `files`: the built code with its JSON Schemas (streams load them by name at run time), the catalog and the
 * README, and neither the development tools nor DuckDB: the tap's install has no `@duckdb` package at all.
 *
 * Then the DuckDB loader's own package (packages/duckdb-loader, with the singer-io package it needs) packs and
 * installs into another clean project, and loads what the installed tap synced.
 *
 * The installs need no registry and no npm cache (CI machines start with an empty one): npm resolves each package's
 * dependencies from tarballs of the very versions the project's node_modules holds, given on the same command line,
 * with an empty private cache and --offline.
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

/** A child fed `input` on stdin. */
function runWithInput(cmd: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Done> {
  const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdin.end(input);
  return collect(child);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The first stdout line of a long-running child (the sandbox's `{"url":...}`). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (err += c));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', (code) => {
      reject(new Error(`the sandbox exited (${code}) before printing its URL; stderr: ${err}`));
    });
  });
}

/** The project as a fresh clone has it: every file git tracks or would track, no dist/; node_modules linked. */
function freshCheckout(work: string): string {
  const dir = join(work, 'checkout');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f !== '' && f !== 'node_modules' && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface LockEntry {
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Where npm resolves `name` from the package at `from` (a lock path; '' is the project): the nearest
 * `node_modules/<name>` going up. */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = `${dir === '.' || dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '.' || dir === '') return undefined;
  }
}

/**
 * A tarball of each package installed in node_modules that the package at `from` needs at run time, transitively
 * (npm strips the archive's top folder). Workspace packages are left out: they are packed and passed on their own.
 * Optional dependencies for other platforms are absent from node_modules and left out too.
 */
function dependencyTarballs(dir: string, from: string): string[] {
  mkdirSync(dir, { recursive: true });
  const { packages } = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const needed = new Set<string>();
  const visit = (at: string): void => {
    const meta = packages[at] ?? {};
    for (const name of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies, ...meta.peerDependencies })) {
      const path = resolveInLock(packages, at, name);
      if (path === undefined || needed.has(path) || packages[path]?.link || !existsSync(join(ROOT, path))) continue;
      needed.add(path);
      visit(path);
    }
  };
  visit(from);
  return [...needed].map((path) => {
    const file = join(dir, `${path.replace(/^node_modules\//, '').replace(/[/@]/g, '_')}.tgz`);
    const packed = spawnSync('tar', ['-czf', file, '-C', dirname(join(ROOT, path)), basename(path)], { encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`tar of ${path} failed: ${packed.stderr}`);
    return file;
  });
}

describe('npm pack → npm install -g into a clean prefix → the installed executables', () => {
  maybe(
    'the tarball installs offline without DuckDB; tap-kustomer, target-kustomer and the sandbox run from it; the DuckDB loader installs on its own and loads the sync',
    async () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; files: string[]; bin: Record<string, string> };
      expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'catalog', 'README.md']));
      expect(Object.keys(pkg.bin).sort()).toEqual(['kustomer-sandbox', 'tap-kustomer', 'target-kustomer']);
      expect(Object.keys({ ...(pkg as { dependencies?: object }).dependencies }).filter((d) => /duckdb/i.test(d))).toEqual([]);

      const work = tmp('pack-');
      let sandbox: ChildProcess | undefined;
      try {
        // 1. Pack a fresh checkout: the project's files without dist/ (prepack must build it).
        const checkout = freshCheckout(work);
        expect(existsSync(join(checkout, 'dist'))).toBe(false);
        const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout });
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
        // Nothing of the development tree, and not the tools (the demo needs DuckDB); the one node_modules entry is the
        // bundled singer-io package (unpublished), with its built code.
        expect([...inTarball].filter((p) => /^(src|test|bench|scripts|packages|\.demo|dist\/tools)\//.test(p))).toEqual([]);
        expect([...inTarball].filter((p) => p.startsWith('node_modules/') && !p.startsWith('node_modules/@tap-kustomer/singer-io/'))).toEqual([]);
        expect(inTarball.has('node_modules/@tap-kustomer/singer-io/dist/index.js')).toBe(true);

        // 2. Install into an empty project, offline, with an empty npm cache: the dependencies come from tarballs of
        // the project's own node_modules (the production ones: a dev dependency would be missing and fail).
        const project = join(work, 'project');
        mkdirSync(project);
        const deps = dependencyTarballs(join(work, 'deps'), '');
        const env0 = { ...npmEnv(), npm_config_cache: join(work, 'empty-cache') };
        const installed = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball, ...deps], { cwd: project, env: env0 });
        if (installed.code !== 0) throw new Error(`npm install --offline of the tarball failed (${installed.code}): ${installed.stderr}`);
        const bin = join(project, 'node_modules', '.bin');
        for (const name of Object.keys(pkg.bin)) expect({ name, installed: existsSync(join(bin, name)) }).toEqual({ name, installed: true });
        expect(existsSync(join(project, 'node_modules', 'jest'))).toBe(false); // production dependencies only
        expect(existsSync(join(project, 'node_modules', '@duckdb'))).toBe(false); // DuckDB belongs to the loader
        const env = { PATH: `${bin}:${process.env.PATH}` };

        // 3. The installed tap describes itself exactly as the tree's build does.
        const about = await run(join(bin, 'tap-kustomer'), ['--about', '--format', 'json'], { env });
        expect({ code: about.code, stderr: about.stderr }).toEqual({ code: 0, stderr: '' });
        const built = await run(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--about', '--format', 'json'], { env });
        const aboutJson = JSON.parse(about.stdout) as { name: string; version: string };
        expect(aboutJson).toMatchObject({ name: pkg.name, version: pkg.version });
        expect(aboutJson).toEqual(JSON.parse(built.stdout));
        const targetAbout = await run(join(bin, 'target-kustomer'), ['--about', '--format', 'json'], { env });
        expect({ code: targetAbout.code, stderr: targetAbout.stderr }).toEqual({ code: 0, stderr: '' });
        expect(JSON.parse(targetAbout.stdout)).toMatchObject({ name: 'target-kustomer', version: pkg.version });

        // 4. The installed sandbox on a free port, and the installed tap syncing tags and users from it.
        sandbox = spawn(join(bin, 'kustomer-sandbox'), ['--port', '0', '--scale', '20', '--api-key', API_KEY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const { url } = JSON.parse(await firstLine(sandbox)) as { url: string };
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const expected: Record<string, number> = {};
        // Soft-deleted settings (`deleted: true`) are left out of a Replace stream's version (README: deletes).
        for (const name of ['tags', 'users']) {
          const rows = (await (await fetch(`${url}/__sandbox/data/${name}`)).json()) as Array<{ attributes?: { deleted?: unknown } }>;
          expected[name] = rows.filter((r) => r.attributes?.deleted !== true).length;
        }

        const dir = join(work, 'run'); // inside `work`, so the clean-up below removes it too
        mkdirSync(dir);
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

        // 6. The DuckDB loader's package (and singer-io, which it needs and which is not on a registry) packs from the
        // same checkout, installs offline into its own project with DuckDB, and loads what the installed tap synced.
        const loaderPacked = await run('npm', ['pack', '--json', '--pack-destination', work, '-w', 'packages/singer-io', '-w', 'packages/duckdb-loader'], { cwd: checkout });
        if (loaderPacked.code !== 0) throw new Error(`npm pack of the workspaces failed (${loaderPacked.code}): ${loaderPacked.stderr}`);
        const loaderInfo = JSON.parse(loaderPacked.stdout) as Array<{ name: string; filename: string; files: Array<{ path: string }> }>;
        expect(loaderInfo.map((i) => i.name).sort()).toEqual(['@tap-kustomer/singer-io', 'tap-kustomer-duckdb']);
        const loaderInfoOf = loaderInfo.find((i) => i.name === 'tap-kustomer-duckdb')!;
        expect(loaderInfoOf.files.map((f) => f.path)).toContain('dist/cli.js');
        const loaderProject = join(work, 'loader-project');
        mkdirSync(loaderProject);
        const loaderDeps = dependencyTarballs(join(work, 'loader-deps'), 'packages/duckdb-loader');
        const loaderInstalled = await run(
          'npm',
          ['install', '--offline', '--no-audit', '--no-fund', '--no-save', ...loaderInfo.map((i) => join(work, i.filename)), ...loaderDeps],
          { cwd: loaderProject, env: env0 },
        );
        if (loaderInstalled.code !== 0) throw new Error(`npm install --offline of the loader failed (${loaderInstalled.code}): ${loaderInstalled.stderr}`);
        const loaderBin = join(loaderProject, 'node_modules', '.bin', 'tap-kustomer-duckdb');
        const database = join(dir, 'warehouse.duckdb');
        const loaded = await runWithInput(loaderBin, ['--database', database], synced.stdout, { PATH: env.PATH });
        expect({ code: loaded.code, stderr: loaded.stderr.split('\n').filter((l) => /^(WARN|ERROR)/.test(l)) }).toEqual({ code: 0, stderr: [] });
        const lastState = messages.filter((m) => m.type === 'STATE').pop() as { value: unknown };
        expect(JSON.parse(loaded.stdout.trim().split('\n').pop()!)).toEqual(lastState.value);
        const rows = await tableCounts(database);
        expect(Object.fromEntries(Object.entries(rows).map(([t, c]) => [t, c.rows]))).toEqual(got);

        // 7. Last (so a missing catalog does not hide the rest): the catalog `files` promises (`npm run catalog`
        // writes it; npm pack silently leaves out a `files` entry that does not exist).
        expect({ 'catalog/catalog.json in the tarball': inTarball.has('catalog/catalog.json') }).toEqual({ 'catalog/catalog.json in the tarball': true });
      } finally {
        if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGKILL');
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});
