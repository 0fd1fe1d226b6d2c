import type { Resource } from '../../src/sandbox/model';
import type { Sandbox } from '../../src/sandbox/server';
import { testSandbox } from '../helpers/harness';
import { record, runTarget, schema, state, targetConfig } from '../helpers/target';

/** Audiences by tag: add, remove, mirror (with ACTIVATE_VERSION); a missing tag is created. */
describe('target-kustomer audiences', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 30 });
  });
  afterAll(() => sb.close());

  const keyed = (): Resource[] => sb.data.customers.filter((c) => typeof c.attributes.externalId === 'string');
  const tagIdOf = (name: string) => sb.data.tags.find((t) => t.attributes.name === name && t.attributes.deleted !== true)?.id;
  const carrying = (name: string) => sb.data.customers.filter((c) => (c.attributes.tags as string[]).includes(tagIdOf(name) ?? '-')).map((c) => c.attributes.externalId).sort();
  const audience = (tag: string, mode: string) => ({ ...targetConfig(sb), streams: { aud: { object: 'customer', match_on: ['external_id'], audience: { tag, mode } } } });
  const S = schema('aud', ['external_id']);

  test('add creates the tag and tags matched customers; other tags stay; unmatched rows are skipped, never created', async () => {
    const [a, b] = keyed();
    const otherTags = [...(a!.attributes.tags as string[])];
    const before = sb.data.customers.length;
    expect(tagIdOf('warehouse-add')).toBeUndefined();
    const run = await runTarget(audience('warehouse-add', 'add'), [S, record('aud', { external_id: a!.attributes.externalId }), record('aud', { external_id: b!.attributes.externalId }), record('aud', { external_id: 'not-a-customer' }), state({ a: 1 })]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(carrying('warehouse-add')).toEqual([a!.attributes.externalId, b!.attributes.externalId].sort());
    expect(a!.attributes.tags).toEqual([...otherTags, tagIdOf('warehouse-add')]);
    expect(sb.data.customers.length).toBe(before);
    expect(run.stderr).toMatch(/aud\s+3\s+0\s+0\s+1\s+0\s+2\s+0/);

    const again = await runTarget(audience('warehouse-add', 'add'), [S, record('aud', { external_id: a!.attributes.externalId })]);
    expect(again.stderr).toMatch(/aud\s+1\s+0\s+0\s+1\s+0\s+0\s+0/);

    const removed = await runTarget(audience('warehouse-add', 'remove'), [S, record('aud', { external_id: a!.attributes.externalId })]);
    expect(removed.code).toBe(0);
    expect(carrying('warehouse-add')).toEqual([b!.attributes.externalId]);
    expect(a!.attributes.tags).toEqual(otherTags);
    expect(removed.stderr).toMatch(/aud\s+1\s+0\s+0\s+0\s+0\s+0\s+1/);
  });

  test('mirror: the tag set equals the latest activated version', async () => {
    const people = keyed().slice(0, 6).map((c) => c.attributes.externalId as string);
    const v1 = [S, { type: 'ACTIVATE_VERSION', stream: 'aud', version: 1 }, ...people.slice(0, 4).map((e) => record('aud', { external_id: e }, 1)), { type: 'ACTIVATE_VERSION', stream: 'aud', version: 1 }, state({ v: 1 })];
    const first = await runTarget(audience('vip-mirror', 'mirror'), v1);
    expect(first.stderr).not.toMatch(/ERROR/);
    expect(first.code).toBe(0);
    expect(carrying('vip-mirror')).toEqual(people.slice(0, 4).sort());

    const v2 = [S, ...people.slice(2, 6).map((e) => record('aud', { external_id: e }, 2)), { type: 'ACTIVATE_VERSION', stream: 'aud', version: 2 }, state({ v: 2 })];
    const second = await runTarget(audience('vip-mirror', 'mirror'), v2);
    expect(second.code).toBe(0);
    expect(carrying('vip-mirror')).toEqual(people.slice(2, 6).sort());
    expect(second.stderr).toMatch(/aud\s+4\s+0\s+0\s+2\s+0\s+2\s+2/);
    expect(second.states).toEqual([{ v: 2 }]);
  });

  test('mirror records without ACTIVATE_VERSION at the end fail the run with a clear message', async () => {
    const [a] = keyed();
    const run = await runTarget(audience('vip-unfinished', 'mirror'), [S, record('aud', { external_id: a!.attributes.externalId }, 5)]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/mirror received no ACTIVATE_VERSION/);
  });

  test('dry run plans tag changes without creating the tag', async () => {
    const [a] = keyed();
    const run = await runTarget({ ...audience('never-created', 'add'), dry_run: true }, [S, record('aud', { external_id: a!.attributes.externalId })]);
    expect(run.code).toBe(0);
    expect(tagIdOf('never-created')).toBeUndefined();
    expect(run.stderr).toMatch(/aud\s+1\s+0\s+0\s+0\s+0\s+1\s+0/);
  });
});
