/**
 * Checks one API request against the contract table (endpoints.ts) and the search body rules (search.ts).
 * Used by the request-recording contract test: any violation is a request Kustomer does not document.
 */
import { matchEndpoint, type ParamRule } from './endpoints';
import { archiveSearchBodyViolations, searchBodyViolations } from './search';

export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  /** Body text ('' when none). */
  body: string;
}

function valueViolation(name: string, value: string, rule: ParamRule): string | null {
  switch (rule.kind) {
    case 'positiveInt':
      return /^[1-9]\d*$/.test(value) ? null : `\`${name}\` must be a positive integer, got \`${value}\``;
    case 'enum':
      return rule.values.includes(value) ? null : `\`${name}\` must be one of ${rule.values.join(', ')}, got \`${value}\``;
    case 'enumList':
      return value.split(',').every((v) => rule.values.includes(v.trim())) ? null : `\`${name}\`: \`${value}\` holds a value outside ${rule.values.join(', ')}`;
    case 'instant':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : `\`${name}\` must be an ISO-8601 timestamp, got \`${value}\``;
    case 'text':
      return value !== '' ? null : `\`${name}\` is empty`;
  }
}

/** Every way the request leaves the documented contract; empty when it stays within it. */
export function requestViolations(req: ApiRequest): string[] {
  const match = matchEndpoint(req.method, req.path);
  if (!match) return [`${req.method} ${req.path} is not an endpoint of the contract table`];
  const { endpoint, params } = match;
  const at = `${req.method} ${endpoint.path}`;
  const out: string[] = [];
  for (const [name, ok] of Object.entries(endpoint.pathParams ?? {})) {
    if (!ok(params[name] ?? '')) out.push(`${at}: path parameter ${name} = \`${params[name]}\` is not allowed`);
  }
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(req.query)) {
    if (seen.has(name)) out.push(`${at}: query parameter \`${name}\` given twice`);
    seen.add(name);
    const rule = endpoint.query[name];
    if (!rule) {
      out.push(`${at}: undocumented query parameter \`${name}\``);
      continue;
    }
    const v = valueViolation(name, value, rule);
    if (v) out.push(`${at}: ${v}`);
  }
  if (seen.has('filter[objectId]') && !seen.has('filter[objectType]')) out.push(`${at}: \`filter[objectId]\` requires \`filter[objectType]\``);

  if (!endpoint.body) {
    if (req.body !== '') out.push(`${at}: sends a body`);
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return [...out, `${at}: the body is not JSON`];
  }
  const bodyRules = endpoint.body === 'liveSearch' ? searchBodyViolations(body) : archiveSearchBodyViolations(body);
  return [...out, ...bodyRules.map((v) => `${at}: ${v}`)];
}
