import type { ChildProcess } from 'node:child_process';
import { rootOf } from '../../src/streams/graph';
import type { Sandbox } from '../../src/sandbox/server';
import type { StreamDef } from '../../src/streams/kinds';
import { STREAMS } from '../../src/streams/table';
import {
  baseConfig,
  collect,
  diffWarehouses,
  discover,
  fold,
  lastState,
  parseMessages,
  selectAll,
  spawnTap,
  testSandbox,
  tmp,
  writeJson,
  type Message,
  type Warehouse,
} from '../helpers/harness';

/**
 * "A run killed at any moment resumes from its last STATE, losing nothing and re-sending at most one page."
 *
 * SIGKILL (no handler, no final STATE, possibly a torn last line) of the built CLI during a full sync of every stream,
 * twenty times. Kill moments alternate between a seeded random time within a clean run's length and a seeded "tear":
 * the n-th time the output seen so far ends inside a search page (a RECORD of an Update family as the last complete
 * line), so that some kills cut a page before its STATE. After each kill the sync resumes from the last complete
 * STATE line the killed process wrote; a chain of runs ends when a run completes (a new chain starts from scratch
 * until twenty kills have landed). Asserted:
 *
 *   - every chain: fold(all its runs, in order) equals fold(one clean run), every stream (nothing lost, nothing extra,
 *     no stale row);
 *   - within one run no stream+key is emitted twice; "re-sent" = a RECORD whose stream+key an earlier run of the same
 *     chain emitted;
 *   - Update (search) families: per resume and per family, the re-sent root records are at most one search page
 *     (page_size), and every re-sent child row belongs to a re-sent root record; at least one kill tore a page;
 *   - audit_logs (Append): per resume at most one audit page;
 *   - Replace families: no bound (by design a resume reads them again in full: the interrupted one under its version,
 *     the completed ones under a new version after the currently_syncing wrap-around); the figure is printed.
 *
 * Then a kill in the middle of an incremental run after a round of changes, and another once its resume reaches the
 * delete pass: every change arrives, every hard and soft delete becomes a tombstone, and the result equals a fresh full
 * read of the changed org.
 *
 * The schedule is reproducible (seeded); where a moment falls in a run still depends on the machine's speed, so a
 * failure prints the schedule of the chain it broke.
 */

const SEED = 0x5eed_2024;
const KILLS = 20;
/** Small pages: several search pages (and STATEs) per Update family, so a kill can tear one and the bound means something. */
const PAGE_SIZE = 50;
const SEARCH_MAX_PAGE = 500;

/** mulberry32: a tiny seeded PRNG (reproducible kill schedule). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The messages of every complete line; a trailing partial line (torn by the kill) is discarded. */
function completeLines(stdout: string): Message[] {
  const end = stdout.lastIndexOf('\n');
  return end < 0 ? [] : parseMessages(stdout.slice(0, end + 1));
}

interface Run {
  messages: Message[];
  killed: boolean;
  code: number | null;
  stderr: string;
  ms: number;
}

/** Spawns the built CLI; `killAfterMs` sends SIGKILL then, `killWhen` as soon as the stdout seen so far matches. */
async function run(files: Files, state: unknown, opts: { killAfterMs?: number; killWhen?: (stdout: string) => boolean } = {}): Promise<Run> {
  const args = ['--config', files.config, '--catalog', files.catalog, '--progress-seconds', '0', '--log-level', 'warn'];
  if (state !== undefined) args.push('--state', writeJson(tmp('kill-state-'), 'state.json', state));
  const t0 = Date.now();
  const child: ChildProcess = spawnTap(args);
  // Decode across chunk boundaries (a multi-byte character can straddle two chunks; harness `collect` decodes each
  // chunk on its own, which garbles such characters unless the stream already yields strings).
  child.stdout!.setEncoding('utf8');
  const timer = opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
  if (opts.killWhen) {
    let seen = '';
    child.stdout!.on('data', (c: string) => {
      seen += c;
      if (opts.killWhen!(seen)) child.kill('SIGKILL');
    });
  }
  const r = await collect(child);
  if (timer) clearTimeout(timer);
  return { messages: completeLines(r.stdout), killed: r.signal === 'SIGKILL', code: r.code, stderr: r.stderr, ms: Date.now() - t0 };
}

interface Files {
  config: string;
  catalog: string;
}

// --- duplicates -----------------------------------------------------------------------------------------------

type Mode = 'Update' | 'Replace' | 'Append';
const defs = STREAMS as readonly StreamDef[];
const rootName = (stream: string): string => rootOf(defs.find((d) => d.name === stream)!, defs).name;
function modeOf(stream: string): Mode {
  const kind = rootOf(defs.find((d) => d.name === stream)!, defs).kind;
  return kind === 'search' ? 'Update' : kind === 'audit' ? 'Append' : 'Replace';
}

