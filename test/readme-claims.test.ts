import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Issue 10 items 9–12: claims the README made that were not true for a newcomer, pinned so they do not come back.
 * (The commands themselves are run by the demo, pack and Meltano tests; these check the words around them.)
 */
const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; engines: { node: string }; scripts: Record<string, string> };

test('install steps use a tarball or a clone: the package is not on the registry', () => {
  expect(readme).not.toMatch(/npm (install|i) -g tap-kustomer(\s|$)/m);
  expect(readme).toMatch(/npm install -g \.\/tap-kustomer-[\d.]+\.tgz/);
  expect(pkg.scripts.prepack).toBe('npm run build'); // npm pack on a fresh clone packs a built dist/
});

test('the Node version is the one package.json requires', () => {
  const required = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)![1]!;
  for (const [, version] of readme.matchAll(/Node\.js ≥ ([\d.]+)/g)) expect(version).toBe(required);
});

test('Meltano commands are spelt as Meltano 4 spells them', () => {
  expect(readme).not.toMatch(/meltano config tap-kustomer/);
  expect(readme).toMatch(/meltano config set tap-kustomer api_key/);
  expect(readme).toMatch(/meltano config list tap-kustomer/);
});

test('DuckDB examples never name the database file like its schema', () => {
  expect(readme).not.toMatch(/--database \S*kustomer\.duckdb/);
  expect(readme).not.toMatch(/\.demo\/kustomer\.duckdb/);
});

test('no stale claims: message types, where the sandbox prints its config, the first-run ACTIVATE_VERSION', () => {
  expect(readme).not.toMatch(/^\s*- Types are written in UPPERCASE/m);
  expect(readme).not.toMatch(/It prints a ready-to-use config\./);
  expect(readme).not.toMatch(/first run activates before its records/i);
  expect(readme).toMatch(/node dist\/sandbox\/cli\.js/);
});
