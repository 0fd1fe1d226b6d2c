'use strict';
/** The builds under test (this checkout, and with --baseline another), their run order, and the sandboxes serving them. */
const L = require('./lib');
const { OPTS } = require('./options');

/**
 * The builds under test: `after` is this checkout; with --baseline, `before` is the other one. Each has its own
 * snapshot of dist/ (resolving its own node_modules), its stream table and its commit.
 */
const BUILDS = []; // filled once by run.js before any scenario runs: [before, after] or [after]
/** This checkout's build (always the last): its sandbox serves both builds. */
const after = () => BUILDS[BUILDS.length - 1];
/** Run i goes through the builds in this order: alternating, so drift in the machine's load hits both alike. */
const inTurn = (i) => (i % 2 === 0 ? BUILDS : BUILDS.slice().reverse());
const COMPARE = () => BUILDS.length > 1;
/** Whose sandbox serves build b (see --baseline and --shared-sandbox). */
const sandboxDist = (b) => (OPTS.sharedSandbox ? after().dist : b.dist);

/**
 * Starts the sandbox every build needs, with the same arguments: one process per distinct sandbox build. `of(b)` is
 * build b's sandbox.
 */
async function startSandboxes(args) {
  const byDist = new Map();
  const stop = async () => {
    for (const sb of byDist.values()) await sb.stop();
  };
  try {
    for (const b of BUILDS) if (!byDist.has(sandboxDist(b))) byDist.set(sandboxDist(b), await L.startSandbox(sandboxDist(b), args));
  } catch (err) {
    await stop();
    throw err;
  }
  return { of: (b) => byDist.get(sandboxDist(b)), startMs: Math.max(...[...byDist.values()].map((sb) => sb.startMs)), count: byDist.size, stop };
}

module.exports = { BUILDS, after, inTurn, COMPARE, sandboxDist, startSandboxes };
