import { z } from 'zod';
import { parseListDocument } from '../../src/kustomer-client/jsonapi';

/** The envelope schema the list check replaced: it stays here as the oracle for what a problem is called. */
const ZodListDocument = z.looseObject({
  data: z.array(z.looseObject({})),
  included: z.array(z.looseObject({})).optional(),
  meta: z.looseObject({}).nullable().optional(),
  links: z.looseObject({ next: z.string().nullable().optional() }).nullable().optional(),
});

function zodVerdict(body: unknown): string | 'ok' {
  const result = ZodListDocument.safeParse(body);
  if (result.success) return 'ok';
  return `unexpected response shape (${result.error.issues[0]?.path.join('.') || 'body'}: ${result.error.issues[0]?.message})`;
}

const BODIES: unknown[] = [
  undefined,
  null,
  5,
  'text',
  true,
  [],
  [{ id: 'a' }],
  {},
  { data: 5 },
  { data: null },
  { data: 'x' },
  { data: [] },
  { data: [{ id: 'a' }] },
  { data: [1] },
  { data: [{ id: 'a' }, null] },
  { data: [{ id: 'a' }, [], 3] },
  { data: [{ id: 'a' }, false] },
  { data: [{}], included: 5 },
  { data: [{}], included: null },
  { data: [{}], included: [] },
  { data: [{}], included: [{ id: 'i' }, 'x'] },
  { data: [], meta: 5 },
  { data: [], meta: [] },
  { data: [], meta: null },
  { data: [], meta: 'm' },
  { data: [], meta: { total: 3 } },
  { data: [], links: 5 },
  { data: [], links: [] },
  { data: [], links: null },
  { data: [], links: {} },
  { data: [], links: { next: 5 } },
  { data: [], links: { next: [] } },
  { data: [], links: { next: null } },
  { data: [], links: { next: '/v1/x?page=2' } },
  // Several problems: the first one named is the one the old schema named.
  { data: [5], included: 7, meta: 1, links: 2 },
  { data: [{}], included: [1], meta: 1 },
  { data: [{}], meta: 1, links: { next: 1 } },
  { data: [{}], links: { next: 1 }, meta: [] },
  { included: 7 },
];

describe('list page envelope check', () => {
  test.each(BODIES.map((body) => [JSON.stringify(body) ?? 'undefined', body]))('names a problem exactly as the schema it replaced did: %s', (_name, body) => {
    const page = parseListDocument(body);
    expect(typeof page === 'string' ? page : 'ok').toBe(zodVerdict(body));
  });

  // Under Jest a test's object literals come from another realm than zod's, which then names their constructor
  // ("received Object"); in the tap, where bodies and zod share one realm, it said "received object", as here.
  test('an object where a list belongs is named as an object', () => {
    expect(parseListDocument({ data: {} })).toBe('unexpected response shape (data: Invalid input: expected array, received object)');
    expect(parseListDocument({ data: [], included: { id: 'i' } })).toBe('unexpected response shape (included: Invalid input: expected array, received object)');
  });

  test('a page is handed on as it arrived: no copy of the list or of any record', () => {
    const record = { type: 'customer', id: 'a', attributes: { name: 'A' } };
    const included = [{ type: 'org', id: 'o' }];
    const meta = { total: 1 };
    const body = { data: [record], included, meta, links: { next: '/v1/customers?page=2' } };
    const page = parseListDocument(body);
    if (typeof page === 'string') throw new Error(page);
    expect(page.data).toBe(body.data);
    expect(page.data[0]).toBe(record);
    expect(page.included).toBe(included);
    expect(page.meta).toBe(meta);
    expect(page.next).toBe('/v1/customers?page=2');
  });

  test('what a page leaves out has its neutral value', () => {
    expect(parseListDocument({ data: [] })).toEqual({ data: [], included: [], meta: {}, next: null });
    expect(parseListDocument({ data: [], meta: null, links: null })).toEqual({ data: [], included: [], meta: {}, next: null });
  });
});
