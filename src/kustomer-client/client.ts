import './wasm-tiering'; // before undici compiles its HTTP parser (at the first connection)
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import pLimit from 'p-limit';
import type { Logger } from '../log';
import { TapError } from '../errors';
import { AuthError, ApiError, ForbiddenError, UnavailableError, UnreachableError } from './errors';
import { JsonBodyParser, type DataElement } from './json-body';
import { isConnectFailure, Outage } from './outage';
import { errorMessage } from './jsonapi';
import { RateBudget, realClock, type Clock } from './rate-budget';
import { Agent, request } from './transport';
import { header, isRetryableNetworkError, isRetryableStatus, parseRateLimitReset, retryDelayMs } from './retry-timing';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  maxConcurrency: number;
  /** Total time to keep retrying while Kustomer cannot be connected to at all (connect_retry_seconds). */
  connectRetryMs: number;
  org: RateBudget;
  search: RateBudget;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  signal?: AbortSignal;
}

export interface RequestOptions {
  /** The stream this request serves: named in errors and counted in progress lines. */
  stream: string;
  /** The Kustomer role the endpoint needs, named when Kustomer answers 403. */
  role?: string;
  /** Searches also spend the search API's own budget (100/min for API keys). */
  search?: boolean;
  /** Statuses that are an answer, not an error (404 on a per-parent list whose parent was just deleted). */
  allow?: number[];
  /** Error statuses returned with their parsed body instead of thrown (a writer reads Kustomer's validation errors). */
  answer?: number[];
  /**
   * What each element of a list's `data` becomes, for a caller that holds the records a while (search pages keep
   * each one as its bytes until it is emitted: paging/page-record.ts). Absent: what `JSON.parse` returns.
   */
  dataElement?: DataElement;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Per-stream request counters for progress lines and the summary. */
export interface RequestStats {
  requests: number;
  throttled: number;
  retries: number;
}

const MAX_REDIRECTS = 3;

/** One answer: its body parsed as it arrived (`badJson`: it was not JSON), never held whole. */
interface Outcome {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  badJson: boolean;
}

/**
 * The one HTTP client: base URL, bearer auth, pacing under the org's rate budget, bounded concurrency, retries.
 * The API key is sent only to the configured origin and never appears in any error or log.
 */
export class KustomerClient {
  private readonly origin: string;
  /** One keep-alive pool to the API origin. */
  private readonly dispatcher: Dispatcher;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly outage: Outage;
  readonly stats = new Map<string, RequestStats>();

  constructor(private readonly opts: ClientOptions) {
    this.origin = new URL(opts.baseUrl).origin;
    this.dispatcher = new Agent({ connections: opts.maxConcurrency, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, keepAliveTimeout: 30_000 });
    this.limit = pLimit(opts.maxConcurrency);
    // Every request waiting for its turn listens for the run's abort: far more than Node's default of 10.
    if (opts.signal) setMaxListeners(0, opts.signal);
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.outage = new Outage(opts.connectRetryMs, this.clock);
  }

  /** The org-wide budget (progress lines report its use). */
  get orgBudget(): RateBudget {
    return this.opts.org;
  }

  get(pathAndQuery: string, ro: RequestOptions): Promise<ApiResponse> {
    return this.send('GET', pathAndQuery, undefined, ro);
  }

  post(pathAndQuery: string, body: unknown, ro: RequestOptions): Promise<ApiResponse> {
    return this.send('POST', pathAndQuery, body, ro);
  }

