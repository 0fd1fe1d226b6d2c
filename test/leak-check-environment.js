/**
 * Jest's node environment, plus one check after each test file: whatever the file opened that keeps a process alive
 * (a sandbox or other server, a child process, a ref'd timer) is closed once its last afterAll has
 * run. A leak like that used to show up only as Jest's "A worker process has failed to exit gracefully" line, on
 * some runs, naming no file; here it fails the file that leaked, on every run.
 *
 * No timing is involved: a handle being closed finishes closing within a few turns of the event loop, so the check
 * lets a few turns pass (setImmediate, never a sleep) and then compares what keeps the process alive with what did
 * before the file started. (CommonJS: jest loads test environments without the ts-jest transform.)
 */
const { TestEnvironment } = require(require.resolve('jest-environment-node', { paths: [require.resolve('jest')] }));

/** Turns of the event loop a closed handle needs at most to be gone (close callbacks run one turn after close). */
const SETTLING_TURNS = 10;

/**
 * Connections are left out: the end of a connection whose server was closed goes away only when this process reads
 * the peer's FIN, which a loaded machine may deliver any number of event-loop turns later, so counting them would make
 * the check depend on timing. Whatever holds a connection open in a test is a server or a child process (the sandbox,
 * a tap run), and those are counted: a leaked connection shows up as the server or process it belongs to.
 */
const CONNECTION_KINDS = new Set(['TCPSocketWrap', 'PipeWrap', 'TTYWrap']);

/** What keeps this process alive, by kind ("TCPServerWrap", "ProcessWrap", "Timeout", …), connections left out. */
function aliveByKind() {
  const counts = new Map();
  for (const kind of process.getActiveResourcesInfo()) if (!CONNECTION_KINDS.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** What keeps the process alive now and did not at `before`, by kind and count: "2 TCPServerWrap, 1 Timeout" ('' if nothing). */
function openedSince(before) {
  const extra = [];
  for (const [kind, n] of aliveByKind()) if (n > (before.get(kind) ?? 0)) extra.push(`${n - (before.get(kind) ?? 0)} ${kind}`);
  return extra.join(', ');
}

/** Lets handles that are being closed finish closing. */
async function settle() {
  for (let turn = 0; turn < SETTLING_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
}

class LeakCheckEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    this.aliveBefore = aliveByKind();
  }

  async teardown() {
    await settle();
    const left = this.aliveBefore ? openedSince(this.aliveBefore) : ''; // undefined: setup failed, and jest says so
    await super.teardown();
    if (left) {
      throw new Error(
        `${this.testPath} left open after its last test and afterAll: ${left}. Close what it starts (sandbox.close(), ` +
          `await a spawned child's 'close', clearTimeout or unref). Run it alone with --detectOpenHandles to see where.`,
      );
    }
  }
}

module.exports = LeakCheckEnvironment;
// For test/leak-check.test.ts, which shows the check sees each kind of leak and clears each kind of clean-up.
module.exports.aliveByKind = aliveByKind;
module.exports.openedSince = openedSince;
module.exports.settle = settle;
