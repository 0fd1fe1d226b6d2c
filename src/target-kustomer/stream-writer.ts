/**
 * One stream's writer: buffers its records, and per batch validates, matches (ordered match_on), decides create /
 * update / skip / reject and the tag change, then writes creates and updates through the bulk endpoints and reads
 * every item's result. A batch never holds two records with a common match key (the second waits for the first
 * to be written), so two rows for one person can never become two creates; a create Kustomer refuses as a
 * duplicate (an object created meanwhile, e.g. by a bulk job of a killed earlier run) is matched again and updated.
 */
import type { KustomerClient } from '../kustomer-client/client';
import type { Clock } from '../kustomer-client/rate-budget';
import { audienceTags } from './audience-plan';
import { runBulk, type BulkItem, type ItemResult } from './bulk';
import { createProblem, desiredOf, type Desired, type MatchKey, type RecordError } from './desired';
import type { StreamMapping } from './mapping';
import { indexKey, Matcher, type Known, type KnownObjects } from './matcher';
import type { Rejects } from './rejects';
import type { Counts } from './report';
import { emptyCounts } from './report';
import { taggedObjects, tagsOf } from './audience';
import { updateBody } from './update-body';

export interface WriterContext {
  client: KustomerClient;
  clock: Clock;
  rejects: Rejects;
  dryRun: boolean;
  batchSize: number;
  firstPollMs: number;
  signal?: AbortSignal;
}

export interface Pending {
  seq: number;
  record: Record<string, unknown>;
  desired: Desired;
  version?: number;
}

interface Planned {
  p: Pending;
  kind: 'create' | 'update';
  body: Record<string, unknown>;
  known?: Known;
  tagChange?: 'tagged' | 'untagged';
  fieldsChanged: boolean;
}

export class StreamWriter {
  readonly counts: Counts = emptyCounts();
  private buffer: Pending[] = [];
  private readonly bufferKeys = new Set<string>();
  private readonly matcher: Matcher;
  /** Mirror audiences: the objects each version holds. */
  private readonly members = new Map<number, Set<string>>();
  private dryRunIds = 0;

  constructor(
    private readonly ctx: WriterContext,
    readonly mapping: StreamMapping,
    private readonly customNames: Set<string>,
    known: KnownObjects,
    /** The audience tag's id (undefined: no audience, or a dry run that would create the tag). */
    private readonly tagId: string | undefined,
  ) {
    this.matcher = new Matcher(ctx.client, mapping.object, known, mapping.stream);
  }

  get stream(): string {
    return this.mapping.stream;
  }

  /** Sequence number of the oldest record not yet confirmed (Infinity when none is waiting). */
  get oldestPending(): number {
    return this.buffer[0]?.seq ?? Infinity;
  }

  get size(): number {
    return this.buffer.length;
  }

  /**
   * Validates and buffers one record. Returns false, buffering nothing, when the record shares a match key with a
   * buffered one: the caller flushes first. Invalid records are rejected at once.
   */
  add(seq: number, record: Record<string, unknown>, version?: number): boolean {
    const desired = desiredOf(this.mapping, record, this.customNames);
    if ('error' in desired) {
      this.counts.records++;
      this.reject(record, desired.error);
      return true;
    }
    const keys = desired.keys.map(indexKey);
    if (keys.some((k) => this.bufferKeys.has(k))) return false;
    this.counts.records++;
    for (const k of keys) this.bufferKeys.add(k);
    this.buffer.push({ seq, record, desired, ...(version !== undefined ? { version } : {}) });
    return true;
  }

  get full(): boolean {
    return this.buffer.length >= this.ctx.batchSize;
  }

