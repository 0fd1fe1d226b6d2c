/**
 * The control API (`/__sandbox/*`): mutations, stats, faults, options and raw collections for tests and scripts.
 * No auth, so it answers loopback callers only; its errors always take the `{code,message,meta}` shape.
 */
import type http from 'node:http';
import { z } from 'zod';
import { faultRulesSchema } from '../faults';
import type { CollectionName, Mutation, MutationSummary, SandboxData } from '../model';
import type { RoundOptions } from '../mutations';
import { runtimeOptionsSchema, type RuntimeOptions } from '../server-options';
import type { SandboxStats } from '../stats';
import { HttpError, parseJsonBody } from '../http-error';
import { json, readBody, send, type Reply } from './reply';

/** A scripted mutation, or round N of the scripted mix. */
export type MutationRequest = Mutation | ({ round: number } & RoundOptions);

/** The running sandbox as the control API drives it. */
export interface Controllable {
  readonly data: SandboxData;
  readonly opts: RuntimeOptions;
  mutate(m: MutationRequest): Promise<MutationSummary>;
  stats(): SandboxStats;
  resetStats(): void;
  setOptions(partial: Partial<RuntimeOptions>): void;
}

const CONTROL_BODY_LIMIT = 10 * 1024 * 1024;

const isLoopbackAddress = (a: string | undefined): boolean =>
  !!a && (a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.'));

export async function control(sandbox: Controllable, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const reply = await controlReply(sandbox, req, path).catch((err: unknown): Reply => {
    const status = err instanceof HttpError ? err.status : err instanceof z.ZodError ? 400 : 500;
    const message = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
    return json({ errors: [{ code: status === 400 ? 'bad_request' : 'error', message, meta: {} }] }, status);
  });
  send(res, reply);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const body = await readBody(req, CONTROL_BODY_LIMIT);
  if (body.tooLarge) throw new HttpError(413, 'body too large');
  return parseJsonBody(body.text || 'null');
}

/** The body of `POST /__sandbox/mutate`, checked only as far as the mutation code does not check it itself. */
function mutationRequest(m: unknown): MutationRequest {
  if (typeof m !== 'object' || m === null || !('round' in m || 'kind' in m)) throw new HttpError(400, 'body must be a Mutation or {"round": N}');
  if ('round' in m && !(Number.isInteger(m.round) && (m.round as number) >= 1)) throw new HttpError(400, '`round` must be a positive integer');
  if ('bulkUpdate' in m && !(Number.isInteger(m.bulkUpdate) && (m.bulkUpdate as number) >= 0)) {
    throw new HttpError(400, '`bulkUpdate` must be a non-negative integer');
  }
  return m as MutationRequest;
}

async function controlReply(sandbox: Controllable, req: http.IncomingMessage, path: string): Promise<Reply> {
  if (!isLoopbackAddress(req.socket.remoteAddress)) throw new HttpError(403, 'the control API answers loopback callers only');
  const method = req.method ?? 'GET';
  if (method === 'POST' && path === '/__sandbox/mutate') {
    const m = mutationRequest(await readJson(req));
    try {
      return json(await sandbox.mutate(m));
    } catch (err) {
      throw new HttpError(400, err instanceof Error ? err.message : String(err));
    }
  }
  if (method === 'GET' && path === '/__sandbox/stats') return json(sandbox.stats());
  if (method === 'POST' && path === '/__sandbox/stats/reset') {
    sandbox.resetStats();
    return json(sandbox.stats());
  }
  if (method === 'POST' && path === '/__sandbox/faults') {
    sandbox.setOptions({ faults: faultRulesSchema.parse(await readJson(req)) });
    return json({ faults: sandbox.opts.faults });
  }
  if (method === 'POST' && path === '/__sandbox/options') {
    sandbox.setOptions(runtimeOptionsSchema.parse(await readJson(req)));
    return json(sandbox.opts);
  }
  const dataPath = /^\/__sandbox\/data\/(.+)$/.exec(path)?.[1];
  if (method === 'GET' && dataPath) {
    const [head, sub] = dataPath.split(/[./]/, 2);
    if (head === 'archived' && (sub === 'customers' || sub === 'conversations')) return json(sandbox.data.archived[sub]);
    if (head && head !== 'archived' && !sub && Object.hasOwn(sandbox.data, head)) return json(sandbox.data[head as CollectionName]);
    throw new HttpError(404, `no collection \`${dataPath}\``);
  }
  throw new HttpError(404, `no control route ${method} ${path}`);
}
