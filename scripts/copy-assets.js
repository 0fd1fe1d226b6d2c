// Copies the JSON Schemas next to the compiled code (streams load them by name at run time) and makes every
// package's executables executable, so a clone can run them as `dist/cli.js` as well as `node dist/cli.js`.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
fs.cpSync(path.join(root, 'src/schemas'), path.join(root, 'dist/schemas'), { recursive: true });
const manifests = ['.', ...require(path.join(root, 'package.json')).workspaces];
for (const dir of manifests) {
  const { bin = {} } = require(path.join(root, dir, 'package.json'));
  for (const file of Object.values(bin)) {
    const built = path.join(root, dir, file);
    if (fs.existsSync(built)) fs.chmodSync(built, 0o755);
  }
}
