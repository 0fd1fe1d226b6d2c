import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSchema } from '../singer/writer';

/** src/schemas in tests, dist/schemas once built (copied there by the build; a built run reads BUILT_SCHEMAS instead). */
export const SCHEMA_DIR = join(__dirname, '..', 'schemas');

/**
 * Where the build writes every stream's schema already inlined (scripts/copy-assets.js, from `inlinedSchemas`), next
 * to the compiled code. Reading it is one file and one parse instead of about 70 files and their `$ref`s inlined and
 * copied on every run (`--discover` builds all 50: about 30 ms of its start-up CPU, issue 13). Run from the sources
 * (tests) there is no such file and the schema files are read; a test checks the built file equals them.
 */
export const BUILT_SCHEMAS = join(__dirname, '..', 'stream-schemas.json');

/**
 * The column every stream has for what its schema does not declare (src/streams/projector.ts fills it): a JSON
 * object as text, so it is one plain nullable string column in every target, whatever Kustomer adds later.
 */
export const EXTRA_COLUMN = '_sdc_extra';
const EXTRA_PROPERTY: JsonSchema = { type: ['null', 'string'] };

const cache = new Map<string, JsonSchema>();

/**
 * A stream's JSON Schema with every `{"$ref": "_defs/x.json"}` inlined (Singer forbids `$ref` in SCHEMA), and
 * `_sdc_extra` added last. The loader adds it, not each file, so no stream can lack it and discovery, the catalog
 * snapshot, the README and Meltano's settings all see the same columns.
 */
export function loadSchema(stream: string, dir = SCHEMA_DIR): JsonSchema {
  if (dir === SCHEMA_DIR) {
    const built = builtSchemas()?.[stream];
    if (built !== undefined) return JSON.parse(built) as JsonSchema;
  }
  const key = `${dir}|${stream}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = inlineStream(stream, dir);
    cache.set(key, schema);
  }
  return structuredClone(schema);
}

/**
 * Every stream schema file of `dir` (its `_defs` are not streams), each as `loadSchema` returns it, as JSON text: the
 * content of the built file. Text, so each `loadSchema` parses a copy of its own that the caller may change.
 */
export function inlinedSchemas(dir = SCHEMA_DIR): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const stream = file.slice(0, -'.json'.length);
    out[stream] = JSON.stringify(inlineStream(stream, dir));
  }
  return out;
}

/** The built file's streams (stream → schema JSON text), read once; undefined when run from the sources. */
let built: Record<string, string> | undefined | null = null;
function builtSchemas(): Record<string, string> | undefined {
  if (built === null) built = existsSync(BUILT_SCHEMAS) ? (JSON.parse(readFileSync(BUILT_SCHEMAS, 'utf8')) as Record<string, string>) : undefined;
  return built;
}

/** One stream's schema file with its `$ref`s inlined and the extra column added: what both the build and a run from the sources serve. */
function inlineStream(stream: string, dir: string): JsonSchema {
  return withExtraColumn(inlineRefs(readJson(join(dir, `${stream}.json`)), dir, []) as JsonSchema, stream);
}

function withExtraColumn(schema: JsonSchema, stream: string): JsonSchema {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return schema;
  if (Object.prototype.hasOwnProperty.call(props, EXTRA_COLUMN)) throw new Error(`schema ${stream}: ${EXTRA_COLUMN} is added by the loader, not declared in the file`);
  return { ...schema, properties: { ...props, [EXTRA_COLUMN]: EXTRA_PROPERTY } };
}

/**
 * Each file parsed once per process: the shared `_defs` are referenced about 60 times across the streams, and the
 * build (like a run from the sources) reads every stream (inlineRefs copies what it takes, so a parsed file is never
 * changed).
 */
const parsedFiles = new Map<string, unknown>();
function readJson(file: string): unknown {
  let parsed = parsedFiles.get(file);
  if (parsed === undefined) parsedFiles.set(file, (parsed = JSON.parse(readFileSync(file, 'utf8'))));
  return parsed;
}

/** Replaces local file refs by the referenced file's content, recursively; a cycle is a bug in the schemas. */
export function inlineRefs(node: unknown, dir: string, trail: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, dir, trail));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') {
    const ref = obj.$ref;
    if (trail.includes(ref)) throw new Error(`schema $ref cycle: ${[...trail, ref].join(' → ')}`);
    const { $ref: _ignored, ...siblings } = obj;
    return { ...(inlineRefs(readJson(join(dir, ref)), dir, [...trail, ref]) as object), ...siblings };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = inlineRefs(v, dir, trail);
  return out;
}

/**
 * Kustomer types a custom attribute by its name's suffix (kustomer-fields.md §1): Str/Txt/Url/Id/Tree text,
 * Num number, At date-time, Bool boolean. Unknown suffixes are left out of the schema (the `custom` object keeps
 * undeclared keys), so an unfamiliar type is passed through rather than mis-typed.
 */
export function customAttributeSchema(name: string): JsonSchema | undefined {
  const suffix = /(Str|Txt|Url|Id|Tree|Num|At|Bool)$/.exec(name)?.[1];
  switch (suffix) {
    case 'Num':
      return { type: ['null', 'number'] };
    case 'At':
      return { type: ['null', 'string'], format: 'date-time' };
    case 'Bool':
      return { type: ['null', 'boolean'] };
    case undefined:
      return undefined;
    default:
      return { type: ['null', 'string'] };
  }
}

/** Adds the org's custom attributes (names from `/v1/metadata/{resource}`) to a stream schema's `custom` object. */
export function withCustomAttributes(schema: JsonSchema, attributeNames: Iterable<string>): JsonSchema {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const custom = props?.custom;
  if (!custom) return schema;
  const customProps = { ...((custom.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  for (const name of [...attributeNames].sort()) {
    const s = customAttributeSchema(name);
    if (s) customProps[name] = s;
  }
  props.custom = { ...custom, type: ['null', 'object'], properties: customProps, additionalProperties: true };
  return schema;
}
