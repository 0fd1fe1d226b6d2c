import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the build writes the settings JSON Schema (scripts/copy-assets.js), next to the compiled cli.js. */
export const BUILT_SETTINGS_SCHEMA = join(__dirname, 'settings.schema.json');

/**
 * The settings JSON Schema `--about` prints. It is derived from the zod schema that validates the settings
 * (config.ts, the one source); the build derives it once and writes it next to the compiled code, so `--about`
 * reads that file instead of loading zod (about 90 ms of start-up CPU, issue 13). Run from the sources (tests),
 * there is no built file and it is derived on the spot; a test checks the built file equals the derived schema.
 */
export function aboutSettings(): Record<string, unknown> {
  if (existsSync(BUILT_SETTINGS_SCHEMA)) return JSON.parse(readFileSync(BUILT_SETTINGS_SCHEMA, 'utf8')) as Record<string, unknown>;
  return (require('./config') as typeof import('./config')).settingsJsonSchema();
}