function keyOf(m: Message, keys: Map<string, string[]>): string {
  return JSON.stringify(keys.get(m.stream)!.map((p) => m.record[p]));
}

/** Per run of a chain: the RECORDs whose stream+key an earlier run of the chain already emitted. */
function resent(chain: Message[][]): Array<Map<string, Set<string>>> {
  const keys = new Map<string, string[]>();
  const before = new Set<string>();
  const out: Array<Map<string, Set<string>>> = [];
  for (const messages of chain) {
    const again = new Map<string, Set<string>>();
    const mine: string[] = [];
    for (const m of messages) {
      if (m.type === 'SCHEMA') keys.set(m.stream, m.key_properties);
      if (m.type !== 'RECORD') continue;
      const id = `${m.stream}|${keyOf(m, keys)}`;
      mine.push(id);
      if (before.has(id)) {
        if (!again.has(m.stream)) again.set(m.stream, new Set());
        again.get(m.stream)!.add(keyOf(m, keys));
      }
    }
    for (const id of mine) before.add(id);
    out.push(again);
  }
  return out;
}

/** For a failure message: the differing columns of the rows a diff reports as changed. */
function changedColumns(actual: Warehouse, expected: Warehouse, diff: ReturnType<typeof diffWarehouses>): string[] {
  const out: string[] = [];
  for (const [stream, d] of Object.entries(diff)) {
    for (const k of d.changed) {
      const a = actual.get(stream)!.get(k)!;
      const e = expected.get(stream)!.get(k)!;
      const cols = Object.keys({ ...a, ...e }).filter((c) => JSON.stringify(a[c]) !== JSON.stringify(e[c]));
      out.push(`${stream} ${k}: ${cols.map((c) => `${c} ${JSON.stringify(a[c])?.slice(0, 80)} (expected ${JSON.stringify(e[c])?.slice(0, 80)})`).join('; ')}`);
    }
  }
  return out;
}

/** The stream of the last complete line when it is a RECORD, else undefined. */
function lastRecordStream(stdout: string): string | undefined {
  const end = stdout.lastIndexOf('\n');
  if (end < 0) return undefined;
  const line = stdout.slice(stdout.lastIndexOf('\n', end - 1) + 1, end);
  const m = /^\{"type":"RECORD","stream":"([^"]+)"/.exec(line);
  return m?.[1];
}

/**
 * Kill trigger "in the middle of a search page": the n-th time what has arrived so far ends inside a page of an
 * Update family (its last complete line is one of their RECORDs, not the page's STATE). The process is still writing
 * the page then, so the kill tears it: the case where a resume has to re-send.
 */
function midPage(n: number): (stdout: string) => boolean {
  let hits = 0;
  return (stdout) => {
    const stream = lastRecordStream(stdout);
    return stream !== undefined && modeOf(stream) === 'Update' && hits++ >= n;
  };
}

function recordsOf(messages: Message[]): number {
  return messages.filter((m) => m.type === 'RECORD').length;
}

// --------------------------------------------------------------------------------------------------------------

