// Replaces dist/lean-zod.js, which tsc compiled to a re-export of all of zod, with one file holding only the zod code
// that the names src/lean-zod.ts exports reach: esbuild bundles them from zod's ES modules and drops the rest (the
// other schema types, the locales but English). src/lean-zod.ts says why. Runs right after tsc, before anything loads
// the compiled code; the source map points into zod's own sources.
const path = require('node:path');
const { buildSync } = require('esbuild');

const root = path.join(__dirname, '..');
buildSync({
  entryPoints: [path.join(root, 'src/lean-zod.ts')],
  outfile: path.join(root, 'dist/lean-zod.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // The map points into zod's own files, which every install has: no need to ship their text a second time.
  sourcesContent: false,
  logLevel: 'warning',
});
