/**
 * Checks one successful answer against the envelope and item shapes the contract table (endpoints.ts) documents.
 * Used by the response contract test over the sandbox; the same checks would hold for Kustomer itself.
 */
import type { EndpointContract } from './endpoints';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLink = (v: unknown): boolean => v === null || (typeof v === 'string' && v.startsWith('/v1/'));

function itemViolations(endpoint: EndpointContract, item: unknown, where: string): string[] {
  if (!isObject(item)) return [`${where} is not an object`];
  const out: string[] = [];
  const type = item.type;
  const typeOk = typeof type === 'string' && (typeof endpoint.itemType === 'string' ? type === endpoint.itemType : endpoint.itemType.test(type));
  if (!typeOk) out.push(`${where}.type \`${String(type)}\` is not ${String(endpoint.itemType)}`);
  if (endpoint.noItemId) {
    if ('id' in item) out.push(`${where} carries an id, which this endpoint does not`);
  } else if (typeof item.id !== 'string' || item.id === '') out.push(`${where}.id is missing`);
  if (!isObject(item.attributes)) out.push(`${where}.attributes is not an object`);
  // A KObject is typed `kobject.<klass name>` and names its klass by that name.
  if (typeof type === 'string' && type.startsWith('kobject')) {
    const klass = isObject(item.relationships) ? item.relationships.klass : undefined;
    const data = isObject(klass) ? klass.data : undefined;
    const name = type.slice('kobject.'.length);
    if (!type.startsWith('kobject.')) out.push(`${where}.type \`${type}\` does not name its klass`);
    if (!isObject(data) || data.type !== 'klass' || data.id !== name) out.push(`${where}.relationships.klass.data is not {type: klass, id: ${name}}`);
    const self = isObject(klass) && isObject(klass.link) ? klass.link.self : undefined;
    if (self !== `/v1/klasses/${name}`) out.push(`${where}.relationships.klass.link.self is \`${String(self)}\`, not /v1/klasses/${name}`);
  }
  return out;
}

function keysViolation(where: string, value: unknown, keys: readonly string[]): string[] {
  if (!isObject(value)) return [`${where} is not an object`];
  const have = Object.keys(value).sort();
  const want = [...keys].sort();
  return JSON.stringify(have) === JSON.stringify(want) ? [] : [`${where} has keys ${have.join(', ')}; documented: ${want.join(', ')}`];
}

/** Every way a 200 answer differs from the documented shape; empty when it matches. */
export function responseViolations(endpoint: EndpointContract, body: unknown): string[] {
  const at = `${endpoint.method} ${endpoint.path}`;
  if (!isObject(body)) return [`${at}: the answer is not a JSON object`];
  const out: string[] = [];
  if (endpoint.envelope === 'document') {
    if (!isObject(body.data)) return [`${at}: data is not one document`];
    return itemViolations(endpoint, body.data, `${at} data`);
  }
  if (!Array.isArray(body.data)) return [`${at}: data is not an array`];
  body.data.forEach((item, i) => out.push(...itemViolations(endpoint, item, `${at} data[${i}]`)));
  const links = body.links;
  switch (endpoint.envelope) {
    case 'pageList':
      if (!isObject(body.meta)) out.push(`${at}: meta is not an object`);
      if (links !== undefined) {
        if (!isObject(links)) out.push(`${at}: links is not an object`);
        else for (const k of ['prev', 'next'] as const) if (k in links && !isLink(links[k])) out.push(`${at}: links.${k} is not a relative /v1 link or null`);
      }
      break;
    case 'searchPage':
      out.push(...keysViolation(`${at}: meta`, body.meta, ['pageSize', 'page', 'total', 'totalPages', 'aggregations']));
      out.push(...keysViolation(`${at}: links`, links, ['self', 'first', 'prev', 'next', 'last']));
      if (isObject(links)) for (const k of ['prev', 'next'] as const) if (!isLink(links[k])) out.push(`${at}: links.${k} is not a relative /v1 link or null`);
      break;
    case 'auditCursor': {
      out.push(...keysViolation(`${at}: meta`, body.meta, ['count', 'total', 'cursorCount']));
      out.push(...keysViolation(`${at}: links`, links, ['self', 'first', 'prev', 'next']));
      if (isObject(links)) {
        if (!(links.next === null || (isLink(links.next) && /[?&]before=/.test(String(links.next))))) out.push(`${at}: links.next does not walk older entries by before=<id>`);
        if (!(links.prev === null || (isLink(links.prev) && /[?&]after=/.test(String(links.prev))))) out.push(`${at}: links.prev does not walk newer entries by after=<id>`);
      }
      const ids = body.data.map((a) => (isObject(a) ? String(a.id) : ''));
      if (ids.some((id, i) => i > 0 && id >= (ids[i - 1] as string))) out.push(`${at}: entries are not newest first`);
      break;
    }
  }
  return out;
}