  /** Any method, for writers (PUT/PATCH bulk updates); the same pacing, retries and key handling as reads. */
  request(method: HttpMethod, pathAndQuery: string, body: unknown, ro: RequestOptions): Promise<ApiResponse> {
    return this.send(method, pathAndQuery, body, ro);
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  statsFor(stream: string): RequestStats {
    let s = this.stats.get(stream);
    if (!s) this.stats.set(stream, (s = { requests: 0, throttled: 0, retries: 0 }));
    return s;
  }

  private describesOrg(headers: Record<string, string | string[] | undefined>): boolean {
    const limit = Number(header(headers, 'x-ratelimit-limit'));
    return Number.isFinite(limit) && (limit === this.opts.org.currentLimit || limit > this.opts.search.currentLimit);
  }

  /**
   * Resolves a `links.next` (relative, as Kustomer sends it) against the API origin. Absolute links to any other
   * origin are refused: following them would send the API key to a stranger.
   */
  resolveLink(link: string): string {
    const url = new URL(link, this.origin);
    if (url.origin !== this.origin) throw new ApiError(`Kustomer returned a next link to another host (${url.host}); refusing to follow it`);
    return url.pathname + url.search;
  }

  private send(method: HttpMethod, pathAndQuery: string, body: unknown, ro: RequestOptions): Promise<ApiResponse> {
    return this.limit(async () => {
      this.active++;
      try {
        const res = await this.sendWithRetries(method, pathAndQuery, body, ro);
        if (res.status < 300) {
          this.keyProven = true;
          if (method === 'GET') this.lastGoodGet = pathAndQuery;
        }
        return res;
      } finally {
        this.active--;
        for (const wake of this.keyWaiters.splice(0)) wake();
      }
    });
  }

  /** Some request of this run got a 2xx: the key itself is valid. */
  private keyProven = false;
  /** Requests under way, and those waiting on them to learn whether the key works (see keyStillWorks). */
  private active = 0;
  private readonly keyWaiters: Array<() => void> = [];

  /** A GET that succeeded in this run: asked again after a 401 to tell a revoked key from a missing role. */
  private lastGoodGet: string | undefined;

  /**
   * After a 401: whether the key still works. Kustomer answers 401 for a missing role as well as for a bad key, so
   * a 401 is a bad key only when no request of the run ever succeeded, or when a GET that did succeed earlier is now
   * refused too (the key was revoked mid-run). Otherwise it is this endpoint's role, and only its stream fails.
   */
  private async keyStillWorks(): Promise<boolean> {
    this.active--; // this request no longer counts as one that could prove the key
    try {
      while (!this.keyProven && this.active > 0) await new Promise<void>((wake) => this.keyWaiters.push(wake));
    } finally {
      this.active++;
    }
    if (!this.keyProven) return false;
    if (this.lastGoodGet === undefined) return true;
    await this.opts.org.acquire(this.opts.signal);
    try {
      return (await this.once('GET', this.lastGoodGet, undefined)).status !== 401;
    } catch (err) {
      if (this.opts.signal?.aborted) throw this.opts.signal.reason; // the run is stopping (another request's verdict)
      return true; // the probe could not be answered: not proof of a bad key; the stream's own failure stands
    }
  }

  private async sendWithRetries(method: HttpMethod, pathAndQuery: string, body: unknown, ro: RequestOptions): Promise<ApiResponse> {
    const stats = this.statsFor(ro.stream);
    const endpoint = endpointTemplate(pathAndQuery);
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      this.opts.signal?.throwIfAborted();
      if (ro.search) await this.opts.search.acquire(this.opts.signal);
      await this.opts.org.acquire(this.opts.signal);
      stats.requests++;
      const started = this.clock.now();
      let outcome: Outcome | undefined;
      let networkError: unknown;
      try {
        outcome = await this.once(method, pathAndQuery, body, ro.dataElement);
      } catch (err) {
        if (this.opts.signal?.aborted) throw this.opts.signal.reason;
        if (err instanceof TapError) throw err; // a refused redirect is a decision, not a network failure
        networkError = err;
      }
      const seconds = (this.clock.now() - started) / 1000;
      // Request-level detail for --log-level debug: method, endpoint (ids folded), status, time. Never a header.
      this.opts.logger.debug(
        `${method} ${endpoint} → ${outcome ? outcome.status : describeNetworkError(networkError)} in ${Math.round(seconds * 1000)} ms` +
          (outcome ? ` (x-ratelimit-remaining ${String(header(outcome.headers, 'x-ratelimit-remaining') ?? '-')})` : ''),
        { stream: ro.stream, attempt: attempt + 1 },
      );
      // No connection, no request to time: an outage is reported once, as the run's error, not a metric per attempt.
      if (outcome !== undefined || !isConnectFailure(networkError)) {
        this.opts.logger.metric('timer', 'http_request_duration', seconds, {
          endpoint,
          http_status_code: outcome?.status ?? 0,
          status: outcome && outcome.status < 400 ? 'succeeded' : 'failed',
          stream: ro.stream,
        });
      }

      if (outcome) {
        this.outage.answered();
        // A search response's headers may describe the search API's own bucket or the org's: the org's limit (as
        // learned from other responses), or any limit above the search budget's, is the org's.
        const orgHeaders = !ro.search || this.describesOrg(outcome.headers);
        if (ro.search) this.opts.search.observe(outcome.headers);
        if (orgHeaders) this.opts.org.observe(outcome.headers);
        const { status } = outcome;
        if (status < 300 || ro.allow?.includes(status)) {
          if (ro.allow?.includes(status)) return { status, body: undefined };
          if (!outcome.badJson) return { status, body: outcome.body };
          // A 200 whose body is cut off or not JSON is a transport fault (proxies, resets mid-body): retry it.
          lastProblem = `${method} ${endpoint} returned a body that is not valid JSON`;
        } else {
          const detail = errorMessage(outcome.body) ?? '';
          if (status === 401) {
            // A missing role may answer 401 too: only a key that works for no request at all is a bad key.
            if (!(await this.keyStillWorks())) throw new AuthError(authHint(detail));
            throw new ForbiddenError(ro.stream, ro.role, detail, 401);
          }
          if (status === 403) throw new ForbiddenError(ro.stream, ro.role, detail);
          if (ro.answer?.includes(status)) return { status, body: outcome.body };
          if (!isRetryableStatus(status)) {
            throw new ApiError(`stream ${ro.stream}: ${method} ${endpoint} failed with ${status}${detail ? `: ${detail}` : ''}`, status);
          }
          lastProblem = `${method} ${endpoint} answered ${status}${detail ? ` (${detail})` : ''}`;
          if (status === 429) {
            stats.throttled++;
            const budget = orgHeaders ? this.opts.org : this.opts.search;
            const wait = retryDelayMs({ attempt, status, headers: outcome.headers, now: this.clock.now(), random: this.random });
            const reset = parseRateLimitReset(header(outcome.headers, 'x-ratelimit-reset'), this.clock.now());
            budget.blockUntil(Math.max(reset ?? 0, this.clock.now() + wait));
          }
        }
      } else if (isConnectFailure(networkError)) {
        const lasted = this.outage.failed(networkError);
        if (lasted !== null) {
          const tried = lasted > 0 ? ` (tried for ${Math.round(lasted / 1000)} s; connect_retry_seconds sets how long)` : '';
          throw new UnreachableError(`cannot reach Kustomer at ${this.origin}: ${describeNetworkError(networkError)}${tried}`);
        }
        lastProblem = `${method} ${endpoint}: ${describeNetworkError(networkError)}`;
      } else {
        if (!isRetryableNetworkError(networkError) && !isTimeout(networkError)) {
          throw new UnavailableError(`cannot reach Kustomer at ${this.origin}: ${describeNetworkError(networkError)}`);
        }
        lastProblem = `${method} ${endpoint}: ${describeNetworkError(networkError)}`;
      }

      // An outage is bounded by time (connect_retry_seconds) for the whole run, not by max_retries per request.
      const unreachable = outcome === undefined && isConnectFailure(networkError);
      if (attempt >= this.opts.maxRetries && !unreachable) {
        throw new UnavailableError(`stream ${ro.stream}: giving up after ${attempt + 1} attempts; last: ${lastProblem}`);
      }
      stats.retries++;
      const backoff = retryDelayMs({ attempt: Math.min(attempt, this.opts.maxRetries), status: outcome?.status, headers: outcome?.headers, now: this.clock.now(), random: this.random });
      const delay = unreachable ? this.outage.capDelay(backoff) : backoff;
      // Every family meets the same outage: its retries are detail (one ERROR line reports it if it lasts).
      const say = unreachable ? this.opts.logger.debug.bind(this.opts.logger) : this.opts.logger.warn.bind(this.opts.logger);
      say(`retrying in ${(delay / 1000).toFixed(1)}s: ${lastProblem}`, { stream: ro.stream, attempt: attempt + 1 });
      await this.clock.sleep(delay, this.opts.signal);
    }
  }

