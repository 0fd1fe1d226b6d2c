import type { Sandbox } from '../../src/sandbox/server';
import { testSandbox, tmp, writeJson, type Message } from '../helpers/harness';
import { customersWithExternalId, ndjson, parseStates, record, runTarget, schema, spawnTarget, state, targetConfig } from '../helpers/target';

/**
 * "A kill at any point, rerun from the last STATE the target emitted, gives exactly the right objects and no
 * duplicates." The target is SIGKILLed when its stdout holds a chosen number of STATE lines (an output position, not
 * a moment), with bulk jobs slow to complete (several polls), so jobs submitted before the kill are still pending
 * when the resumed run looks the same people up.
 */
describe('target-kustomer kill and resume', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 20, writes: { bulkPollsBeforeComplete: 3 } });
  });
  afterAll(() => sb.close());

  const streams = { people: { object: 'customer', match_on: ['external_id', 'email'], fields: { ext: 'external_id', mail: 'email', full: 'name', n: 'custom.lifetimeValueNum' } } };

  /** 120 rows for 80 people: every third person appears again later (under the same email, sometimes without external id). */
  function input(prefix: string): Message[] {
    const out: Message[] = [schema('people', ['ext', 'mail', 'full', 'n'])];
    for (let i = 0; i < 120; i++) {
      const person = i < 80 ? i : (i - 80) * 2;
      const again = i >= 80;
      out.push(record('people', { ...(again && i % 2 === 0 ? {} : { ext: `${prefix}-${person}` }), mail: `${prefix}.${person}@example.com`, full: `Person ${person}${again ? ' (again)' : ''}`, n: i }));
      if ((i + 1) % 10 === 0) out.push(state({ rows: i + 1 }));
    }
    return out;
  }

  /** Runs the target on `messages`, killing it once `killAfter` STATE lines are on its stdout. */
  async function runUntil(config: string, messages: Message[], killAfter: number): Promise<{ states: unknown[]; killed: boolean }> {
    const child = spawnTarget(['--config', config, '--progress-seconds', '0']);
    let out = '';
    let killed = false;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (!killed && parseStates(out.slice(0, out.lastIndexOf('\n') + 1)).length >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr!.resume();
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(ndjson(messages));
    await new Promise((resolve) => child.on('close', resolve));
    return { states: parseStates(out.slice(0, out.lastIndexOf('\n') + 1)), killed };
  }

  /** The messages a tap resuming from `value` sends: everything after that STATE. */
  function resumeFrom(messages: Message[], value: unknown): Message[] {
    const at = messages.findIndex((m) => m.type === 'STATE' && JSON.stringify(m.value) === JSON.stringify(value));
    return [messages[0]!, ...messages.slice(at + 1)];
  }

  test.each([
    ['kill after the 1st STATE, then after the 2nd of the resumed run', 'ka', [1, 2]],
    ['kill after the 3rd STATE, then after the 1st', 'kb', [3, 1]],
    ['kill after the 5th STATE', 'kc', [5]],
  ])('%s: exactly the right customers, no duplicates', async (_name, prefix, kills) => {
    const config = writeJson(tmp('target-'), 'config.json', { ...targetConfig(sb), streams, batch_size: 20 });
    const all = input(prefix);
    let messages = all;
    for (const k of kills) {
      const run = await runUntil(config, messages, k);
      expect(run.killed).toBe(true);
      messages = resumeFrom(all, run.states[run.states.length - 1]);
    }
    const final = await runTarget(JSON.parse(require('node:fs').readFileSync(config, 'utf8')), messages);
    expect(final.stderr).not.toMatch(/ERROR/);
    expect(final.code).toBe(0);
    expect(final.states[final.states.length - 1]).toEqual({ rows: 120 });

    for (let person = 0; person < 80; person++) {
      const found = customersWithExternalId(sb, `${prefix}-${person}`);
      expect(found).toHaveLength(1);
      const lastRow = person < 80 && person % 2 === 0 && person / 2 + 80 < 120 ? person / 2 + 80 : person;
      expect(found[0]!.attributes.name).toBe(`Person ${person}${lastRow >= 80 ? ' (again)' : ''}`);
      expect((found[0]!.attributes.custom as Record<string, unknown>).lifetimeValueNum).toBe(lastRow);
    }
    const byEmail = sb.data.customers.filter((c) => JSON.stringify(c.attributes.emails).includes(`"${prefix}.`));
    expect(byEmail).toHaveLength(80);
  });
});
