// Copies the JSON Schemas next to the compiled code: streams load them by name at run time.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
fs.cpSync(path.join(root, 'src/schemas'), path.join(root, 'dist/schemas'), { recursive: true });
for (const bin of ['dist/cli.js', 'dist/sandbox/cli.js', 'dist/target/cli.js', 'dist/target-kustomer/cli.js']) {
  const file = path.join(root, bin);
  if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
}