  /** One HTTP exchange, following same-origin redirects only (the Authorization header never leaves the origin). */
  private async once(method: string, pathAndQuery: string, body: unknown, dataElement?: DataElement): Promise<Outcome> {
    let path = pathAndQuery;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let hop = 0; ; hop++) {
      const signals = [AbortSignal.timeout(this.opts.timeoutMs)];
      if (this.opts.signal) signals.push(this.opts.signal);
      const res = await request(this.dispatcher, this.origin, path, {
        method: method as Dispatcher.HttpMethod,
        signal: AbortSignal.any(signals),
        headers: {
          authorization: `Bearer ${this.opts.apiKey}`,
          accept: 'application/json',
          'user-agent': this.opts.userAgent,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: payload,
      });
      const status = res.statusCode;
      if (status >= 300 && status < 400 && res.headers.location) {
        await res.body.dump(); // a redirect body is not needed: dump() drains a small one and destroys a large one
        const target = new URL(String(res.headers.location), this.origin + path);
        if (target.origin !== this.origin) {
          throw new ApiError(`Kustomer redirected ${method} ${endpointTemplate(path)} to another host (${target.host}); refusing to send the API key there`);
        }
        if (hop >= MAX_REDIRECTS) throw new ApiError(`too many redirects for ${method} ${endpointTemplate(pathAndQuery)}`);
        path = target.pathname + target.search;
        continue;
      }
      return { status, headers: res.headers, ...(await readJson(res.body, dataElement)) };
    }
  }
}

/**
 * Reads a body to its end, parsing it as it arrives (see JsonBodyParser): an empty body is `undefined`, one that
 * is not JSON is flagged, not thrown (what that means depends on the status). A connection that fails mid-body
 * rejects, like any network error.
 */
async function readJson(body: AsyncIterable<Buffer>, dataElement: DataElement | undefined): Promise<{ body: unknown; badJson: boolean }> {
  const parser = new JsonBodyParser(dataElement);
  let badJson = false;
  for await (const chunk of body) {
    if (badJson) continue; // read on, so the connection can serve the next request
    try {
      parser.write(chunk);
    } catch {
      badJson = true;
    }
  }
  if (badJson) return { body: undefined, badJson };
  if (parser.empty) return { body: undefined, badJson: false };
  try {
    return { body: parser.end(), badJson: false };
  } catch {
    return { body: undefined, badJson: true };
  }
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function describeNetworkError(err: unknown): string {
  if (isTimeout(err)) return 'request timed out';
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code ? `${e.code}${e.message ? ` (${e.message})` : ''}` : (e?.message ?? String(err));
}

/** Turns Kustomer's 401 texts into advice: expired keys and keys from another region are the usual causes. */
function authHint(detail: string): string {
  if (/pod\s+prod\d/i.test(detail)) return `${detail}. The key belongs to another region: set org_name (or region) to match where it was issued.`;
  if (/expired/i.test(detail)) return `${detail}. Create a new API key in Kustomer (Settings › Security › API Keys).`;
  return `${detail || 'unauthorized'}. Check api_key: it may be mistyped, expired or revoked.`;
}

/** `/v1/customers/5faa…/drafts?page=2` → `/v1/customers/{id}/drafts`: metrics group by endpoint, not by record. */
export function endpointTemplate(pathAndQuery: string): string {
  const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
  return path.replace(/\/[0-9a-f]{24}(?=\/|$)/g, '/{id}');
}
