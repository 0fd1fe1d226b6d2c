// Writes catalog/catalog.json: the built tap's --discover against a fixed sandbox org (see src/tools/catalog-snapshot.ts).
// Run with `npm run catalog` (it builds first); test/integration/catalog.test.ts fails when the file is stale.
const fs = require('node:fs');
const path = require('node:path');
const { catalogSnapshot } = require('../dist/tools/catalog-snapshot');

const file = path.join(__dirname, '..', 'catalog', 'catalog.json');

catalogSnapshot().then(
  (text) => {
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const streams = JSON.parse(text).streams.length;
    console.error(`catalog/catalog.json ${before === text ? 'unchanged' : 'written'} (${streams} streams)`);
  },
  (err) => {
    console.error(`generate-catalog: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
