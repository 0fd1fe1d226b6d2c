import { search, type SearchStream, type Source, type StreamDef, type TransformContext } from './kinds';

/**
 * Everything particular to KObjects (Kustomer's custom objects) and their klasses (custom object types), in one
 * place. KObjects are the one entity whose shape depends on the org: their records name the klass only by id, each
 * klass has its own custom attribute metadata (`kobject.<klass>`), and an org may want one stream per klass.
 */

/** A klass as the tap needs it: its id (what KObjects carry) and its name (what users filter by). */
export interface Klass {
  id: string;
  name: string;
}

/**
 * KObjects' other spellings in Kustomer's published examples (stream table `aliases`), shared by the all-klass stream
 * and the per-klass ones.
 */
export const KOBJECT_ALIASES = { reopenDoneCount: 'reopenFromDoneCount' } as const;

/** Prefix of the optional one-stream-per-klass streams (`kobject_streams_per_klass`). */
const PER_KLASS_PREFIX = 'kobjects_';

/** `kobjects_<klass>` streams: one per klass, for warehouses that want one table per custom object type. */
export function perKlassStreams(klasses: readonly Klass[]): SearchStream[] {
  return klasses.map((k) =>
    search(`${PER_KLASS_PREFIX}${streamSafe(k.name)}`, `kobject_${k.name}`, {
      doc: `KObjects of the ${k.name} klass`,
      role: 'org.permission.kobject.read',
      customFrom: klassMetadataResource(k.name),
      hardDeletes: true,
      transform: withKlassName,
      aliases: KOBJECT_ALIASES,
    }),
  );
}

/** A klass name as a stream-name suffix: lower case, runs of anything else become one `_`. */
function streamSafe(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export function isPerKlassStream(name: string): boolean {
  return name.startsWith(PER_KLASS_PREFIX);
}

/** Does this stream's pass read KObjects (the all-klass stream or a per-klass one)? Then it needs the klass names. */
export function readsKObjects(def: StreamDef): boolean {
  return def.name === 'kobjects' || isPerKlassStream(def.name);
}

/** The schema file a stream is typed from: per-klass streams share `kobjects.json`. */
export function schemaFileOf(streamName: string): string {
  return isPerKlassStream(streamName) ? 'kobjects' : streamName;
}

/** Custom-attribute metadata document of a klass (`GET /v1/metadata/kobject.<klass>`). */
export function klassMetadataResource(klassName: string): string {
  return `kobject.${klassName}`;
}

/** `customFrom` of the all-klass stream: it is typed with the union of every klass's attributes. */
export const ALL_KLASSES = 'kobject';

/** KObjects name their klass only by id; warehouse users filter by name. */
export function withKlassName(row: Source, ctx: TransformContext): Source {
  return { ...row, klassName: ctx.klassName(row.klassId as string | undefined) };
}

/** The transform context's klass lookup, from the org's klasses (none read: every name is null). */
export function klassNameLookup(klasses: readonly Klass[] | undefined): TransformContext {
  const names = new Map((klasses ?? []).map((k) => [k.id, k.name] as const));
  return { klassName: (id) => (id ? (names.get(id) ?? null) : null) };
}

/** The catalog error for a per-klass stream this org does not offer. */
export function unknownKlassStreamMessage(name: string): string {
  return `catalog error: stream ${name}: no such KObject klass in this org (or kobject_streams_per_klass is off)`;
}
