// Rewrites the generated documentation from the built code: the README's stream and delete tables, its stream count,
// and meltano/meltano.yml. Run with `npm run docs`; test/contract.test.ts fails when they are stale.
const fs = require('node:fs');
const path = require('node:path');
const { streamTableMarkdown, deleteTableMarkdown, settingsTableMarkdown, replaceSection, meltanoYaml, withStreamCount } = require('../dist/tools/docs');
const root = path.join(__dirname, '..');
const readmePath = path.join(root, 'README.md');
let readme = fs.readFileSync(readmePath, 'utf8');
readme = replaceSection(readme, 'settings', settingsTableMarkdown());
readme = replaceSection(readme, 'streams', streamTableMarkdown());
readme = replaceSection(readme, 'deletes', deleteTableMarkdown());
readme = withStreamCount(readme);
fs.writeFileSync(readmePath, readme);
fs.mkdirSync(path.join(root, 'meltano'), { recursive: true });
fs.writeFileSync(path.join(root, 'meltano', 'meltano.yml'), meltanoYaml());
console.error('README.md and meltano/meltano.yml updated');
