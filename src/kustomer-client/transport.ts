import type { Agent as UndiciAgent, Dispatcher } from 'undici';

/**
 * The two pieces of undici the client uses, loaded on their own: the connection pool (`Agent`) and its `request`.
 *
 * `require('undici')` loads all of undici (fetch and its web streams, WebSocket, EventSource, the cache and mock
 * agents, every interceptor): measured on Node 20, 20 MB of resident memory and about 180 ms of CPU over a bare
 * `node`, against 11 MB and 90 ms for these two modules. The tap's peak memory is its start-up footprint plus the
 * sync, so everything loaded and never used is paid for the whole run. undici publishes no `exports` map, so these
 * paths resolve, but they are not its documented interface: an undici release that moves them makes the client fall
 * back to the whole package (same behaviour, the old cost), and test/unit/transport.test.ts fails so that we notice.
 */
type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'>;
type Send = (dispatcher: Dispatcher, origin: string, path: string, options: RequestOptions) => Promise<Dispatcher.ResponseData>;

interface Transport {
  Agent: typeof UndiciAgent;
  send: Send;
  /** False when the two modules were not where we look and the whole package was loaded instead. */
  lean: boolean;
}

/** `load` is Node's `require`; a test passes one that has lost the two modules. */
export function loadTransport(load: (id: string) => unknown = require): Transport {
  try {
    const Agent = load('undici/lib/dispatcher/agent') as typeof UndiciAgent;
    // undici's `request` as the package's index wraps it, without the URL parsing: the dispatcher is `this`, the
    // origin and path come in the options.
    const dispatchRequest = load('undici/lib/api/api-request') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
    if (typeof Agent !== 'function' || typeof dispatchRequest !== 'function') throw new Error('undici layout changed');
    return { Agent, send: (dispatcher, origin, path, options) => dispatchRequest.call(dispatcher, { ...options, origin, path }), lean: true };
  } catch {
    const undici = load('undici') as typeof import('undici');
    return { Agent: undici.Agent, send: (dispatcher, origin, path, options) => undici.request(new URL(path, origin), { ...options, dispatcher }), lean: false };
  }
}

const transport = loadTransport();

export const Agent = transport.Agent;
export const leanTransport = transport.lean;

/** One request over `dispatcher` to `origin` + `path` (path and query, starting with `/`). */
export function request(dispatcher: Dispatcher, origin: string, path: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  return transport.send(dispatcher, origin, path, options);
}
