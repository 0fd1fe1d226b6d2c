/**
 * What a read-API handler sees: the org's data and its sorted views, the options in force and the clock. Handlers
 * are plain functions of (context, request) → reply; they throw HttpError for the server to turn into the
 * route's error shape.
 */
import type { SandboxData } from '../model';
import type { Route } from '../routes';
import type { RuntimeOptions } from '../server-options';
import type { Views } from '../views';
import type { Reply } from './reply';

export interface HandlerContext {
  readonly data: SandboxData;
  readonly views: Views;
  readonly opts: RuntimeOptions;
  readonly clock: () => number;
}

/** A request matched to a read route. */
export interface RouteRequest {
  route: Route;
  /** The path's `:id` / `:resource` segment, decoded ('' when the route has none). */
  param: string;
  url: URL;
  /** The path without a trailing slash. */
  path: string;
  /** The request body as text. */
  body: string;
}

export type Handler = (ctx: HandlerContext, request: RouteRequest) => Reply;
