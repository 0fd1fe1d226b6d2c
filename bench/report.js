'use strict';
/** The report bench/run.js writes: the summary table, then each scenario's details. */
const { OPTS } = require('./options');
const { BUILDS, after, COMPARE } = require('./builds');
const { results } = require('./results');

/** The summary table: one build's min / median / max per figure, or with --baseline both builds' and the change. */
function table() {
  const none = { min: '—', median: '—', max: '—', runs: 0, value: NaN, verdict: '—' };
  const cells = (x) => [x.min, x.median, x.max];
  let head;
  let rows;
  if (!COMPARE()) {
    head = ['figure', 'min', 'median', 'max', 'runs', 'target', 'verdict (median)'];
    rows = results.rows.map((r) => {
      const a = r.builds.after ?? none;
      return [r.figure, ...cells(a), String(a.runs), r.target, a.verdict];
    });
  } else {
    head = ['figure', 'before: min', 'median', 'max', 'after: min', 'median', 'max', 'change (median)', 'runs (each)', 'target', 'verdict (after, median)'];
    rows = results.rows.map((r) => {
      const a = r.builds.after ?? none;
      const b = r.builds.before ?? none;
      const change = Number.isFinite(a.value) && Number.isFinite(b.value) && b.value !== 0 ? `${a.value >= b.value ? '+' : ''}${((100 * (a.value - b.value)) / Math.abs(b.value)).toFixed(1)} %` : '—';
      return [r.figure, ...cells(b), ...cells(a), change, `${b.runs} / ${a.runs}`, r.target, a.verdict];
    });
  }
  const right = (h) => /min|median|max|runs|change/.test(h);
  return [`| ${head.join(' | ')} |`, `|${head.map((h) => (right(h) ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function report(machine, started, finished, loadEnd) {
  const mode = OPTS.quick ? '**quick** (`--quick`: small scales, a smoke test of the harness; not the issue-6 figures)' : `full (${OPTS.runs} runs per scenario)`;
  const out = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.js); do not edit by hand. Figures, not tests: the machine is shared and noisy, ' +
      'so each scenario runs several times and the verdict is taken on the median.',
    ...(COMPARE()
      ? ['', `Compare mode (\`--baseline\`): **before** is ${BUILDS[0].commit} (${BUILDS[0].dir}), **after** is ${after().commit} (this checkout). Each scenario ran both builds run by run in alternating order on this machine in this run, ${OPTS.sharedSandbox ? "both against this checkout's sandbox" : "each against its own checkout's sandbox (two processes side by side, same arguments)"}; "change" is after against before, on the medians.`]
      : []),
    '',
    `- Mode: ${mode}${OPTS.only.length < 6 ? `, scenarios ${OPTS.only.join(', ')} only` : ''}`,
    `- Date: ${started.toISOString()} (took ${((finished - started) / 60000).toFixed(1)} min)`,
    `- Machine: ${machine.os}, ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}`,
    `- Load average (1/5/15 min) at start: ${machine.load}; at end: ${loadEnd} (other work on the machine shares the cores)`,
    `- Code: ${COMPARE() ? `before ${BUILDS[0].commit}, after ${after().commit}` : after().commit}`,
    '',
    table(),
    '',
  ];
  if (results.errors.length) out.push('**Errors:**', '', ...results.errors.map((e) => `- ${e}`), '');
  for (const d of results.details) out.push(`## ${d.title}`, '', ...d.lines.map((l) => l), '');
  return out.join('\n');
}

module.exports = { table, report };
