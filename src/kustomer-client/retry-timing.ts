/**
 * How long to wait before retrying a request: a pure function of the attempt and the response headers,
 * so every branch is unit-tested without sleeping.
 *
 * Precedence: `Retry-After` (seconds or HTTP date) → `x-ratelimit-reset` when the window is exhausted
 * (Kustomer documents the header but not its unit: epoch seconds per singer-io's client, "now + 60 s" per the
 * docs' widget, so both are parsed) → exponential backoff with full jitter.
 */
export interface RetryTimingInput {
  attempt: number; // 0 for the first retry
  status?: number; // undefined for network errors and timeouts
  headers?: Record<string, string | string[] | undefined>;
  now: number; // epoch ms
  random: () => number; // [0, 1)
  baseMs?: number;
  capMs?: number;
}

const DEFAULT_BASE_MS = 500;
const DEFAULT_CAP_MS = 60_000;
/** Hints further out than this are distrusted (clock skew, a unit we misread) and capped. */
const MAX_HINT_MS = 5 * 60_000;

export function header(headers: RetryTimingInput['headers'], name: string): string | undefined {
  const v = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After: 7` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → ms to wait. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * `x-ratelimit-reset` → epoch ms at which the window resets. Values above 1e12 are epoch ms, above 1e9 epoch
 * seconds (1e9 s is 2001), anything smaller is a delta in seconds. Fractions are kept.
 */
export function parseRateLimitReset(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n > 1e12) return n;
  if (n > 1e9) return n * 1000;
  return now + n * 1000;
}

export function backoffMs(attempt: number, random: () => number, baseMs = DEFAULT_BASE_MS, capMs = DEFAULT_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  // Full jitter, but never less than half the base, so a retry storm still spreads out.
  return Math.max(baseMs / 2, Math.floor(random() * ceiling));
}

export function retryDelayMs(input: RetryTimingInput): number {
  const { attempt, status, headers, now, random } = input;
  const base = input.baseMs ?? DEFAULT_BASE_MS;
  const cap = input.capMs ?? DEFAULT_CAP_MS;
  const jitter = () => Math.floor(random() * Math.min(250, base));

  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_HINT_MS) + jitter();

  const remaining = header(headers, 'x-ratelimit-remaining');
  const reset = parseRateLimitReset(header(headers, 'x-ratelimit-reset'), now);
  if (reset !== undefined && (status === 429 || remaining === '0')) {
    return Math.min(Math.max(0, reset - now), MAX_HINT_MS) + jitter();
  }
  // A 429 with no hint at all: back off harder than for a 5xx, the window may be a full minute.
  if (status === 429) return backoffMs(attempt + 1, random, Math.max(base, 1000), cap);
  return backoffMs(attempt, random, base, cap);
}

/** Which failures are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && RETRYABLE_CODES.has(code);
}
