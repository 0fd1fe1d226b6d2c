/**
 * Resolves a stream's mapping (settings `streams` entry, or the built-in defaults for `customers`/`companies`)
 * against the stream's SCHEMA: which record property feeds which Kustomer field. Every problem is found here, at
 * start-up, and named: an unknown Kustomer field, a property that maps to nothing, an undefined custom attribute.
 */
import { InputError } from '../errors';
import type { CustomAttributeCatalog } from './custom-attributes';
import { suffixOf } from './custom-attributes';
import { normalizeName, standardField, standardFieldNames, type StandardField } from './fields';
import { objectType, type MatchOn, type ObjectType } from './objects';
import type { StreamMappingInput, TargetSettings } from './settings';

export interface PropertyTarget {
  property: string;
  /** A standard attribute, or a single custom attribute (`custom.<name>`). */
  field: StandardField | { attr: 'custom'; kind: 'customOne'; name: string };
}

export interface StreamMapping {
  stream: string;
  object: ObjectType;
  matchOn: MatchOn[];
  mode: 'upsert' | 'insert' | 'update';
  targets: PropertyTarget[];
  audience?: { tag: string; mode: 'add' | 'remove' | 'mirror' };
}

const DEFAULTS: Record<string, StreamMappingInput> = {
  customers: { object: 'customer', match_on: ['external_id', 'email'], mode: 'upsert', ignore_unmapped: false },
  companies: { object: 'company', match_on: ['external_id', 'name'], mode: 'upsert', ignore_unmapped: false },
};

/** The stream's configured mapping, or the default one; an unmapped stream is a start-up error. */
export function mappingInput(settings: TargetSettings, stream: string): StreamMappingInput {
  const input = settings.streams[stream] ?? DEFAULTS[stream];
  if (!input) {
    throw new InputError(
      `stream ${stream} has no entry in the streams setting (only streams named customers and companies have a default mapping)`,
    );
  }
  return input;
}

export async function resolveMapping(
  stream: string,
  input: StreamMappingInput,
  schemaProperties: string[] | undefined,
  catalog: CustomAttributeCatalog,
): Promise<StreamMapping> {
  const object = objectType(input.object);
  for (const key of input.match_on ?? []) {
    if (!object.matchable.includes(key)) {
      throw new InputError(`stream ${stream}: match_on ${key} is not available for ${input.object} (use ${object.matchable.join(' or ')})`);
    }
  }
  if (input.audience && object.kind === 'kobject') {
    throw new InputError(`stream ${stream}: audiences tag customers or companies, not ${input.object}`);
  }

  const targets: PropertyTarget[] = [];
  const customNames = new Set<string>();
  if (input.fields) {
    for (const [property, fieldName] of Object.entries(input.fields)) {
      if (schemaProperties && !schemaProperties.includes(property)) {
        throw new InputError(`stream ${stream}: fields maps ${property}, but the stream's SCHEMA has no such property`);
      }
      if (fieldName.startsWith('custom.')) {
        const name = fieldName.slice('custom.'.length);
        if (!suffixOf(name)) throw new InputError(`stream ${stream}: ${fieldName} needs a type suffix (Str, Txt, Num, At, Bool, Url, Id)`);
        customNames.add(name);
        targets.push({ property, field: { attr: 'custom', kind: 'customOne', name } });
        continue;
      }
      const field = standardField(object.kind, fieldName);
      if (!field) {
        throw new InputError(
          `stream ${stream}: ${property} maps to ${fieldName}, which is not a ${input.object} field (${standardFieldNames(object.kind).join(', ')}, or custom.<name>)`,
        );
      }
      targets.push({ property, field });
    }
  } else {
    for (const property of schemaProperties ?? []) {
      if (property.startsWith('_sdc_')) continue;
      const field = standardField(object.kind, property);
      if (field) targets.push({ property, field });
      else if (!input.ignore_unmapped) {
        throw new InputError(
          `stream ${stream}: property ${property} maps to no ${input.object} field; add it to fields (e.g. "custom.${camel(property)}Str") or set ignore_unmapped: true`,
        );
      }
    }
  }

  const mapped = new Set(targets.map((t) => (t.field.kind === 'customOne' ? 'custom' : t.field.attr)));
  const keyAttr = (key: MatchOn) => (key === 'external_id' ? 'externalId' : key === 'email' ? 'emails' : 'name');
  // Without match_on: the object's keys that the stream maps, in the object's order.
  const matchOn = input.match_on ?? object.matchable.filter((key) => mapped.has(keyAttr(key)));
  if (matchOn.length === 0) throw new InputError(`stream ${stream}: no property maps to a match key (${object.matchable.join(', ')})`);
  for (const key of matchOn) {
    if (!mapped.has(keyAttr(key))) throw new InputError(`stream ${stream}: match_on ${key} but no property maps to ${key}`);
  }

  if (customNames.size > 0) {
    const known = await catalog.names(object.resource);
    for (const name of customNames) {
      if (!known.has(name)) throw new InputError(`stream ${stream}: custom attribute ${name} does not exist in /v1/metadata/${object.resource}`);
    }
  }
  const targetsByAttr = new Map<string, string>();
  for (const t of targets) {
    const key = t.field.kind === 'customOne' ? `custom.${t.field.name}` : t.field.attr;
    const other = targetsByAttr.get(key);
    if (other !== undefined) throw new InputError(`stream ${stream}: ${other} and ${t.property} both map to ${key}`);
    targetsByAttr.set(key, t.property);
  }
  return { stream, object, matchOn, mode: input.mode, targets, ...(input.audience ? { audience: input.audience } : {}) };
}

function camel(property: string): string {
  const words = property.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('') || normalizeName(property);
}