describe('SIGKILL at random moments, resume from the last STATE', () => {
  let sb: Sandbox;
  let files: Files;
  let clean: Message[];
  let cleanMs: number;
  let lastChain: Message[][] = [];

  beforeAll(async () => {
    sb = await testSandbox({ scale: 120, latencyMs: 4 });
    const catalog = selectAll(await discover(sb));
    const dir = tmp('kill-');
    files = { config: writeJson(dir, 'config.json', baseConfig(sb, { page_size: PAGE_SIZE })), catalog: writeJson(dir, 'catalog.json', catalog) };
    const r = await run(files, undefined);
    if (r.code !== 0) throw new Error(`clean run failed (${r.code}): ${r.stderr}`);
    clean = r.messages;
    cleanMs = r.ms;
  }, 60_000);
  afterAll(() => sb?.close());

  test(`${KILLS} kills of a full sync of every stream: the union of the chained runs equals a clean run`, async () => {
    const expected = fold([clean]);
    expect(expected.size).toBe(STREAMS.length); // every stream's SCHEMA (the catalog selects them all)
    const random = rng(SEED);
    const chains: Array<{ runs: Message[][]; schedule: string[] }> = [];
    let kills = 0;
    while (kills < KILLS) {
      const runs: Message[][] = [];
      const schedule: string[] = [];
      let state: unknown;
      for (;;) {
        // Even kills: a moment anywhere in a clean run's length after Node's start-up (~100 ms). Odd kills: inside a
        // search page being written (after a seeded number of such chunks), so the resume has a torn page to redo.
        let at: number | undefined;
        let tear: number | undefined;
        if (kills < KILLS) {
          if (kills % 2 === 0) at = Math.round(100 + random() * cleanMs);
          else tear = Math.floor(random() * 12);
        }
        const r = await run(files, state, at !== undefined ? { killAfterMs: at } : tear !== undefined ? { killWhen: midPage(tear) } : {});
        runs.push(r.messages);
        if (!r.killed) {
          if (r.code !== 0) throw new Error(`run ${runs.length} of chain ${chains.length + 1} exited ${r.code}: ${r.stderr}`);
          expect(r.messages[r.messages.length - 1]).toMatchObject({ type: 'STATE', value: { currently_syncing: null } });
          break;
        }
        kills++;
        schedule.push(at !== undefined ? `${at} ms` : `page chunk ${tear}`);
        // The killed run re-emits its incoming state first; if it died before even that, resume from the same state.
        state = lastState(r.messages) ?? state;
      }
      chains.push({ runs, schedule });
      const union = fold(runs);
      const diff = diffWarehouses(union, expected);
      if (Object.keys(diff).length) {
        throw new Error(
          `chain ${chains.length} (kills at ${schedule.join(', ')}) differs from a clean run: ${JSON.stringify(diff)} ${changedColumns(union, expected, diff).join(' | ')}`,
        );
      }
    }
    lastChain = chains[chains.length - 1]!.runs;

    // Duplicates: RECORDs of a resume whose stream+key an earlier run of its chain already emitted.
    const byMode: Record<Mode, number> = { Update: 0, Replace: 0, Append: 0 };
    let worstUpdatePage = 0; // re-sent root records, one resume, one Update family
    let worstUpdateRows = 0; // re-sent rows of all its streams (root + children), one resume, one Update family
    let worstAuditPage = 0;
    let total = 0;
    for (const { runs } of chains) {
      total += runs.reduce((n, m) => n + recordsOf(m), 0);
      // Within one run, no stream+key is ever emitted twice: every duplicate comes from a resume.
      for (const messages of runs) {
        const once = resent(messages.map((m) => [m]).filter((m) => m[0]!.type === 'RECORD' || m[0]!.type === 'SCHEMA'));
        const twice = once.flatMap((again) => [...again].map(([stream, ks]) => `${stream} ${[...ks][0]}`));
        expect({ emittedTwiceInOneRun: twice.slice(0, 5) }).toEqual({ emittedTwiceInOneRun: [] });
      }
      for (const again of resent(runs)) {
        const parents = new Map<string, Set<string>>();
        const rows = new Map<string, number>();
        for (const [stream, ks] of again) {
          const mode = modeOf(stream);
          byMode[mode] += ks.size;
          if (mode === 'Update') rows.set(rootName(stream), (rows.get(rootName(stream)) ?? 0) + ks.size);
          if (mode === 'Update' && rootName(stream) === stream) parents.set(stream, new Set([...ks].map((k) => JSON.parse(k)[0])));
          if (mode === 'Append') worstAuditPage = Math.max(worstAuditPage, ks.size);
        }
        for (const n of rows.values()) worstUpdateRows = Math.max(worstUpdateRows, n);
        for (const [stream, ks] of again) {
          if (modeOf(stream) !== 'Update') continue;
          const root = rootName(stream);
          if (root === stream) worstUpdatePage = Math.max(worstUpdatePage, ks.size);
          // Child rows (key [parent id, position]) re-sent only under a re-sent parent: the torn page, nothing else.
          const allowed = parents.get(root) ?? new Set<string>();
          const outside = [...ks].map((k) => JSON.parse(k)[0]).filter((p) => !allowed.has(p));
          expect({ stream, parentsOutsideTheTornPage: outside.slice(0, 5) }).toEqual({ stream, parentsOutsideTheTornPage: [] });
        }
      }
    }
    // Update families: a resume re-sends at most one search page of parents (page_size), with their child rows.
    expect(worstUpdatePage).toBeLessThanOrEqual(Math.min(PAGE_SIZE, SEARCH_MAX_PAGE));
    // audit_logs (Append): at most one audit page.
    const auditDef = defs.find((d) => d.kind === 'audit') as { maxPageSize: number };
    expect(worstAuditPage).toBeLessThanOrEqual(Math.min(PAGE_SIZE, auditDef.maxPageSize));
    // The mid-page kills did tear pages (else the bound above would hold vacuously).
    expect(byMode.Update).toBeGreaterThan(0);
    // Replace families carry no bound: by design each resume reads them in full again (the interrupted one under its
    // version, the completed ones under a new version after the currently_syncing wrap-around). Reported only.

    const resumes = chains.reduce((n, c) => n + c.runs.length - 1, 0);
    console.log(
      [
        `kill/resume: ${KILLS} SIGKILLs in ${chains.length} chain(s) (${resumes} resumes), clean run ${cleanMs} ms, ${recordsOf(clean)} RECORDs; ` +
          `${total} RECORDs sent over all runs`,
        `re-sent across resumes (same stream+key as an earlier run of the chain): Update ${byMode.Update}, Replace ${byMode.Replace}, Append ${byMode.Append}`,
        `largest re-sent share of one resume: Update family ${worstUpdatePage} parents (page size ${PAGE_SIZE}) / ${worstUpdateRows} rows with children, audit_logs ${worstAuditPage}`,
        `kill schedule per chain: ${chains.map((c) => `[${c.schedule.join(', ')}]`).join(' ')}`,
      ].join('\n'),
    );
  }, 150_000);

  test('a kill in the middle of an incremental run after changes (and one in its delete pass) loses no change and no delete', async () => {
    expect(lastChain.length).toBeGreaterThan(0);
    const before = lastState(lastChain[lastChain.length - 1]!);
    await new Promise((r) => setTimeout(r, 5)); // the changes get a later millisecond than the last run's start
    const summary = await sb.mutate({ round: 1 });
    const hardDeleted = {
      customers: summary.deleted.customers ?? [],
      conversations: summary.deleted.conversations ?? [],
      kobjects: summary.deleted.kobjects ?? [],
    };
    expect(Object.values(hardDeleted).flat().length).toBeGreaterThan(0);

    // Killed once the first changed conversation is out: mid search pass, before the audit log's deletes.
    const killed = await run(files, before, { killWhen: (out) => out.includes('{"type":"RECORD","stream":"conversations"') });
    expect(killed.killed).toBe(true);
    expect(lastState(killed.messages)).not.toMatchObject({ currently_syncing: null });
    // The resume is killed again as soon as it reaches the audit log (the delete pass), if it does not finish first.
    const second = await run(files, lastState(killed.messages), { killWhen: (out) => out.includes('"currently_syncing":"audit_logs"') });
    const resumed = second.killed ? await run(files, lastState(second.messages) ?? lastState(killed.messages)) : second;
    expect(resumed.code).toBe(0);
    const incremental = second.killed ? [killed.messages, second.messages, resumed.messages] : [killed.messages, resumed.messages];

    const fresh = await run(files, undefined);
    expect(fresh.code).toBe(0);
    const actual = fold([...lastChain, ...incremental]);
    const expected = fold([fresh.messages]);
    // The changes themselves first: every updated or created root record arrived with its new content.
    for (const [stream, coll] of [
      ['customers', 'customers'],
      ['conversations', 'conversations'],
      ['messages', 'messages'],
      ['notes', 'notes'],
      ['companies', 'companies'],
      ['kobjects', 'kobjects'],
    ] as const) {
      const ids = [...(summary.updated[coll] ?? []), ...(summary.created[coll] ?? [])];
      const wrong = ids.filter((id) => {
        const k = JSON.stringify([id]);
        return JSON.stringify(actual.get(stream)!.get(k)) !== JSON.stringify(expected.get(stream)!.get(k));
      });
      expect({ stream, wrong }).toEqual({ stream, wrong: [] });
    }
    for (const [stream, ids] of Object.entries(hardDeleted)) {
      const kept = ids.filter((id) => actual.get(stream)!.has(JSON.stringify([id])));
      expect({ stream, kept }).toEqual({ stream, kept: [] });
    }
    const softDeleted = Object.entries(sb.data)
      .filter(([coll]) => ['companies', 'notes', 'conversations', 'customers'].includes(coll))
      .flatMap(([coll, rows]) => (rows as Array<{ id: string; attributes: Record<string, unknown> }>).filter((r) => r.attributes.deleted === true).map((r) => [coll, r.id] as const));
    for (const [stream, id] of softDeleted) expect({ stream, id, kept: actual.get(stream)!.has(JSON.stringify([id])) }).toEqual({ stream, id, kept: false });
    const againByMode: Record<Mode, number> = { Update: 0, Replace: 0, Append: 0 };
    for (const again of resent(incremental).slice(1)) for (const [stream, ks] of again) againByMode[modeOf(stream)] += ks.size;
    console.log(
      `incremental kill: killed after ${killed.ms} ms with ${recordsOf(killed.messages)} RECORDs out; ` +
        (second.killed ? `resume killed again in the delete pass after ${recordsOf(second.messages)} RECORDs; ` : 'resume finished before the delete-pass kill; ') +
        `final resume sent ${recordsOf(resumed.messages)}; ` +
        `re-sent by the resume: ${Object.entries(againByMode).map(([m, n]) => `${m} ${n}`).join(', ')}`,
    );
    // Then everything, every stream (messages and notes of hard-deleted conversations included).
    const diff = diffWarehouses(actual, expected);
    if (Object.keys(diff).length) console.log(`incremental kill: changed rows: ${changedColumns(actual, expected, diff).join(' | ') || 'none'}`);
    expect(diff).toEqual({});
  }, 60_000);
});
