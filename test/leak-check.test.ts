import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { testSandbox } from './helpers/harness';

/**
 * test/leak-check-environment.js fails any test file that leaves something open that keeps a process alive. These
 * tests show it sees each kind of leak the suite could have (a server, a sandbox, a child process, a timer) and that
 * each clean-up the suite's files do makes the leak disappear, so a file that passes it really did close everything.
 */
const { aliveByKind, openedSince, settle } = require('./leak-check-environment') as {
  aliveByKind: () => Map<string, number>;
  openedSince: (before: Map<string, number>) => string;
  settle: () => Promise<void>;
};

describe('the leak check run after every test file', () => {
  test('sees a listening server until it is closed', async () => {
    const before = aliveByKind();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await settle();
    expect(openedSince(before)).toBe('1 TCPServerWrap');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await settle();
    expect(openedSince(before)).toBe('');
  });

  test('sees a sandbox that served a request until sandbox.close() (its connections count as the server)', async () => {
    const before = aliveByKind();
    const sb = await testSandbox({ scale: 1 });
    const res = await fetch(`${sb.url}/v1/tags`);
    await res.arrayBuffer();
    await settle();
    expect(openedSince(before)).toBe('1 TCPServerWrap');
    await sb.close();
    await settle();
    expect(openedSince(before)).toBe('');
  });

  test('sees a child process until its exit has been waited for', async () => {
    const before = aliveByKind();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    await settle();
    expect(openedSince(before)).toBe('1 ProcessWrap');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await settle();
    expect(openedSince(before)).toBe('');
  });

  test("sees a ref'd timer until it is cleared; an unref'd one keeps nothing alive", async () => {
    const before = aliveByKind();
    const timer = setTimeout(() => undefined, 600_000);
    expect(openedSince(before)).toBe('1 Timeout');
    timer.unref();
    expect(openedSince(before)).toBe('');
    timer.ref();
    clearTimeout(timer);
    await settle();
    expect(openedSince(before)).toBe('');
  });
});
