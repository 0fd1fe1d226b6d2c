import { type SearchStream, type Source, type StreamDef, type TransformContext } from './kinds';

/**
 * Everything particular to KObjects (Kustomer's custom objects) and their klasses (custom object types), in one
 * place. KObjects are the one entity whose shape depends on the org: their records name the klass (by name, or by id), each
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

/**
 * `kobjects_<klass>` streams: one per klass, for warehouses that want one table per custom object type. Each is the
 * table's all-klass `kobjects` row (role, deletes, transform, aliases) narrowed to its klass: its own name, search
 * context, doc and typed custom attributes.
 */
export function perKlassStreams(klasses: readonly Klass[], allKlasses: SearchStream): SearchStream[] {
  return klasses.map((k) => ({
    ...allKlasses,
    name: `${PER_KLASS_PREFIX}${streamSafe(k.name)}`,
    queryContext: `kobject_${k.name}`,
    doc: `KObjects of the ${k.name} klass`,
    customFrom: klassMetadataResource(k.name),
  }));
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

/** KObjects reference their klass by name (published contract) or, in an older reading, by id; users want both. */
export function withKlassName(row: Source, ctx: TransformContext): Source {
  const klass = ctx.klass(row.klassId as string | undefined);
  return { ...row, klassId: klass.id, klassName: klass.name };
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * The transform context's klass lookup, from the org's klasses: a reference by id or by name resolves to both. An
 * unknown klass (the list was not read): a 24-hex reference is an id, anything else a name.
 */
export function klassNameLookup(klasses: readonly Klass[] | undefined): TransformContext {
  const byId = new Map((klasses ?? []).map((k) => [k.id, k] as const));
  const byName = new Map((klasses ?? []).map((k) => [k.name, k] as const));
  return {
    klass: (ref) => {
      if (!ref) return { id: null, name: null };
      const known = byId.get(ref) ?? byName.get(ref);
      if (known) return { id: known.id, name: known.name };
      return OBJECT_ID.test(ref) ? { id: ref, name: null } : { id: null, name: ref };
    },
  };
}

/** The catalog error for a per-klass stream this org does not offer. */
export function unknownKlassStreamMessage(name: string): string {
  return `catalog error: stream ${name}: no such KObject klass in this org (or kobject_streams_per_klass is off)`;
}
