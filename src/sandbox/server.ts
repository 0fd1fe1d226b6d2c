/**
 * The sandbox: a stand-in for the Kustomer REST API over real HTTP on loopback. It serves a SandboxData with
 * Kustomer's envelopes, page caps, roles, search, rate limits and injected faults, and never behaves more kindly
 * than kustomer-api.md says; where the reference is UNCONFIRMED the behaviour is an option.
 *
 * This module is the request pipeline (auth, rate limits, faults, write API, read API, latency) and start-up; the
 * answers themselves come from handlers/ (one file per family of endpoint) and write-api.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MutationSummary, SandboxData } from './model';
import { FaultInjector, seededRandom, type FaultRule } from './faults';
import { HttpError } from './http-error';
import { DEFAULT_ERROR_SHAPE, errorBody, matchRoute, type ErrorShape } from './routes';
import { emptyOrg } from './empty-org';
import { WriteApi } from './write-api';
import { applyResponseVariants } from './variants';
import { mixSeed } from './seeds';
import { RequestStats, type SandboxStats } from './stats';
import { Sleeps } from './sleeps';
import { Views } from './views';
import { runtimeOptionsFrom, runtimeOptionsSchema, type RecordedRequest, type RuntimeOptions, type SandboxOptions } from './server-options';
import { authenticate, isSearchRoute, RateLimits, requireRole } from './handlers/admission';
import type { HandlerContext } from './handlers/context';
import { control, type Controllable, type MutationRequest } from './handlers/control';
import { emptySelfNext, malformed } from './handlers/fault-replies';
import { READ_HANDLERS } from './handlers/read-api';
import { json, readBody, send, type Reply } from './handlers/reply';

export { runtimeOptionsSchema };
export type { RecordedRequest, RuntimeOptions, SandboxOptions, SandboxStats };

export interface Sandbox {
  url: string;
  port: number;
  data: SandboxData;
  stats(): SandboxStats;
  resetStats(): void;
  setFaults(rules: FaultRule[]): void;
  mutate(m: MutationRequest): Promise<MutationSummary>;
  setOptions(partial: Partial<RuntimeOptions>): void;
  /** Rebuild the indexes after changing `data` by hand. */
  reindex(): void;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const BODY_LIMIT = 100 * 1024; // Kustomer: 413 above 100 kb on most endpoints (kustomer-api.md §5)

/** A thrown error as the route's error body: known refusals keep their status and message, anything else is a 500. */
function errorReply(shape: ErrorShape, err: unknown): Reply {
  if (err instanceof HttpError) return json(errorBody(shape, err.status, err.message, err.parameter), err.status);
  return json(errorBody(shape, 500, 'internal error'), 500);
}

class SandboxServer implements HandlerContext, Controllable {
  opts: RuntimeOptions;
  readonly views: Views;
  readonly writes: WriteApi;
  readonly sleeps = new Sleeps();
  private readonly limits: RateLimits;
  private readonly faults: FaultInjector;
  private readonly random: () => number;
  private readonly counters = new RequestStats();
  private mutations = 0;

  constructor(
    readonly data: SandboxData,
    opts: RuntimeOptions,
    private readonly apiKey: string,
    private readonly seed: number,
    readonly clock: () => number,
    private readonly onRequest?: (request: RecordedRequest) => void,
  ) {
    this.opts = opts;
    this.views = new Views(data, seed);
    this.limits = new RateLimits(opts, clock);
    this.random = seededRandom(seed);
    this.faults = new FaultInjector(seededRandom(mixSeed(seed, 1)));
    this.faults.set(opts.faults);
    this.writes = new WriteApi(data, clock, mixSeed(seed, 2), () => this.opts.writes, () => this.views.invalidate());
  }

