/**
 * What a handler answers, and the two ends of the wire: reading a request body under a size limit and writing a
 * reply (with the `truncated` and `reset` faults applied on the way out).
 */
import type http from 'node:http';
import type { FaultRule } from '../faults';

export interface Reply {
  status: number;
  body: unknown;
  /** A raw (possibly invalid) body instead of JSON. */
  raw?: string;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });

/** The body as text, or `tooLarge` (and no text) once it passes `limit` bytes; the rest is still drained. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

/** Writes the reply; `truncated` sends half the JSON, `reset` drops the socket half-way through the body. */
export function send(res: http.ServerResponse, reply: Reply, headers: Record<string, string> = {}, fault?: FaultRule['kind']): void {
  if (res.destroyed) return;
  let buf = Buffer.from(reply.raw ?? JSON.stringify(reply.body));
  if (fault === 'truncated') buf = buf.subarray(0, Math.floor(buf.length / 2));
  res.writeHead(reply.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(buf.length),
  });
  if (fault === 'reset') {
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(buf);
}
