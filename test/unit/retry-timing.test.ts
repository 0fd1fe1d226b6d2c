import { backoffMs, parseRateLimitReset, parseRetryAfter, retryDelayMs, isRetryableStatus } from '../../src/kustomer-client/retry-timing';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const zero = () => 0;
const half = () => 0.5;

describe('retry timing', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('garbage', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  test('x-ratelimit-reset as epoch seconds, epoch ms, or a delta', () => {
    expect(parseRateLimitReset(String(NOW / 1000 + 20), NOW)).toBe(NOW + 20_000);
    expect(parseRateLimitReset(String(NOW + 5000), NOW)).toBe(NOW + 5000);
    expect(parseRateLimitReset('12', NOW)).toBe(NOW + 12_000);
    expect(parseRateLimitReset('0.5', NOW)).toBe(NOW + 500);
    expect(parseRateLimitReset('-3', NOW)).toBeUndefined();
    expect(parseRateLimitReset('', NOW)).toBeUndefined();
  });

  test('Retry-After wins over the rate-limit headers', () => {
    const d = retryDelayMs({ attempt: 0, status: 429, headers: { 'retry-after': '3', 'x-ratelimit-reset': '40' }, now: NOW, random: zero });
    expect(d).toBe(3000);
  });

  test('a 429 waits for the window reset (either unit)', () => {
    expect(retryDelayMs({ attempt: 0, status: 429, headers: { 'x-ratelimit-reset': String(NOW / 1000 + 9) }, now: NOW, random: zero })).toBe(9000);
    expect(retryDelayMs({ attempt: 0, status: 429, headers: { 'x-ratelimit-reset': '9' }, now: NOW, random: zero })).toBe(9000);
  });

  test('remaining 0 on a 5xx also waits for the reset', () => {
    expect(retryDelayMs({ attempt: 2, status: 503, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' }, now: NOW, random: zero })).toBe(4000);
  });

  test('a hint far in the future is capped (clock skew, misread unit)', () => {
    const d = retryDelayMs({ attempt: 0, status: 429, headers: { 'retry-after': '100000' }, now: NOW, random: zero });
    expect(d).toBe(5 * 60_000);
  });

  test('exponential backoff with jitter, capped', () => {
    expect(backoffMs(0, () => 0.999)).toBeLessThanOrEqual(500);
    expect(backoffMs(3, () => 0.999)).toBeLessThanOrEqual(4000);
    expect(backoffMs(3, () => 0.999)).toBeGreaterThan(3000);
    expect(backoffMs(30, () => 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffMs(5, zero)).toBe(250); // never below half the base
  });

  test('a 429 without any hint backs off harder than a 5xx', () => {
    const d429 = retryDelayMs({ attempt: 0, status: 429, now: NOW, random: half });
    const d500 = retryDelayMs({ attempt: 0, status: 500, now: NOW, random: half });
    expect(d429).toBeGreaterThan(d500);
  });

  test('which statuses are retried', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413]) expect(isRetryableStatus(s)).toBe(false);
  });
});