  stats(): SandboxStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters.reset();
  }

  setOptions(partial: Partial<RuntimeOptions>): void {
    const parsed = runtimeOptionsSchema.parse(partial);
    if (parsed.faults) this.faults.set(parsed.faults);
    this.opts = { ...this.opts, ...parsed };
    this.limits.configure(this.opts);
  }

  async mutate(m: MutationRequest): Promise<MutationSummary> {
    const { applyMutation, applyMutationRound } = await import('./mutations');
    const now = new Date(this.clock());
    const summary =
      'round' in m
        ? applyMutationRound(this.data, m.round, now, this.seed, { auditCascade: this.opts.auditCascade }, { bulkUpdate: m.bulkUpdate })
        : applyMutation(this.data, m, now, mixSeed(this.seed, ++this.mutations), { auditCascade: this.opts.auditCascade });
    this.views.invalidate();
    return summary;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    if (path.startsWith('/__sandbox/')) return control(this, req, res, path);

    const method = req.method ?? 'GET';
    const match = matchRoute(method, path);
    const route = match?.route;
    const shape: ErrorShape = route?.errors ?? DEFAULT_ERROR_SHAPE;
    this.counters.received(route?.key ?? 'unknown', isSearchRoute(route));

    const body = await readBody(req, BODY_LIMIT);
    this.onRequest?.({ method, path, query: url.search.replace(/^\?/, ''), body: body.text });
    const headers: Record<string, string> = {};
    let fault: FaultRule | null = null;
    let reply: Reply;
    let written: Reply | undefined;
    try {
      if (!path.startsWith('/v1/')) throw new HttpError(404, `no route for ${method} ${path}`);
      authenticate(req, this.apiKey);
      if (this.faults.pick(method, path, ['exhaust'])) this.limits.exhaust();
      this.limits.admit(route, headers, this.opts);
      fault = this.faults.pick(method, path);
      if (fault?.kind === 'status') {
        if (fault.status === 429) {
          // A burst with nothing to go by: the tap must back off on its own.
          delete headers['x-ratelimit-reset'];
          delete headers['retry-after'];
        }
        throw new HttpError(fault.status ?? 500, `injected fault (${fault.status})`);
      }
      if (fault?.kind === 'slow') await this.sleeps.sleep(fault.ms ?? 2000);
      if (fault?.kind === 'malformed') reply = malformed();
      else if (fault?.kind === 'emptySelfNext') reply = emptySelfNext(url);
      else if ((written = this.writes.handle(method, path, url, body.tooLarge ? null : body.text, this.opts.roles))) reply = written;
      else {
        if (!match) throw new HttpError(404, `no route for ${method} ${path}`);
        requireRole(match.route, this.opts);
        if (body.tooLarge) throw new HttpError(413, `request body exceeds ${BODY_LIMIT} bytes`);
        reply = READ_HANDLERS[match.route.kind](this, { route: match.route, param: match.param ?? '', url, path, body: body.text });
        reply = { ...reply, body: applyResponseVariants(reply.body, this.opts.variants) };
      }
    } catch (err) {
      reply = errorReply(shape, err);
    }

    this.counters.answered(reply.status);
    const jitter = this.opts.latencyJitterMs ? (this.random() * 2 - 1) * this.opts.latencyJitterMs : 0;
    await this.sleeps.sleep(Math.round(this.opts.latencyMs + jitter));
    send(res, reply, headers, fault?.kind);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`refusing to bind ${host}: the sandbox listens on loopback only`);
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? 1;
  const anchor = options.anchor ? new Date(options.anchor) : new Date(clock() - 60_000);
  if (Number.isNaN(anchor.getTime())) throw new Error(`invalid anchor ${String(options.anchor)}`);
  const opts = runtimeOptionsFrom(options);

  // Loaded lazily: a sandbox given `data` never needs the generator.
  const data =
    options.data ??
    (await import('./generate')).generateData({ seed, scale: options.scale ?? 200, anchor, archived: options.archived ?? 0 });
  if (options.empty) emptyOrg(data);
  const rounds = options.rounds ?? 0;
  if (rounds > 0) {
    const { applyMutationRound } = await import('./mutations');
    for (let r = 1; r <= rounds; r++) {
      applyMutationRound(data, r, new Date(Math.min(anchor.getTime() + r * 1000, clock())), seed, { auditCascade: opts.auditCascade }, options.roundOptions);
    }
  }

  const sandbox = new SandboxServer(data, opts, options.apiKey ?? 'sandbox-key', seed, clock, options.onRequest);
  const server = http.createServer((req, res) => {
    sandbox.handle(req, res).catch(() => {
      if (!res.headersSent) send(res, json(errorBody(DEFAULT_ERROR_SHAPE, 500, 'internal error'), 500));
      else res.destroy();
    });
  });
  // Idle keep-alive connections stay open 65 s, as behind a typical API load balancer (Node's own default, 5 s, races
  // a client's reuse of an idle socket on a busy machine: "other side closed" and a retry for no fault of either).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    data,
    stats: () => sandbox.stats(),
    resetStats: () => sandbox.resetStats(),
    setFaults: (rules) => sandbox.setOptions({ faults: rules }),
    mutate: (m) => sandbox.mutate(m),
    setOptions: (partial) => sandbox.setOptions(partial),
    reindex: () => sandbox.views.invalidate(),
    close: () =>
      new Promise<void>((resolve) => {
        sandbox.sleeps.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
