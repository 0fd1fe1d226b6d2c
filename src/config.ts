import { readFileSync, statSync } from 'node:fs';
import * as z from './lean-zod';
import { InputError } from './errors';
import { closest } from './util/closest';
import { parseInstant } from './util/time';

/** Kustomer's regional API hosts (kustomer-api.md §1). */
export const REGION_HOSTS = {
  us: 'https://api.kustomerapp.com',
  eu: 'https://api.prod2.kustomerapp.com',
  in: 'https://api.prod4.kustomerapp.com',
} as const;

const instant = (what: string) =>
  z.string().refine((v) => parseInstant(v) !== null, {
    message: `${what} must be an RFC3339 date-time with an offset (2024-01-31T00:00:00Z) or a date (2024-01-31)`,
  });

/**
 * The tap's settings: one zod schema validates config files and env vars, and `--about` derives the settings
 * JSON Schema (and the Meltano example's settings) from it, so the three can never disagree.
 */
export const ConfigSchema = z
  .object({
    api_key: z.string().trim().min(1).meta({
      description: 'Kustomer API key (Settings › Security › API Keys). Needs read roles for the streams you select.',
      secret: true,
      writeOnly: true,
    }),
    base_url: z
      .string()
      .optional()
      .meta({
        description:
          'API origin without a path, e.g. https://acme.api.kustomerapp.com (or the sandbox, http://127.0.0.1:8787). Overrides org_name and region.',
      }),
    org_name: z
      .string()
      .optional()
      .meta({ description: 'Your Kustomer subdomain (acme in acme.kustomerapp.com); the tap uses https://<org>.api.kustomerapp.com.' }),
    region: z.enum(['us', 'eu', 'in']).optional().meta({ description: 'Regional host when neither base_url nor org_name is set (default us).' }),
    start_date: instant('start_date')
      .default('2000-01-01T00:00:00Z')
      .meta({ description: 'Sync records updated at or after this instant (RFC3339, or YYYY-MM-DD = midnight UTC).' }),
    end_date: instant('end_date').optional().meta({ description: 'Sync records updated before this instant (default: the sync start).' }),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: "Records per request; each endpoint's own maximum applies (default: that maximum)." }),
    api_utilization_percent: z
      .number()
      .min(1)
      .max(100)
      .default(100)
      .meta({ description: "Share of the org's API rate limit this tap may use (the limit is shared by every integration)." }),
    rate_limit_per_minute: z
      .number()
      .int()
      .min(1)
      .default(300)
      .meta({ description: 'Org-wide limit to assume until Kustomer reports x-ratelimit-limit (300 is the smallest plan).' }),
    search_rate_limit_per_minute: z
      .number()
      .int()
      .min(1)
      .default(100)
      .meta({ description: 'Search API limit for API keys (Kustomer: 100 per minute).' }),
    max_concurrency: z.number().int().min(1).max(64).default(8).meta({ description: 'Requests in flight at once.' }),
    request_timeout_seconds: z.number().min(1).max(600).default(60).meta({ description: 'Timeout of one HTTP request.' }),
    max_retries: z.number().int().min(0).max(20).default(8).meta({ description: 'Retries of one request on 429, 5xx, timeouts and resets.' }),
    connect_retry_seconds: z
      .number()
      .min(0)
      .max(3600)
      .default(60)
      .meta({
        description:
          'How long the run keeps retrying while Kustomer cannot be connected to at all (refused, DNS, connect timeout) before it stops with exit 5.',
      }),
    user_agent: z.string().optional().meta({ description: 'User-Agent header (default tap-kustomer/<version>).' }),
    kobject_streams_per_klass: z
      .boolean()
      .default(false)
      .meta({ description: 'Also offer one stream per KObject klass, kobjects_<klass>, typed from that klass (off: only `kobjects`).' }),
    archive_backfill: z
      .boolean()
      .default(false)
      .meta({ description: 'On the first sync, also read customers and conversations older than the 2-year search window (archive search).' }),
  })
  .strip();

export type Config = z.infer<typeof ConfigSchema> & { baseUrl: string };

/** Older Kustomer taps call the key `api_token`; accept their configs unchanged. */
const ALIASES: Record<string, keyof z.infer<typeof ConfigSchema>> = { api_token: 'api_key' };

