/**
 * Bulk jobs (kustomer-write-api.md §2.7): a submission is checked as a whole (array of 1-100 items, `_clientRef`
 * all-or-nothing and unique, update items carry `id`) and answered 201 with a queued job; the job's items are
 * applied when it completes, in submission order (a job completes after `bulkPollsBeforeComplete` status polls, or
 * when a later job completes), so a job submitted by a client that was then killed is still applied, later.
 * Results are read per batch, with `results[]` matched by `_clientRef`.
 */
import { HttpError } from './http-error';
import { objectId, Rng } from './random';
import { iso } from './generate';
import type { WriteOptions } from './write-options';
import type { WriteStore } from './write-store';
import { validateBody, type Problem, type WriteKind } from './write-validate';

/** A bulk submission refused as a whole: answered 400 naming the item or field at fault. */
export class BulkRefusal extends HttpError {
  constructor(message: string, parameter: string) {
    super(400, message, parameter);
  }
}

interface ItemOutcome {
  _clientRef?: string;
  objectId?: string;
  status: 'created' | 'updated' | 'error';
  error?: string;
}

interface Job {
  id: string;
  method: 'POST' | 'PUT';
  kind: WriteKind;
  klass?: string;
  items: Record<string, unknown>[];
  polls: number;
  createdAt: string;
  completedAt?: string;
  outcomes?: ItemOutcome[];
}

const CONTEXT: Record<WriteKind, string> = { customer: 'customers', company: 'companies', kobject: 'kobjects' };

export class BulkJobs {
  private readonly jobs: Job[] = [];
  private readonly rng: Rng;

