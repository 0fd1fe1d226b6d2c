/** One note record (internal comment on a conversation). */
import type { RelRef, Resource } from '../../model';
import type { ConvRels, Rels } from '../conversation-rels';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, PATHS, flat, resource, type Attrs } from '../json-api';
import type { Agent, OrgCtx } from '../org-context';
import { LANGS, NOTE_TEXTS } from '../text-pools';
import { iso } from '../time';
import type { CustomerContact } from './customer';

export interface NoteParams {
  id: string;
  customer: CustomerContact;
  rels: ConvRels;
  createdMs: number;
  updatedMs: number;
  importedMs: number | null;
  deletedMs: number | null;
  agent: Agent;
}

export function buildNote(ctx: OrgCtx, p: NoteParams): Resource {
  const rng = ctx.rng;
  const createdIso = iso(p.createdMs);
  const updatedIso = p.updatedMs === p.createdMs ? createdIso : iso(p.updatedMs);
  const attrs: Attrs = {
    body: rng.pick(NOTE_TEXTS),
    createdByTeams: p.agent.teams,
    externalId: rng.chance(0.05) ? flat('note-', rng.hex(8)) : null,
    lang: rng.chance(0.5) ? rng.pick(LANGS) : null,
    deleted: p.deletedMs !== null,
    attachments: rng.chance(0.03)
      ? [{ _id: rng.hex(24), name: 'screenshot.png', contentType: 'image/png', contentLength: rng.int(1000, 900000), sourceId: rng.hex(24) }]
      : EMPTY,
    custom: customValues(rng, CUSTOM_SPECS.note, p.createdMs, p.updatedMs),
    createdAt: createdIso,
    updatedAt: updatedIso,
    modifiedAt: updatedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
  };
  if (p.deletedMs !== null) attrs.deletedAt = iso(p.deletedMs);
  let rels: Rels = p.rels.agent(p.agent);
  const mention = ctx.mentionRels.length > 0 && rng.chance(0.2);
  if (p.deletedMs !== null || mention) rels = { ...rels };
  if (p.deletedMs !== null) rels.deletedBy = p.agent.rel;
  if (mention) {
    if (rng.chance(0.8)) rels.userMentions = rng.pick(ctx.mentionRels);
    else {
      const a = rng.pick(ctx.agents);
      const t = ctx.teams.length > 0 ? rng.pick(ctx.teams) : null;
      const data: RelRef[] = [{ type: 'user', id: a.id }];
      if (t) data.push({ type: 'team', id: t.id });
      rels.userMentions = { data };
    }
  }
  return resource('note', p.id, PATHS.note + p.id, attrs, rels);
}
