/**
 * Kustomer's bulk endpoints (kustomer-write-api.md §2.7): up to 100 items per request (one rate-limit unit), each
 * carrying a `_clientRef`; the job is asynchronous, so it is polled until `complete` and its per-item results are
 * read from `/v1/bulk/{id}/batches` and matched back by `_clientRef`.
 *
 * When Kustomer refuses a whole request because of one item (a 400 for the request, not a per-item error), the
 * items are split in halves and retried until the refused ones stand alone: every valid row is written and only
 * the invalid ones come back as errors, each with Kustomer's code and message.
 */
import type { Clock } from '../kustomer-client/rate-budget';
import type { KustomerClient } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';
import type { RecordError } from './desired';

export interface BulkItem {
  ref: string;
  body: Record<string, unknown>;
}

export type ItemResult = { ref: string; status: 'created' | 'updated'; objectId: string } | { ref: string; status: 'error'; error: RecordError };

export interface BulkOptions {
  client: KustomerClient;
  clock: Clock;
  stream: string;
  role: string;
  /** First wait before a status poll; doubles up to MAX_POLL_MS. */
  firstPollMs: number;
  signal?: AbortSignal;
}

const MAX_POLL_MS = 10_000;
/** A job still not complete after this long is reported instead of polled forever (its rows are re-sent by a rerun). */
const MAX_JOB_WAIT_MS = 60 * 60_000;
/** Whole-request refusals: validation (400/422), a body over Kustomer's size limit (413), a conflict (409). */
const REFUSALS = [400, 409, 413, 422];

export async function runBulk(opts: BulkOptions, method: 'POST' | 'PUT', path: string, items: BulkItem[]): Promise<ItemResult[]> {
  if (items.length === 0) return [];
  const res = await opts.client.request(
    method,
    path,
    items.map((i) => ({ ...i.body, _clientRef: i.ref })),
    { stream: opts.stream, role: opts.role, answer: REFUSALS },
  );
  if (REFUSALS.includes(res.status)) {
    if (items.length === 1) return [{ ref: items[0]!.ref, status: 'error', error: kustomerError(res.status, res.body) }];
    const half = Math.ceil(items.length / 2);
    // Halves run one after the other: a refused half splits again, and the valid rows of both get written.
    const left = await runBulk(opts, method, path, items.slice(0, half));
    const right = await runBulk(opts, method, path, items.slice(half));
    return [...left, ...right];
  }
  const jobId = (res.body as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (typeof jobId !== 'string' || jobId === '') throw new ApiError(`stream ${opts.stream}: ${method} ${path} returned no bulk job id`);
  await waitForJob(opts, jobId);
  const results = await readResults(opts, jobId);
  return items.map((item): ItemResult => {
    const r = results.get(item.ref);
    if (!r) return { ref: item.ref, status: 'error', error: { code: 'no_result', message: `bulk job ${jobId} reported no result for this item` } };
    if (r.status === 'created' || r.status === 'updated') {
      if (typeof r.objectId !== 'string') return { ref: item.ref, status: 'error', error: { code: 'no_result', message: `bulk job ${jobId} reported no object id` } };
      return { ref: item.ref, status: r.status, objectId: r.objectId };
    }
    return { ref: item.ref, status: 'error', error: { code: codeOf(r.error), message: messageOf(r.error) } };
  });
}

async function waitForJob(opts: BulkOptions, jobId: string): Promise<void> {
  let wait = opts.firstPollMs;
  for (let waited = 0; ; waited += wait) {
    if (waited > MAX_JOB_WAIT_MS) throw new ApiError(`stream ${opts.stream}: bulk job ${jobId} did not complete within ${MAX_JOB_WAIT_MS / 60_000} minutes`);
    await opts.clock.sleep(wait, opts.signal);
    const res = await opts.client.get(`/v1/bulk/${encodeURIComponent(jobId)}`, { stream: opts.stream, role: 'org.permission.bulk.read' });
    const status = (res.body as { data?: { attributes?: { status?: unknown } } } | undefined)?.data?.attributes?.status;
    if (status === 'complete' || status === 'completed') return;
    if (status === 'failed' || status === 'error') throw new ApiError(`stream ${opts.stream}: bulk job ${jobId} failed`);
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}

interface RawResult {
  _clientRef?: unknown;
  objectId?: unknown;
  status?: unknown;
  error?: unknown;
}

async function readResults(opts: BulkOptions, jobId: string): Promise<Map<string, RawResult>> {
  const out = new Map<string, RawResult>();
  let next: string | null = `/v1/bulk/${encodeURIComponent(jobId)}/batches`;
  while (next) {
    const res = await opts.client.get(next, { stream: opts.stream, role: 'org.permission.bulk.read' });
    const body = res.body as { data?: Array<{ attributes?: { results?: RawResult[] } }>; links?: { next?: string | null } } | undefined;
    if (!Array.isArray(body?.data)) throw new ApiError(`stream ${opts.stream}: bulk job ${jobId} batches returned no data list`);
    for (const batch of body.data) for (const r of batch.attributes?.results ?? []) if (typeof r._clientRef === 'string') out.set(r._clientRef, r);
    next = body.links?.next ? opts.client.resolveLink(body.links.next) : null;
  }
  return out;
}

/** Kustomer's error in either shape (`{code,message}` or JSON:API `{code,title,detail}`), or a per-item string. */
export function kustomerError(status: number, body: unknown): RecordError {
  const first = (body as { errors?: Array<Record<string, unknown>> } | undefined)?.errors?.[0];
  const code = typeof first?.code === 'string' ? first.code : `http_${status}`;
  const text = [first?.detail, first?.message, first?.title].find((p): p is string => typeof p === 'string' && p !== '');
  const pointer = (first?.source as { pointer?: unknown; parameter?: unknown } | undefined) ?? (first?.meta as { parameter?: unknown } | undefined);
  const where = typeof pointer?.parameter === 'string' ? ` (${pointer.parameter})` : '';
  return { code, message: `${text ?? `Kustomer answered ${status}`}${where}` };
}

function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') return (error as { code: string }).code;
  return isDuplicate(error) ? 'duplicate' : 'item_error';
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; detail?: unknown; title?: unknown };
    const text = [e.message, e.detail, e.title].find((p): p is string => typeof p === 'string');
    if (text) return text;
  }
  return 'Kustomer refused this item';
}

/** Kustomer's bulk results say "duplicate detected" (KD-bulkcreate); both shapes are accepted. */
export function isDuplicate(error: unknown): boolean {
  const text = typeof error === 'string' ? error : JSON.stringify(error ?? '');
  return /duplicate/i.test(text);
}
