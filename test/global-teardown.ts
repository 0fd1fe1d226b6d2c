import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { API_KEY, OUTPUT_LOG_ENV, SECRETS_LOG_ENV } from './helpers/harness';

/**
 * The README promises the API key "never appears in logs, errors or output". Every tap run of the whole jest run
 * (in-process and spawned, through the harness) was logged by the harness: fail the run if any key a test used
 * (the harness's API_KEY and every key registered with registerSecret) appears anywhere in it.
 */
export default function globalTeardown(): void {
  const log = process.env[OUTPUT_LOG_ENV];
  const secretsLog = process.env[SECRETS_LOG_ENV];
  if (!log || !secretsLog) return;
  try {
    if (!existsSync(log)) throw new Error(`the tap output log ${log} is missing: the secret check cannot run`);
    const secrets = [API_KEY, ...readFileSync(secretsLog, 'utf8').split('\n')].filter((s) => s.length >= 4);
    const found = findSecrets(log, [...new Set(secrets)]);
    if (found.length) {
      throw new Error(
        `SECRET LEAK: an API key appeared in the tap's output (${found.map((f) => `${mask(f.secret)} at byte ${f.offset}`).join(', ')}); see ${log}`,
      );
    }
    rmSync(log, { force: true });
    rmSync(secretsLog, { force: true });
  } finally {
    delete process.env[OUTPUT_LOG_ENV];
    delete process.env[SECRETS_LOG_ENV];
  }
}

/** Scans the file in chunks (the log of a full suite is large), overlapping by the longest key. */
function findSecrets(file: string, secrets: string[]): Array<{ secret: string; offset: number }> {
  const found = new Map<string, number>();
  const overlap = Math.max(...secrets.map((s) => Buffer.byteLength(s))) - 1;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(4 * 1024 * 1024);
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      const window = Buffer.concat([carry, chunk.subarray(0, n)]);
      const base = position - carry.length;
      for (const s of secrets) {
        if (found.has(s)) continue;
        const at = window.indexOf(s);
        if (at >= 0) found.set(s, base + at);
      }
      carry = Buffer.from(window.subarray(Math.max(0, window.length - overlap)));
      position += n;
    }
  } finally {
    closeSync(fd);
  }
  return [...found].map(([secret, offset]) => ({ secret, offset }));
}

/** Names the key without printing it whole (the failure message is output too). */
function mask(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}
