import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { emptyData, generateData } from '../src/sandbox/generate';
import type { CollectionName, Resource as SandboxResource } from '../src/sandbox/model';
import { matchRoute, ROUTES, type Route } from '../src/sandbox/routes';
import { resolveTarget } from '../src/sandbox/search';
import { replicationOf, rootOf } from '../src/streams/graph';
import { deleteTableMarkdown, meltanoYaml, settingsTableMarkdown, streamTableMarkdown } from '../src/tools/docs';
import type { Resource } from '../src/kustomer-client/jsonapi';
import { STREAMS } from '../src/streams/table';
import { loadSchema } from '../src/streams/schemas';
import { flattenResource } from '../src/streams/transforms';
import { snakeCase } from '../src/util/case';
import { parentNode } from '../src/sync/family';
import type { StreamDef } from '../src/streams/kinds';

const ROOT = join(__dirname, '..');
const defs: readonly StreamDef[] = STREAMS;

const data = generateData({ seed: 3, scale: 300, anchor: new Date('2026-06-01T00:00:00Z'), archived: 0 });

/** The sandbox route that answers a GET the tap sends (a list, a per-parent list, the audit log). */
function routeOf(path: string): Route | undefined {
  return matchRoute('GET', path)?.route;
}

/** Where the sandbox keeps a stream's records, found the way the tap reaches them: through its request. */
async function sandboxRecords(def: StreamDef): Promise<SandboxResource[] | undefined> {
  const collection = (route: Route | undefined) => (route?.collection ? data[route.collection] : undefined);
  switch (def.kind) {
    case 'list': {
      const paths = typeof def.path === 'string' ? [def.path] : await def.path({ klassNames: async () => data.klasses.map((k) => String(k.attributes.name)) });
      return collection(routeOf(paths[0]!));
    }
    case 'child':
      return collection(routeOf(def.path('any-parent')));
    case 'audit':
      return collection(routeOf(def.path));
    case 'search':
      return resolveTarget(data, def.queryContext, false).records();
    case 'flatten':
      // A side-loaded collection (`GET /v1/slas?versions=all` → versions in `included[]`) is data of its own.
      return sideLoaded(defs.find((d) => d.name === def.parent)!);
  }
}

/** Records side-loaded with a list stream's pages (`included[]`), when its parameters ask for them. */
function sideLoaded(def: StreamDef): SandboxResource[] | undefined {
  if (def.kind !== 'list' || typeof def.path !== 'string') return undefined;
  const side = routeOf(def.path)?.sideLoad;
  return side && def.params?.[side.param] === side.when ? data[side.collection] : undefined;
}

describe('the stream table', () => {
  test('as many streams as the README promises (run `npm run docs` if this fails), names unique, parents defined before children', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const promised = [...readme.matchAll(/all (\d+) Kustomer entities|exactly the (\d+) streams/g)].map((m) => Number(m[1] ?? m[2]));
    expect(promised).toHaveLength(2);
    for (const n of promised) expect(defs).toHaveLength(n);
    expect(new Set(defs.map((d) => d.name)).size).toBe(defs.length);
    defs.forEach((d, i) => {
      if (d.kind === 'flatten' || d.kind === 'child') expect(defs.findIndex((p) => p.name === d.parent)).toBeLessThan(i);
    });
  });

  test('modes: every Replace and Update stream before the audit log, the one Append stream', () => {
    const mode = (d: StreamDef) => rootOf(d, defs).kind;
    expect(defs.filter((d) => mode(d) === 'audit').map((d) => d.name)).toEqual(['audit_logs']);
    expect(defs[defs.length - 1]!.name).toBe('audit_logs');
    expect(defs.filter((d) => mode(d) === 'list').length).toBeGreaterThan(0);
    expect(defs.filter((d) => mode(d) === 'search').length).toBeGreaterThan(0);
  });

  test.each(defs.filter((d) => d.kind !== 'search' && d.kind !== 'flatten').map((d) => [d.name, d] as const))(
    '%s asks for the role the sandbox checks first for its endpoint (one spelling of each role)',
    async (_, def) => {
      const path =
        def.kind === 'child'
          ? def.path('any-parent')
          : def.kind === 'list' && typeof def.path !== 'string'
            ? (await def.path({ klassNames: async () => [] }))[0]!
            : (def as { path: string }).path;
      expect(routeOf(path)?.roles[0]).toBe(def.role);
    },
  );

  describe.each(defs.map((d) => [d.name, d] as const))('%s', (name, def) => {
    const schema = loadSchema(name) as { properties: Record<string, { type: unknown }> };

    test('schema compiles under Draft 4 and 2020-12', () => {
      // With the formats the schemas use (date-time): Ajv only warns about a format it does not know.
      const draft4 = new AjvDraft4({ strict: false });
      const draft2020 = new Ajv2020({ strict: false });
      addFormats(draft4 as never);
      addFormats(draft2020);
      expect(() => draft4.compile(schema)).not.toThrow();
      expect(() => draft2020.compile(schema)).not.toThrow();
    });

    test('key and replication key are declared; Update streams carry _sdc_deleted_at', () => {
      for (const k of def.keys) expect(Object.keys(schema.properties)).toContain(k);
      const { key } = replicationOf(def, defs);
      if (key) expect(Object.keys(schema.properties)).toContain(key);
      const isUpdate = rootOf(def, defs).kind === 'search';
      expect('_sdc_deleted_at' in schema.properties).toBe(isUpdate);
      expect(def.role).toMatch(/^org\.permission\.[a-z_]+\.read$/);
    });
  });
});

