import { RateBudget, type Clock } from '../../src/kustomer-client/rate-budget';

/** A clock whose sleeps advance time instantly, so pacing is measured without waiting. */
function fakeClock(start = 1_000_000): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe('rate budget', () => {
  test('spaces requests evenly at limit × utilization per window', async () => {
    const clock = fakeClock();
    const b = new RateBudget({ name: 'org', limit: 600, windowMs: 60_000, utilization: 1, learnLimit: 'always', clock });
    const start = clock.t;
    for (let i = 0; i < 1200; i++) await b.acquire();
    // 1200 requests at 600/min take ~2 minutes (minus the small initial burst).
    const elapsed = clock.t - start;
    expect(elapsed).toBeGreaterThan(115_000);
    expect(elapsed).toBeLessThanOrEqual(120_000);
  });

  test('utilization scales the pace', async () => {
    const clock = fakeClock();
    const b = new RateBudget({ name: 'org', limit: 600, windowMs: 60_000, utilization: 0.5, learnLimit: 'always', clock });
    for (let i = 0; i < 300; i++) await b.acquire();
    expect(clock.t - 1_000_000).toBeGreaterThan(55_000);
  });

  test('learns the limit from x-ratelimit-limit', async () => {
    const clock = fakeClock();
    const b = new RateBudget({ name: 'org', limit: 300, windowMs: 60_000, utilization: 1, learnLimit: 'always', clock });
    b.observe({ 'x-ratelimit-limit': '1200' });
    expect(b.currentLimit).toBe(1200);
    const s = new RateBudget({ name: 'search', limit: 100, windowMs: 60_000, utilization: 1, learnLimit: 'when-lower', clock });
    s.observe({ 'x-ratelimit-limit': '1200' });
    expect(s.currentLimit).toBe(100);
  });

  test('waits for the server reset when the org budget is used up elsewhere', async () => {
    const clock = fakeClock();
    const b = new RateBudget({ name: 'org', limit: 1000, windowMs: 60_000, utilization: 1, learnLimit: 'always', clock });
    b.observe({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((clock.t + 20_000) / 1000) });
    await b.acquire();
    expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(20_000);
  });

  test('blockUntil holds every request after a 429', async () => {
    const clock = fakeClock();
    const b = new RateBudget({ name: 'org', limit: 1000, windowMs: 60_000, utilization: 1, learnLimit: 'always', clock });
    b.blockUntil(clock.t + 7000);
    await b.acquire();
    expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(7000);
    expect(b.stats.throttled).toBe(1);
  });
});
