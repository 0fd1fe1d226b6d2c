import type { Clock } from './rate-budget';

/**
 * Network errors that mean no HTTP exchange took place at all: the host refused, could not be resolved or routed
 * to, or did not complete the TCP/TLS handshake. Kustomer is down or unreachable from here; retrying request by
 * request (each with its own max_retries, in every family) only multiplies the wait and the log lines.
 */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function isConnectFailure(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && CONNECT_FAILURES.has(code);
}

/**
 * One bound on the total time the tap spends unable to connect (connect_retry_seconds): the clock starts at the
 * first connection failure since the last answer from Kustomer, any answer resets it, and once the bound is spent
 * the whole run stops. A DNS answer that the host does not exist (ENOTFOUND) is final at once.
 */
export class Outage {
  private since: number | undefined;

  constructor(
    private readonly allowanceMs: number,
    private readonly clock: Clock,
  ) {}

  /** Kustomer answered (any status): connectivity is back. */
  answered(): void {
    this.since = undefined;
  }

  /** Records a connection failure; returns how long the outage has lasted, or null while it may still be retried. */
  failed(err: unknown): number | null {
    const now = this.clock.now();
    this.since ??= now;
    const lasted = now - this.since;
    if ((err as { code?: string }).code === 'ENOTFOUND' || lasted >= this.allowanceMs) return lasted;
    return null;
  }

  /** Never sleep past the end of the allowance: the last attempt comes when it ends, not a backoff later. */
  capDelay(delayMs: number): number {
    if (this.since === undefined) return delayMs;
    return Math.max(0, Math.min(delayMs, this.since + this.allowanceMs - this.clock.now()));
  }
}