describe('schemas cover what Kustomer sends', () => {
  test('every collection of the sandbox is served by one of its routes or searched by a stream', () => {
    const empty = emptyData();
    const collections = Object.keys(empty).filter((c): c is CollectionName => c !== 'archived');
    const served = new Set<string | undefined>(ROUTES.flatMap((r) => [r.collection, r.sideLoad?.collection]));
    for (const def of defs) {
      if (def.kind !== 'search') continue;
      const searched = resolveTarget(empty, def.queryContext, false).records();
      served.add(collections.find((c) => empty[c] === searched));
    }
    expect(collections.filter((c) => !served.has(c))).toEqual([]);
  });


  /** snake_case columns a source row would fill that its schema does not declare (silently dropped otherwise). */
  function undeclared(stream: string, rows: Iterable<Record<string, unknown>>): string[] {
    const props = new Set(Object.keys((loadSchema(stream) as { properties: object }).properties));
    const missing = new Set<string>();
    for (const row of rows) for (const k of Object.keys(row)) if (!props.has(snakeCase(k)) && k !== 'selfUrl' && k !== 'relatedUrl') missing.add(k);
    return [...missing].sort();
  }

  const withOwnRecords = defs.filter((d) => d.kind !== 'flatten' || sideLoaded(defs.find((p) => p.name === d.parent)!) !== undefined);

  test.each(withOwnRecords.map((d) => [d.name, d] as const))('%s has sandbox data, and declares every attribute and relationship of it', async (stream, def) => {
    const served = await sandboxRecords(def);
    // A stream the sandbox cannot serve (no route, no data) is a stream no test can sync.
    expect({ stream, served: served !== undefined && served.length > 0 }).toEqual({ stream, served: true });
    // As served: outbound accounts without their (sandbox-internal) id.
    const records = (served as unknown as Resource[]).map((r) => (def.name === 'outbound_accounts' ? ({ ...r, id: undefined } as unknown as Resource) : r));
    // Per-klass relationships on customers (`ecomm-order`…) are org-specific and deliberately not columns.
    const klassRels = new Set(data.klasses.map((k) => `${String(k.attributes.name)}Ids`).concat(data.klasses.map((k) => `${String(k.attributes.name)}Id`)));
    const rows = records.map((r) => flattenResource(r)).map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !klassRels.has(k))));
    const explode = def.kind === 'list' && def.explode ? def.explode : undefined;
    expect(undeclared(stream, explode ? records.flatMap((r) => explode(r)) : rows)).toEqual([]);
  });

  test.each(defs.filter((d) => d.kind === 'flatten').map((d) => [d.name, d] as const))('%s declares every field of its items', async (name, def) => {
    if (def.kind !== 'flatten') return;
    const parentDef = defs.find((d) => d.name === def.parent)!;
    const parents = ((await sandboxRecords(parentDef)) ?? []) as unknown as Resource[];
    const included = (sideLoaded(parentDef) ?? []) as unknown as Resource[];
    const items = parents.flatMap((p) => def.items(parentNode(p, included)).map((item) => ('attributes' in item ? flattenResource(item as Resource) : item)));
    expect(items.length).toBeGreaterThan(0);
    expect(undeclared(name, items as Array<Record<string, unknown>>)).toEqual([]);
  });

  test('custom attribute metadata covers every custom key records carry (except the deleted one)', () => {
    for (const [collection, resource] of [
      ['customers', 'customer'],
      ['companies', 'company'],
      ['conversations', 'conversation'],
      ['messages', 'message'],
    ] as const) {
      const meta = data.metadata.find((m) => m.id === resource)!;
      const declared = new Set(Object.keys(meta.attributes.properties as object));
      const used = new Set((data[collection] as SandboxResource[]).flatMap((r) => Object.keys((r.attributes.custom ?? {}) as object)));
      expect([...used].filter((k) => !declared.has(k))).toEqual([]);
    }
  });
});

describe('generated documentation is current', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = (name: string) => readme.slice(readme.indexOf(`<!-- BEGIN ${name} -->`) + `<!-- BEGIN ${name} -->`.length + 1, readme.indexOf(`<!-- END ${name} -->`) - 1);

  test('README stream, delete and settings tables (run `npm run docs` if this fails)', () => {
    expect(section('streams')).toBe(streamTableMarkdown());
    expect(section('deletes')).toBe(deleteTableMarkdown());
    expect(section('settings')).toBe(settingsTableMarkdown());
    for (const d of defs) expect(readme).toContain(`| \`${d.name}\` |`);
  });

  test('meltano/meltano.yml (run `npm run docs` if this fails)', () => {
    expect(readFileSync(join(ROOT, 'meltano', 'meltano.yml'), 'utf8')).toBe(meltanoYaml());
  });
});