  constructor(
    private readonly store: WriteStore,
    private readonly clock: () => number,
    private readonly options: () => WriteOptions,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  submit(method: 'POST' | 'PUT', kind: WriteKind, body: unknown, klass?: string): unknown {
    if (!Array.isArray(body)) throw new BulkRefusal('body must be an array of items', 'body');
    if (body.length === 0 || body.length > 100) throw new BulkRefusal('a bulk request holds 1 to 100 items', 'body');
    const refs = body.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)._clientRef : undefined));
    const withRef = refs.filter((r) => r !== undefined).length;
    if (withRef !== 0 && withRef !== body.length) throw new BulkRefusal('_clientRef must be on every item or on none', '_clientRef');
    if (withRef > 0) {
      if (!refs.every((r) => typeof r === 'string' && r.length > 0 && r.length <= 255)) throw new BulkRefusal('_clientRef must be a non-empty string of at most 255 characters', '_clientRef');
      if (new Set(refs).size !== refs.length) throw new BulkRefusal('_clientRef values must be unique within a request', '_clientRef');
    }
    const items = body as Record<string, unknown>[];
    items.forEach((item, i) => {
      if (method === 'PUT' && (typeof item?.id !== 'string' || item.id === '')) throw new BulkRefusal(`item ${i}: id is required`, `/${i}/id`);
    });
    if (this.options().bulkRejectsWholeBatch) {
      items.forEach((item, i) => {
        const problem = this.problem(method, kind, item, klass);
        if (problem) throw new BulkRefusal(`item ${i}: ${problem.message}`, `/${i}/${problem.parameter}`);
      });
    }
    const now = this.clock();
    const job: Job = { id: objectId(this.rng, now), method, kind, ...(klass ? { klass } : {}), items, polls: 0, createdAt: iso(now) };
    this.jobs.push(job);
    return { data: this.describe(job) };
  }

  /** `GET /v1/bulk/{id}`; undefined for an unknown id. */
  status(id: string): unknown {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) return undefined;
    if (!job.outcomes) {
      job.polls++;
      if (job.polls > this.options().bulkPollsBeforeComplete) this.completeThrough(job);
    }
    return { data: this.describe(job) };
  }

  /** `GET /v1/bulk/{id}/batches`; undefined for an unknown id. */
  batches(id: string): unknown {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) return undefined;
    const size = this.options().bulkBatchSize;
    const data = [];
    for (let start = 0; start < job.items.length; start += size) {
      const outcomes = job.outcomes?.slice(start, start + size);
      const attributes: Record<string, unknown> = outcomes
        ? {
            status: 'complete',
            successCount: outcomes.filter((o) => o.status !== 'error').length,
            failureCount: outcomes.filter((o) => o.status === 'error').length,
            objectIds: outcomes.filter((o) => o.objectId).map((o) => o.objectId),
            errors: outcomes.filter((o) => o.status === 'error').map((o) => ({ _clientRef: o._clientRef, error: o.error })),
            completedAt: job.completedAt,
          }
        : { status: 'queued', successCount: 0, failureCount: 0, objectIds: [], errors: [] };
      // results[] only when the request carried _clientRef (KD-batches).
      if (outcomes && job.items[0]?._clientRef !== undefined) attributes.results = outcomes;
      data.push({ type: 'bulk_batch', id: `${job.id}-${start / size}`, attributes });
    }
    return { data, links: { self: `/v1/bulk/${job.id}/batches`, next: null } };
  }

  /** Completes every job up to and including `job`, oldest first. */
  private completeThrough(job: Job): void {
    for (const j of this.jobs) {
      if (!j.outcomes) this.apply(j);
      if (j === job) return;
    }
  }

  /** Completes every pending job (control API). */
  drain(): number {
    let n = 0;
    for (const j of this.jobs) if (!j.outcomes) {
      this.apply(j);
      n++;
    }
    return n;
  }

  private apply(job: Job): void {
    job.outcomes = job.items.map((raw) => {
      const { _clientRef, id, ...body } = raw as Record<string, unknown> & { _clientRef?: string; id?: string };
      const ref = _clientRef !== undefined ? { _clientRef } : {};
      const problem = this.problem(job.method, job.kind, raw, job.klass);
      if (problem) return { ...ref, status: 'error', error: `${problem.parameter}: ${problem.message}` };
      if (job.method === 'POST') {
        if (this.isDuplicate(job.kind, body, job.klass)) return { ...ref, status: 'error', error: 'duplicate detected' };
        const created = this.store.create(job.kind, body, job.klass);
        return { ...ref, status: 'created', objectId: created.id };
      }
      const target = this.store.byId(job.kind, id as string, job.klass);
      if (!target) return { ...ref, status: 'error', error: `${job.kind} ${id} not found` };
      this.store.update(job.kind, target, body, false, job.klass);
      return { ...ref, status: 'updated', objectId: target.id };
    });
    job.completedAt = iso(this.clock());
  }

  private problem(method: 'POST' | 'PUT', kind: WriteKind, item: unknown, klass?: string): Problem | undefined {
    const body = item as Record<string, unknown>;
    const problem = validateBody(kind, body, method === 'POST', this.store.metadataFor(kind, klass), ['_clientRef', ...(method === 'PUT' ? ['id'] : [])]);
    if (problem) return problem;
    if (typeof body?.externalId === 'string' && this.options().refuseExternalIds.includes(body.externalId)) {
      return { message: 'externalId is refused by a server-side rule', parameter: 'externalId' };
    }
    return undefined;
  }

  isDuplicate(kind: WriteKind, body: Record<string, unknown>, klass?: string): boolean {
    const mode = this.options().duplicates;
    if (mode === 'none') return false;
    if (typeof body.externalId === 'string' && this.store.byExternalId(kind, body.externalId, klass)) return true;
    if (mode === 'externalIdOrEmail' && kind === 'customer' && Array.isArray(body.emails)) {
      return (body.emails as Array<{ email?: unknown }>).some((e) => typeof e.email === 'string' && this.store.byEmail(e.email) !== undefined);
    }
    return false;
  }

  private describe(job: Job): Record<string, unknown> {
    const size = this.options().bulkBatchSize;
    const total = Math.ceil(job.items.length / size);
    const status = job.outcomes ? 'complete' : job.polls === 0 ? 'queued' : 'running';
    return {
      type: 'bulk',
      id: job.id,
      attributes: {
        context: `api.${CONTEXT[job.kind]}.bulk-${job.method === 'POST' ? 'create' : 'update'}`,
        status,
        batches: { complete: job.outcomes ? total : 0, total },
        completed: job.outcomes !== undefined,
        createdAt: job.createdAt,
        updatedAt: job.completedAt ?? job.createdAt,
      },
      links: { self: `/v1/bulk/${job.id}` },
    };
  }
}
