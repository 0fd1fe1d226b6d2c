import type { Agent as UndiciAgent, Dispatcher } from 'undici';

/**
 * The two pieces of undici the client uses, loaded on their own: the connection pool (`Agent`) and its `request`.
 *
 * `require('undici')` loads all of undici (fetch and its web streams, WebSocket, EventSource, the cache and mock
 * agents, every interceptor): measured on Node 20, 20 MB of resident memory and about 180 ms of CPU over a bare
 * `node`, against 11 MB and 90 ms for these two modules. The tap's peak memory is its start-up footprint plus the
 * sync, so everything loaded and never used is paid for the whole run. undici publishes no `exports` map, so these
 * paths are public to Node's resolver; the types are undici's own (type-only import, erased from the build), and
 * test/kustomer-client/transport.test.ts checks that both still load and answer after an undici upgrade.
 */
export const Agent = require('undici/lib/dispatcher/agent') as typeof UndiciAgent;

// undici's `request` as the package's index wraps it, without the URL parsing: the dispatcher is `this`, the
// origin and path come in the options.
const dispatchRequest = require('undici/lib/api/api-request') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** One request over `dispatcher` to `origin` + `path` (path and query, starting with `/`). */
export function request(dispatcher: Dispatcher, origin: string, path: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>): Promise<Dispatcher.ResponseData> {
  return dispatchRequest.call(dispatcher, { ...options, origin, path });
}
