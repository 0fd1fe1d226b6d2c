// Writes what the compiled code reads next to it: the settings schema `--about` prints, the JSON Schemas (tests take
// dist/schemas being there as the build being complete) and every stream's schema inlined from them. And makes every
// package's executables executable, so a clone can run them as `dist/cli.js` as well as `node dist/cli.js`.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
/** Written whole under another name and renamed, so a process starting meanwhile reads all of it or none. */
function writeWhole(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}
// The settings JSON Schema `tap-kustomer --about` prints, derived here once from the zod schema that validates the
// settings (src/config.ts stays the one source): `--about` then reads it instead of loading zod (src/about-settings.ts).
const { settingsJsonSchema } = require(path.join(root, 'dist/config.js'));
const { BUILT_SETTINGS_SCHEMA } = require(path.join(root, 'dist/about-settings.js'));
writeWhole(BUILT_SETTINGS_SCHEMA, JSON.stringify(settingsJsonSchema(), null, 2) + '\n');
// Every stream's schema with its $refs already inlined, in one file: what the streams load at run time
// (src/streams/schemas.ts), so a run reads one file instead of inlining about 70.
const { inlinedSchemas, BUILT_SCHEMAS } = require(path.join(root, 'dist/streams/schemas.js'));
writeWhole(BUILT_SCHEMAS, JSON.stringify(inlinedSchemas(path.join(root, 'src/schemas'))));
// Last of the schemas: tests take dist/schemas being there as the build being complete (test/helpers/harness.ts).
fs.cpSync(path.join(root, 'src/schemas'), path.join(root, 'dist/schemas'), { recursive: true });
const manifests = ['.', ...require(path.join(root, 'package.json')).workspaces];
for (const dir of manifests) {
  const { bin = {} } = require(path.join(root, dir, 'package.json'));
  for (const file of Object.values(bin)) {
    const built = path.join(root, dir, file);
    if (fs.existsSync(built)) fs.chmodSync(built, 0o755);
  }
}
