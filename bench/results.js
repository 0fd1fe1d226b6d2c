'use strict';
/** The figures a run collects (summary rows per build, detail sections, errors) and how they are formatted. */
const L = require('./lib');
const { COMPARE } = require('./builds');

/** rows: one per figure, with each build's min / median / max; details: per build (compare mode names the build). */
const results = { rows: [], details: [], errors: [] };
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)} %` : 'n/a');
const mb = (kib) => (kib * 1024) / 1e6;

/** Build b's line of figure `figure` in the summary table; `met` is judged on the median. */
function row(b, figure, values, opts = {}) {
  const s = L.summarize(values);
  rowOf(b, figure, s, opts);
  return s;
}

/** The same from a ready summary (figures derived from other figures, such as a growth ratio). */
function rowOf(b, figure, s, { unit = '', format = (x) => fmt(x), target = '—', met } = {}) {
  let r = results.rows.find((x) => x.figure === figure);
  if (!r) results.rows.push((r = { figure, target, builds: {} }));
  r.builds[b.key] = {
    min: `${format(s.min)}${unit}`,
    median: `${format(s.median)}${unit}`,
    max: `${format(s.max)}${unit}`,
    runs: s.n,
    value: s.median,
    verdict: met === undefined ? '—' : met(s.median) ? 'met' : '**missed**',
  };
}

function detail(b, title, lines) {
  results.details.push({ title: COMPARE() ? `${title} — ${b.key} (${b.commit})` : title, lines });
}

module.exports = { results, fmt, pct, mb, row, rowOf, detail };
