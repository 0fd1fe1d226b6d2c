'use strict';
/** Progress lines on stderr, stamped with the time of day (the report goes to a file, the summary to stdout). */
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

module.exports = { log };
