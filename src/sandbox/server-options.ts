/**
 * The sandbox's options: what may change while it runs (`setOptions`, `POST /__sandbox/options`), their defaults,
 * and what is fixed at start (address, seed, scale, data, start-up rounds).
 */
import { z } from 'zod';
import type { SandboxData } from './model';
import { faultRulesSchema } from './faults';
import type { RoundOptions } from './mutations';
import { ALL_ROLES } from './routes';
import { responseVariantsSchema } from './variants';
import { DEFAULT_WRITE_ROLES, writeOptionsSchema } from './write-options';

/** Options that can change while the sandbox runs (`setOptions`, `POST /__sandbox/options`). */
export const runtimeOptionsSchema = z
  .object({
    roles: z.array(z.string()),
    rateLimitPerMinute: z.number().int().positive(),
    searchRateLimitPerMinute: z.number().int().positive(),
    windowMs: z.number().int().positive(),
    /** `x-ratelimit-reset` as epoch seconds or seconds until the reset (UNCONFIRMED which Kustomer sends). */
    resetHeader: z.enum(['epoch', 'delta']),
    /** Send Retry-After on 429 (UNCONFIRMED whether Kustomer does). */
    retryAfter: z.boolean(),
    rateLimitHeaders: z.boolean(),
    latencyMs: z.number().nonnegative(),
    latencyJitterMs: z.number().nonnegative(),
    /** Whether search's includeDeleted returns soft-deleted records (UNCONFIRMED). */
    includeDeletedHonoured: z.boolean(),
    /** Whether cascaded deletes (a deleted conversation's messages and notes) are audit-logged (UNCONFIRMED). */
    auditCascade: z.enum(['all', 'root']),
    searchPageCap: z.number().int().positive(),
    /** An extra cap on audit-log age, on top of each entry's own expiresAt (tests shorten it to make a gap). */
    auditRetentionMs: z.number().nonnegative(),
    /**
     * Audit-log page order. `newestFirst` (default, the published document): `next` = `before=<id>`, `prev` =
     * `after=<id>`. `oldestFirst` (the older reading): `next` = `after=<id>`, `prev` = `before=<id>`.
     */
    auditOrder: z.enum(['newestFirst', 'oldestFirst']),
    /** Accept `<ctx>_id` in live-search criteria and sort. Off by default: the document lists no such attribute. */
    acceptSearchById: z.boolean(),
    /** Status for a key that lacks the route's role: 403 (default) or 401 (Kustomer's errors reference: "a missing role"). */
    missingRoleStatus: z.union([z.literal(403), z.literal(401)]),
    /** Status for a metadata resource the document does not list (note, user, ...): 404 (default) or 400. */
    unknownMetadataStatus: z.union([z.literal(404), z.literal(400)]),
    /**
     * How a KObject names its klass. `name` (default, the published examples): type `kobject.<klass name>`,
     * `relationships.klass.data.id` = the klass name. `id`: type `kobject`, the klass's 24-hex id.
     */
    kobjectKlassRef: z.enum(['name', 'id']),
    faults: faultRulesSchema,
    /** The write API's options (write-options.ts); a partial object, merged over its defaults. */
    writes: writeOptionsSchema,
    /** Response variants (src/sandbox/variants.ts): undeclared attributes, documented spellings, id-less attachments. */
    variants: responseVariantsSchema,
  })
  .partial()
  .strict();

export type RuntimeOptions = Required<z.infer<typeof runtimeOptionsSchema>>;

const DAY_MS = 24 * 3600 * 1000;

export const RUNTIME_DEFAULTS: RuntimeOptions = {
  roles: [...ALL_ROLES, ...DEFAULT_WRITE_ROLES],
  rateLimitPerMinute: 1000,
  searchRateLimitPerMinute: 100,
  windowMs: 60_000,
  resetHeader: 'epoch',
  retryAfter: false,
  rateLimitHeaders: true,
  latencyMs: 0,
  latencyJitterMs: 0,
  includeDeletedHonoured: true,
  auditCascade: 'all',
  searchPageCap: 100,
  // Longer than any entry's own retention (12 months at most), so by default only expiresAt decides.
  auditRetentionMs: 366 * DAY_MS,
  auditOrder: 'newestFirst',
  acceptSearchById: false,
  missingRoleStatus: 403,
  unknownMetadataStatus: 404,
  kobjectKlassRef: 'name',
  faults: [],
  writes: {},
  variants: {},
};

/** The runtime options named in `options` (validated), over the defaults. */
export function runtimeOptionsFrom(options: Partial<RuntimeOptions>): RuntimeOptions {
  const given = runtimeOptionsSchema.parse(
    Object.fromEntries(Object.keys(RUNTIME_DEFAULTS).filter((k) => k in options).map((k) => [k, options[k as keyof RuntimeOptions]])),
  );
  return { ...RUNTIME_DEFAULTS, ...given };
}

export interface SandboxOptions extends Partial<RuntimeOptions> {
  host?: string;
  port?: number;
  seed?: number;
  /** Number of customers to generate. */
  scale?: number;
  /** The generated org's "now" (default: one minute ago). */
  anchor?: Date | string;
  archived?: number;
  /** Mutation rounds 1..rounds applied at start (round r at anchor + r seconds). */
  rounds?: number;
  apiKey?: string;
  /** Serve this instead of generating. */
  data?: SandboxData;
  /** Epoch-ms clock (tests); default Date.now. */
  clock?: () => number;
  /** Called with every /v1 request as received (contract tests record what the tap sends). */
  onRequest?: (request: RecordedRequest) => void;
  /** Options of the start-up rounds (`rounds`). */
  roundOptions?: RoundOptions;
  /** Start with the generated settings but no customers, companies, conversations... (a round trip's receiver). */
  empty?: boolean;
}

/** One API request as the sandbox received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw query string (without `?`). */
  query: string;
  /** The request body as text ('' when none). */
  body: string;
}
