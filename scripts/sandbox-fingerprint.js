// Prints a sha256 fingerprint of the sandbox's generated org for a fixed set of options (scales 1 to 5,000, several
// seeds and anchors, archived records), after three mutation rounds, a settings change and an emptied org. A
// refactor of src/sandbox/generate/ or src/sandbox/mutations/ must leave every line unchanged (same options → same bytes).
// Reads the TypeScript sources directly (no build), so it runs against any checkout:
//   node scripts/sandbox-fingerprint.js [repository root, default: this one]
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
const ts = require(require.resolve('typescript', { paths: [root, __dirname] }));
require.extensions['.ts'] = (module, filename) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  module._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename }).outputText, filename);
};
const load = (name) => require(path.join(root, 'src/sandbox', name));
const { generateData, emptyData } = load('generate');
const { applyMutation, applyMutationRound } = load('mutations');
const { emptyOrg } = load('empty-org');
const { withKlassIdShape } = load('kobject-shape');

const sha = (value) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const ANCHORS = [new Date('2026-06-01T00:00:00Z'), new Date('2025-06-01T12:00:00.000Z'), new Date('2026-12-06T20:21:07.123Z')];
const SETS = [
  { name: 'server-default', seed: 1, scale: 200, anchor: ANCHORS[2], archived: 0 },
  { name: 'tiny', seed: 1, scale: 1, anchor: ANCHORS[1] },
  { name: 'small', seed: 2, scale: 10, anchor: ANCHORS[1], archived: 2 },
  { name: 'projector', seed: 5, scale: 60, anchor: ANCHORS[0] },
  { name: 'contract', seed: 3, scale: 300, anchor: ANCHORS[0], archived: 0 },
  { name: 'archived', seed: 4, scale: 500, anchor: ANCHORS[1], archived: 40 },
  { name: 'large', seed: 7, scale: 5000, anchor: ANCHORS[0], archived: 25 },
  { name: 'large-seed9', seed: 9, scale: 1500, anchor: ANCHORS[2], archived: 3 },
];

const lines = [`emptyData ${sha(emptyData())}`];
for (const set of SETS) {
  const options = { seed: set.seed, scale: set.scale, anchor: set.anchor, archived: set.archived };
  const data = generateData(options);
  const generated = sha(data);
  // A second org from the same options in the same process: pooled caches must not leak between orgs.
  const again = sha(generateData(options)) === generated ? 'same' : 'DIFF';
  const kobjectsById = sha(data.kobjects.map((r) => withKlassIdShape(r, data.klasses)));
  const A = set.anchor.getTime();
  for (let round = 1; round <= 3; round++) {
    const auditCascade = round === 2 ? 'root' : 'all';
    applyMutationRound(data, round, new Date(A + round * 1000), set.seed, { auditCascade }, round === 3 ? { bulkUpdate: 40 } : {});
  }
  const rounds = sha(data);
  const settings = sha([data, applyMutation(data, { kind: 'settings', count: 5 }, new Date(A + 9000), 11)]);
  const emptied = sha(emptyOrg(data));
  lines.push(`${set.name.padEnd(15)} gen=${generated} again=${again} kobjById=${kobjectsById} rounds=${rounds} settings=${settings} emptyOrg=${emptied}`);
}
lines.push(`all ${crypto.createHash('sha256').update(lines.join('\n')).digest('hex')}`);
console.log(lines.join('\n'));
