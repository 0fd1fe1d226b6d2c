/**
 * What a request must pass before any handler runs: the API key, the org's rate limit (every request counts) and
 * the search bucket (search requests also spend it), and the route's role.
 */
import type http from 'node:http';
import { FixedWindowLimiter, resetHeaderValue, type WindowState } from '../rate-limit';
import type { Route } from '../routes';
import type { RuntimeOptions } from '../server-options';
import { HttpError } from '../http-error';

export const isSearchRoute = (route: Route | undefined): boolean => route?.kind === 'search' || route?.kind === 'archiveSearch';

/** A 401 unless the request carries `Authorization: Bearer <apiKey>`. */
export function authenticate(req: http.IncomingMessage, apiKey: string): void {
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (token !== apiKey) throw new HttpError(401, 'missing or invalid API token');
}

/** A 403 (or the configured status) when the key holds none of the route's roles; a route without roles admits any key. */
export function requireRole(route: Route, opts: RuntimeOptions): void {
  if (route.roles.length && !route.roles.some((role) => opts.roles.includes(role))) {
    throw new HttpError(opts.missingRoleStatus, `API key lacks the role ${route.roles[0]} required by ${route.key}`);
  }
}

/** The org's two fixed windows: all requests, and search requests on top. */
export class RateLimits {
  private readonly org: FixedWindowLimiter;
  private readonly searchBucket: FixedWindowLimiter;

  constructor(
    opts: RuntimeOptions,
    private readonly clock: () => number,
  ) {
    this.org = new FixedWindowLimiter(opts.rateLimitPerMinute, opts.windowMs, clock);
    this.searchBucket = new FixedWindowLimiter(opts.searchRateLimitPerMinute, opts.windowMs, clock);
  }

  configure(opts: RuntimeOptions): void {
    this.org.configure(opts.rateLimitPerMinute, opts.windowMs);
    this.searchBucket.configure(opts.searchRateLimitPerMinute, opts.windowMs);
  }

  /** Another integration of the org has just spent the window. */
  exhaust(): void {
    this.org.exhaust();
  }

  /** Counts the request (every request of the org counts; search also spends the search bucket), sets the
   *  rate-limit headers from the tighter bucket, and throws 429 when either bucket is spent. */
  admit(route: Route | undefined, headers: Record<string, string>, opts: RuntimeOptions): void {
    const org = this.org.take();
    const search = isSearchRoute(route) && org.allowed ? this.searchBucket.take() : undefined;
    const now = this.clock();
    const tighter = search && search.remaining < org.remaining ? search : org;
    if (opts.rateLimitHeaders) Object.assign(headers, rateHeaders(tighter, now, opts));
    const blocked = !org.allowed ? org : search && !search.allowed ? search : null;
    if (!blocked) return;
    if (opts.retryAfter) headers['retry-after'] = String(Math.max(1, Math.ceil((blocked.resetAtMs - now) / 1000)));
    throw new HttpError(429, blocked === search ? 'search rate limit exceeded' : 'rate limit exceeded');
  }
}

function rateHeaders(w: WindowState, now: number, opts: RuntimeOptions): Record<string, string> {
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(w.remaining),
    'x-ratelimit-reset': resetHeaderValue(w.resetAtMs, now, opts.resetHeader),
  };
}