const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/** Reads a JSON object from a user-supplied file, with a one-line error for every way it can be wrong. */
export function readJsonObject(path: string, what: string): Record<string, unknown> {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(`${what} file ${path} is not a file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${what} file not found: ${path}`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`${what} file ${path} is too large (${size} bytes; at most ${MAX_INPUT_BYTES})`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${what} file ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (text.trim() === '') throw new InputError(`${what} file ${path} is empty`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what} file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${what} file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Settings from `<PREFIX><SETTING>` env vars (TAP_KUSTOMER_ for the tap, TARGET_KUSTOMER_ for the target), typed by
 * the settings schema (Meltano exports these).
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv,
  prefix = 'TAP_KUSTOMER_',
  shape: Record<string, z.ZodType> = ConfigSchema.shape,
  aliases: Record<string, string> = ALIASES,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of [...Object.keys(shape), ...Object.keys(aliases)]) {
    const raw = env[`${prefix}${name.toUpperCase()}`];
    if (raw === undefined || raw === '') continue;
    const target = aliases[name] ?? name;
    const kind = jsonType(shape[target]);
    // A value that is not a number stays a string, so the error quotes what the variable holds.
    if (kind === 'number' || kind === 'integer') out[name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else if (kind === 'boolean') out[name] = /^(true|1|yes)$/i.test(raw) ? true : /^(false|0|no)$/i.test(raw) ? false : raw;
    else out[name] = raw;
  }
  return out;
}

function jsonType(schema: z.ZodType | undefined): string | undefined {
  if (!schema) return undefined;
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { type?: string };
  return js.type;
}

/**
 * Merges config sources (env first, then files in order; later wins) and validates. A null in a file means "not
 * set" (Meltano drops nulls), so it leaves a value from the environment or an earlier file in place. Settings the
 * tap does not know are reported through `warn` (naming the closest known one): a typo must not pass silently.
 */
export function loadConfig(files: string[], env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = () => undefined): Config {
  return parseConfig(mergeConfigFiles(configFromEnv(env), files, (values, file) => unknownSettings(values, file).forEach(warn)));
}

/**
 * Config files laid over `base` (the environment's values) in order, later winning. A null in a file means "not
 * set" (Meltano drops nulls), so it leaves the value from the environment or an earlier file in place.
 */
export function mergeConfigFiles(
  base: Record<string, unknown>,
  files: string[],
  inspect: (values: Record<string, unknown>, file: string) => void = () => undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const file of files) {
    const values = readJsonObject(file, 'config');
    inspect(values, file);
    for (const [key, value] of Object.entries(values)) if (value !== null) merged[key] = value;
  }
  return merged;
}

/** Settings under their canonical names: nulls dropped ("not set"), an alias used only when its canonical name is not. */
export function canonicalSettings(input: Record<string, unknown>, aliases: Readonly<Record<string, string>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === null) continue;
    const target = aliases[key] ?? key;
    if (target !== key && input[target] !== undefined && input[target] !== null) continue; // the canonical name wins
    values[target] = value;
  }
  return values;
}

/** Every setting name the tap reads, aliases included. */
export function knownSettings(): string[] {
  return [...Object.keys(ConfigSchema.shape), ...Object.keys(ALIASES)];
}

/** One warning per key of a config file that is no setting of the tap (it is ignored). */
export function unknownSettings(values: Record<string, unknown>, source: string): string[] {
  const known = knownSettings();
  return Object.keys(values)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const guess = closest(key, known);
      return `config ${source}: unknown setting ${JSON.stringify(key)} is ignored${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''}`;
    });
}

export function parseConfig(input: Record<string, unknown>): Config {
  const values = canonicalSettings(input, ALIASES);
  if (values.api_key === undefined) {
    throw new InputError('config error: api_key is required (or api_token); set it in the config file or TAP_KUSTOMER_API_KEY');
  }
  const result = ConfigSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const setting = issue.path.join('.') || 'config';
    const got = describeValue(setting, values[String(issue.path[0])]);
    throw new InputError(`config error: ${setting}: ${issue.message}${got}`);
  }
  const config = result.data;
  if (config.end_date && parseInstant(config.end_date)! <= parseInstant(config.start_date)!) {
    throw new InputError('config error: end_date must be after start_date');
  }
  return { ...config, baseUrl: resolveBaseUrl(config) };
}

/** Echoes the offending value so the one-line error is actionable; never the key itself. */
function describeValue(setting: string, value: unknown): string {
  if (setting === 'api_key' || value === undefined) return '';
  if (typeof value === 'string') return value.length <= 80 ? ` (got ${JSON.stringify(value)})` : '';
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${value})`;
  return ` (got ${Array.isArray(value) ? 'an array' : typeof value})`;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** base_url, else org_name, else region, else the US host. Plain http only ever for loopback (the sandbox). */
export function resolveBaseUrl(config: Pick<Config, 'base_url' | 'org_name' | 'region'>): string {
  if (config.base_url !== undefined) {
    let url: URL;
    try {
      url = new URL(config.base_url);
    } catch {
      throw new InputError(`config error: base_url: not a URL (got ${JSON.stringify(config.base_url)})`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError('config error: base_url: must be an https:// URL');
    if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
      throw new InputError(`config error: base_url: plain http:// is allowed only for loopback hosts; use https://${url.host}`);
    }
    if (url.username || url.password) throw new InputError('config error: base_url: must not contain credentials');
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      throw new InputError(`config error: base_url: give the origin only, without a path (e.g. ${url.origin}); the tap adds /v1/...`);
    }
    return url.origin;
  }
  if (config.org_name !== undefined) return `https://${orgSubdomain(config.org_name)}.api.kustomerapp.com`;
  return REGION_HOSTS[config.region ?? 'us'];
}

/** `acme`, `acme.kustomerapp.com`, or a pasted `https://acme.kustomerapp.com/app/customers` → `acme`. */
export function orgSubdomain(orgName: string): string {
  let name = orgName.trim().toLowerCase();
  name = name.replace(/^[a-z]+:\/\//, '').split(/[/?#]/)[0]!;
  name = name.replace(/\.api\.kustomerapp\.com$|\.kustomerapp\.com$/, '');
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new InputError(`config error: org_name: expected your Kustomer subdomain, e.g. acme for acme.kustomerapp.com (got ${JSON.stringify(orgName)})`);
  }
  return name;
}

/** The settings JSON Schema shown by `--about` and mirrored in meltano.yml. */
export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
