/**
 * target-kustomer's settings: the connection settings are the tap's own zod fields (one definition, so base_url /
 * org_name / region / api_key resolve exactly as the tap resolves them), plus what only a writer needs.
 * `--about` derives the settings JSON Schema from this schema.
 */
import * as z from '../lean-zod';
import { canonicalSettings, ConfigSchema, configFromEnv, mergeConfigFiles, resolveBaseUrl } from '../config';
import { InputError } from '../errors';

export const ENV_PREFIX = 'TARGET_KUSTOMER_';

const AudienceSchema = z
  .object({
    tag: z.string().trim().min(1).max(64).meta({ description: 'Tag name managed by this stream (created when missing).' }),
    mode: z.enum(['add', 'remove', 'mirror']).meta({ description: 'add: tag every matched object; remove: untag them; mirror: the tag set equals the latest activated version.' }),
  })
  .strict();

export const StreamMappingSchema = z
  .object({
    object: z
      .string()
      .regex(/^(customer|company|kobject\.[A-Za-z0-9_-]+)$/, 'must be customer, company or kobject.<klass name>')
      .meta({ description: 'customer | company | kobject.<klass name>' }),
    match_on: z
      .array(z.enum(['external_id', 'email', 'name']))
      .min(1)
      .optional()
      .meta({ description: 'Keys tried in order per record (customers: external_id, email; companies: external_id, name; KObjects: external_id).' }),
    mode: z.enum(['upsert', 'insert', 'update']).default('upsert').meta({ description: 'upsert, insert (only creates) or update (only updates).' }),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Record property → Kustomer field (a standard attribute, custom, or custom.<attributeNameWithSuffix>).' }),
    ignore_unmapped: z.boolean().default(false).meta({ description: 'Without fields: ignore properties that name no standard attribute.' }),
    audience: AudienceSchema.optional(),
  })
  .strict();

export type StreamMappingInput = z.infer<typeof StreamMappingSchema>;

const TargetSettingsSchema = ConfigSchema.pick({
  api_key: true,
  base_url: true,
  org_name: true,
  region: true,
  api_utilization_percent: true,
  rate_limit_per_minute: true,
  search_rate_limit_per_minute: true,
  max_concurrency: true,
  request_timeout_seconds: true,
  connect_retry_seconds: true,
  max_retries: true,
  user_agent: true,
})
  .extend({
    // The same fields, described for a writer.
    api_key: ConfigSchema.shape.api_key.meta({
      description:
        'Kustomer API key. Needs create and update roles for the objects written, bulk read, metadata read, tag read (and tag create for a new audience tag), and search for mirror audiences.',
      secret: true,
      writeOnly: true,
    }),
    api_utilization_percent: ConfigSchema.shape.api_utilization_percent.meta({
      description: "Share of the org's API rate limit this target may use (lookups, writes and polls share it with every other integration).",
    }),
    user_agent: ConfigSchema.shape.user_agent.meta({ description: 'User-Agent header (default target-kustomer/<version>).' }),
    dry_run: z.boolean().default(false).meta({ description: 'Validate, look up and print the plan per stream; write nothing.' }),
    rejected_records_path: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'File that receives one JSON line per refused record: {"stream","record","error":{"code","message"}}.' }),
    max_rejected_percent: z
      .number()
      .min(0)
      .max(100)
      .default(0)
      .meta({ description: 'Above this share of refused records the run exits non-zero (0: any rejection fails the run, after everything else is written).' }),
    batch_size: z.number().int().min(1).max(100).default(100).meta({ description: 'Items per bulk request (Kustomer allows 100).' }),
    bulk_poll_seconds: z.number().min(0.01).max(60).default(1).meta({ description: 'First wait before polling a bulk job; doubles up to 10 s.' }),
    streams: z
      .record(z.string(), StreamMappingSchema)
      .default({})
      .meta({ description: 'Singer stream name → mapping (object, match_on, mode, fields, ignore_unmapped, audience).' }),
  })
  .strip();

export type TargetSettings = z.infer<typeof TargetSettingsSchema> & { baseUrl: string };

const ALIASES: Record<string, string> = { api_token: 'api_key' };

/** Env first, then config files in order (later wins); nulls mean "not set" (Meltano drops them too). */
export function loadSettings(files: string[], env: NodeJS.ProcessEnv): TargetSettings {
  const fromEnv = configFromEnv(env, ENV_PREFIX, TargetSettingsSchema.shape as Record<string, z.ZodType>, ALIASES);
  if (typeof fromEnv.streams === 'string') {
    try {
      fromEnv.streams = JSON.parse(fromEnv.streams);
    } catch {
      throw new InputError(`config error: ${ENV_PREFIX}STREAMS is not valid JSON`);
    }
  }
  return parseSettings(mergeConfigFiles(fromEnv, files));
}

export function parseSettings(input: Record<string, unknown>): TargetSettings {
  const values = canonicalSettings(input, ALIASES);
  if (values.api_key === undefined) {
    throw new InputError(`config error: api_key is required (or api_token); set it in the config file or ${ENV_PREFIX}API_KEY`);
  }
  const result = TargetSettingsSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join('.') || 'config';
    // Never echo values: api_key is a secret, and a mapping value is clearer named by its path.
    throw new InputError(`config error: ${where}: ${issue.message}`);
  }
  return { ...result.data, baseUrl: resolveBaseUrl(result.data) };
}

export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TargetSettingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
