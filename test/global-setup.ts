import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, OUTPUT_LOG_ENV, ROOT, SECRETS_LOG_ENV } from './helpers/harness';

/**
 * Once per jest run, before any worker starts:
 *  - one output log: the harness appends every tap run's stdout and stderr to it from every worker (test files do
 *    not share modules, but workers inherit this process's environment), and test/global-teardown.ts checks it for
 *    API keys;
 *  - dist/ is rebuilt when src/ is newer, so the suites that spawn the real executable never test stale code
 *    (`npm test` builds first anyway; this covers `npx jest`).
 */
export default function globalSetup(): void {
  const stem = join(tmpdir(), `tap-kustomer-jest-${process.pid}-${Date.now()}`);
  process.env[OUTPUT_LOG_ENV] = `${stem}-output.log`;
  process.env[SECRETS_LOG_ENV] = `${stem}-secrets.log`;
  writeFileSync(process.env[OUTPUT_LOG_ENV], '');
  writeFileSync(process.env[SECRETS_LOG_ENV], '');

  if (!existsSync(CLI) || newestMtime(join(ROOT, 'src')) > statSync(CLI).mtimeMs) {
    execSync('npm run build --silent', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
