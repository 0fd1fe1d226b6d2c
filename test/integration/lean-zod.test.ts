/**
 * The tap's and target-kustomer's validators take zod from src/lean-zod.ts, which the build replaces by a bundle of
 * only the zod code they use (scripts/bundle-lean-zod.js): loading all of zod was about a quarter of `--discover`'s
 * start-up CPU (issue 13). The built modules must load no file of the zod package, and no run-time module may import
 * zod past src/lean-zod.ts (it would load all of zod again, and a second zod beside the bundled one).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/harness';

/** The compiled modules that validate with zod, in the tap and in target-kustomer. */
const VALIDATING = ['config', 'kustomer-client/jsonapi', 'singer/catalog', 'singer/state', 'singer/bookmarks/search', 'target-kustomer/settings'];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourcesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('zod, as the built tap loads it', () => {
  test('the built validators load no file of the zod package, and still validate', () => {
    const script = [
      `for (const m of ${JSON.stringify(VALIDATING)}) require(${JSON.stringify(join(ROOT, 'dist'))} + '/' + m + '.js');`,
      `const { parseConfig } = require(${JSON.stringify(join(ROOT, 'dist', 'config.js'))});`,
      `let message = '';`,
      `try { parseConfig({ api_key: 'k', page_size: '500' }); } catch (err) { message = err.message; }`,
      `const zodFiles = Object.keys(require.cache).filter((f) => f.includes('/node_modules/zod/'));`,
      `process.stdout.write(JSON.stringify({ zodFiles, message }));`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { zodFiles, message } = JSON.parse(run.stdout) as { zodFiles: string[]; message: string };
    expect(zodFiles).toEqual([]);
    expect(message).toBe('config error: page_size: Invalid input: expected number, received string (got "500")');
  });

  test("no run-time module of the tap or target-kustomer imports 'zod' but src/lean-zod.ts", () => {
    const src = join(ROOT, 'src');
    const direct = sourcesUnder(src)
      .map((file) => relative(src, file))
      // The sandbox is its own executable, a stand-in for Kustomer; its start-up is no goal.
      .filter((file) => file !== 'lean-zod.ts' && !file.startsWith('sandbox/'))
      .filter((file) => /from 'zod(\/[^']*)?'|require\('zod(\/[^']*)?'\)/.test(readFileSync(join(src, file), 'utf8')));
    expect(direct).toEqual([]);
  });
});