  /** Writes the buffered records; when it returns, every one of them is written, skipped or rejected. */
  async flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.bufferKeys.clear();
    await this.writeBatch(batch);
  }

  /**
   * Two records with different keys can still mean one object (one row's email is another's external id): a
   * bulk request never updates one object twice, so the batch is cut before the second and the rest is matched
   * again once the first part is written.
   */
  private async writeBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const matches = await Promise.all(batch.map((p) => (p.desired.keys.length ? this.matcher.match(p.desired.keys) : Promise.resolve({ found: null } as const))));
    const ids = new Set<string>();
    let cut = batch.length;
    for (let i = 0; i < batch.length; i++) {
      const m = matches[i]!;
      if (!('found' in m) || !m.found) continue;
      if (ids.has(m.found.id)) {
        cut = i;
        break;
      }
      ids.add(m.found.id);
    }
    const plans: Planned[] = [];
    for (let i = 0; i < cut; i++) {
      const plan = this.plan(batch[i]!, matches[i]!);
      if (plan) plans.push(plan);
    }
    await this.write(plans, true);
    await this.writeBatch(batch.slice(cut));
  }

  private plan(p: Pending, match: Awaited<ReturnType<Matcher['match']>>): Planned | undefined {
    const { mapping } = this;
    if ('ambiguous' in match) {
      this.reject(p.record, { code: 'ambiguous_match', message: `${match.count} ${mapping.object.resource} objects match ${match.ambiguous.on} ${JSON.stringify(match.ambiguous.value)}` });
      return undefined;
    }
    if (match.found) {
      if (p.version !== undefined && mapping.audience?.mode === 'mirror') this.member(p.version, match.found.id);
      if (mapping.mode === 'insert') return this.skip();
      const tags = audienceTags(mapping.audience?.mode, this.tagId, tagsOf(match.found.attributes));
      const body = updateBody(mapping, this.audienceOnly ? {} : p.desired.body, match.found.attributes, tags?.tags);
      if (Object.keys(body).length === 0) return this.skip();
      const fieldsChanged = Object.keys(body).some((k) => k !== 'tags');
      return { p, kind: 'update', body, known: match.found, ...(tags ? { tagChange: tags.change } : {}), fieldsChanged };
    }
    if (mapping.mode === 'update' || this.audienceOnly || mapping.audience?.mode === 'remove') return this.skip();
    if (p.desired.keys.length === 0) {
      this.reject(p.record, {
        code: 'no_match_key',
        message: `the record has none of the match_on keys (${mapping.matchOn.join(', ')}); creating it could not be repeated without a duplicate`,
      });
      return undefined;
    }
    const problem = createProblem(mapping, p.desired.body);
    if (problem) {
      this.reject(p.record, problem);
      return undefined;
    }
    const tagged = mapping.audience !== undefined;
    const body = tagged && this.tagId ? { ...p.desired.body, tags: [this.tagId] } : { ...p.desired.body };
    return { p, kind: 'create', body, ...(tagged ? { tagChange: 'tagged' as const } : {}), fieldsChanged: true };
  }

  /** An audience stream that maps nothing but its match columns tags existing objects and never creates any. */
  private get audienceOnly(): boolean {
    if (!this.mapping.audience) return false;
    const keyAttrs = new Set<string>(this.mapping.matchOn.map((k) => (k === 'external_id' ? 'externalId' : k === 'email' ? 'emails' : 'name')));
    return this.mapping.targets.every((t) => t.field.kind !== 'customOne' && keyAttrs.has(t.field.attr));
  }

  private async write(plans: Planned[], retryDuplicates: boolean): Promise<void> {
    if (plans.length === 0) return;
    if (this.ctx.dryRun) {
      for (const plan of plans) {
        const id = plan.known?.id ?? `dry-run-${++this.dryRunIds}`;
        this.done(plan, { ref: '', status: plan.kind === 'create' ? 'created' : 'updated', objectId: id });
      }
      return;
    }
    const creates = plans.filter((x) => x.kind === 'create');
    const updates = plans.filter((x) => x.kind === 'update');
    const refs = new Map<string, Planned>();
    const items = (list: Planned[], withId: boolean): BulkItem[] =>
      list.map((plan) => {
        const ref = `r${plan.p.seq}`;
        refs.set(ref, plan);
        return { ref, body: withId ? { id: plan.known!.id, ...plan.body } : plan.body };
      });
    const bulk = { client: this.ctx.client, clock: this.ctx.clock, stream: this.stream, role: this.mapping.object.writeRole, firstPollMs: this.ctx.firstPollMs, signal: this.ctx.signal };
    const [created, updated] = await Promise.all([
      runBulk({ ...bulk, role: this.mapping.object.writeRole.replace(/update$/, 'create') }, 'POST', this.mapping.object.bulkPath, items(creates, false)),
      runBulk(bulk, 'PUT', this.mapping.object.bulkPath, items(updates, true)),
    ]);
    const duplicates: Pending[] = [];
    for (const result of [...created, ...updated]) {
      const plan = refs.get(result.ref)!;
      if (result.status === 'error' && plan.kind === 'create' && retryDuplicates && (result.error.code === 'duplicate' || /duplicate/i.test(result.error.message))) {
        duplicates.push(plan.p);
        continue;
      }
      this.done(plan, result);
    }
    if (duplicates.length > 0) {
      // Someone created these objects meanwhile: match again (fresh lookups) and update instead.
      const again = await Promise.all(duplicates.map((p) => this.matcher.match(p.desired.keys)));
      const retry: Planned[] = [];
      duplicates.forEach((p, i) => {
        const plan = this.plan(p, again[i]!);
        if (plan?.kind === 'create') this.reject(p.record, { code: 'duplicate', message: 'Kustomer reports a duplicate, but no lookup finds the existing object' });
        else if (plan) retry.push(plan);
      });
      await this.write(retry, false);
    }
  }

  private done(plan: Planned, result: ItemResult): void {
    if (result.status === 'error') {
      this.reject(plan.p.record, result.error);
      return;
    }
    const attributes = { ...(plan.known?.attributes ?? {}), ...plan.body };
    const known: Known = { id: result.objectId, attributes };
    this.matcher.known.remember(known, plan.p.desired.keys);
    if (plan.known) plan.known.attributes = attributes;
    if (plan.kind === 'create') this.counts.created++;
    else if (plan.fieldsChanged) this.counts.updated++;
    if (plan.tagChange) this.counts[plan.tagChange]++;
    if (plan.p.version !== undefined && this.mapping.audience?.mode === 'mirror') this.member(plan.p.version, result.objectId);
  }

  private skip(): undefined {
    this.counts.skipped++;
    return undefined;
  }

  private reject(record: Record<string, unknown>, error: RecordError): void {
    this.counts.rejected++;
    this.ctx.rejects.add(this.stream, record, error);
  }

  private member(version: number, id: string): void {
    let set = this.members.get(version);
    if (!set) this.members.set(version, (set = new Set()));
    set.add(id);
  }

  /**
   * ACTIVATE_VERSION for a mirror audience: every object carrying the tag that the activated version does not hold
   * loses it. Called after the stream's buffer is flushed, so the version's members are all known.
   */
  async activateVersion(version: number): Promise<void> {
    if (this.mapping.audience?.mode !== 'mirror') return;
    const members = this.members.get(version) ?? new Set<string>();
    for (const v of [...this.members.keys()]) if (v <= version) this.members.delete(v);
    if (!this.tagId || this.tagId.startsWith('dry-run:')) return; // a tag a dry run would create: nobody carries it yet
    const tagged = await taggedObjects(this.ctx.client, this.stream, this.mapping.object.kind, this.tagId);
    const leaving = tagged.filter((r) => !members.has(r.id));
    if (this.ctx.dryRun) {
      this.counts.untagged += leaving.length;
      return;
    }
    for (let i = 0; i < leaving.length; i += this.ctx.batchSize) {
      const chunk = leaving.slice(i, i + this.ctx.batchSize);
      const items = chunk.map((r, j) => ({ ref: `u${i + j}`, body: { id: r.id, tags: tagsOf(r.attributes ?? {}).filter((t) => t !== this.tagId) } }));
      const results = await runBulk(
        { client: this.ctx.client, clock: this.ctx.clock, stream: this.stream, role: this.mapping.object.writeRole, firstPollMs: this.ctx.firstPollMs, signal: this.ctx.signal },
        'PUT',
        this.mapping.object.bulkPath,
        items,
      );
      results.forEach((result, j) => {
        if (result.status === 'error') this.reject({ id: chunk[j]!.id }, result.error);
        else this.counts.untagged++;
      });
    }
  }
}

export type { MatchKey };
