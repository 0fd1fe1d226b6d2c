/** One company record. */
import type { Relationship, Resource } from '../../model';
import { emailItems, LOCATION_POOL, orEmpty, phoneItems, socialItems, urlItems } from '../contact-points';
import { CUSTOM_SPECS, customValues } from '../custom-attributes';
import { EMPTY, PATHS, flat, frozenArr, resource, type Attrs } from '../json-api';
import type { OrgCtx } from '../org-context';
import { CO_A, CO_B, CO_C, LANGS } from '../text-pools';
import { iso } from '../time';

export interface CompanyInfo {
  id: string;
  name: string;
  rel: Relationship;
}

export interface CompanyParams {
  id: string;
  createdMs: number;
  updatedMs: number;
  importedMs: number | null;
  deletedMs: number | null;
}

export function buildCompany(ctx: OrgCtx, p: CompanyParams): Resource {
  const rng = ctx.rng;
  const name = flat(rng.pick(CO_A), ' ', rng.pick(CO_B), rng.pick(CO_C));
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'company';
  const domainCount = rng.weighted([0, 1, 2], [3, 6, 1]);
  const domains: Attrs[] = [];
  for (let i = 0; i < domainCount; i++) domains.push({ domain: i === 0 ? flat(slug, '.com') : flat(slug, '.', rng.pick(['de', 'fr', 'co.jp', 'io'])) });
  const updatedIso = iso(p.updatedMs);
  const modifiedIso = rng.chance(0.7) ? updatedIso : iso(Math.floor(rng.float(p.createdMs, p.updatedMs)));
  const agent = rng.pick(ctx.agents);
  const attrs: Attrs = {
    name,
    externalId: rng.chance(0.5) ? flat('cmp_', rng.hex(8)) : null,
    avatarUrl: rng.chance(0.3) ? flat('https://logo.example.com/', slug, '.png') : null,
    emails: orEmpty(emailItems(rng, `info.${slug}`, rng.weighted([0, 1, 2], [4, 5, 1]))),
    phones: orEmpty(phoneItems(rng, rng.weighted([0, 1, 2], [5, 4, 1]))),
    whatsapps: EMPTY,
    socials: orEmpty(socialItems(rng, `co.${slug}`, rng.weighted([0, 1, 2], [6, 3, 1]))),
    urls: orEmpty(urlItems(rng, `co.${slug}`, rng.weighted([0, 1], [4, 6]))),
    domains: orEmpty(domains),
    locations: rng.chance(0.5) ? frozenArr([rng.pick(LOCATION_POOL)]) : EMPTY,
    employeeCount: rng.chance(0.7) ? rng.weighted([rng.int(1, 50), rng.int(50, 1000), rng.int(1000, 200000)], [5, 3, 1]) : null,
    tags: rng.chance(0.3) && ctx.tagCombos.length > 0 ? rng.pick(ctx.tagCombos) : EMPTY,
    custom: customValues(rng, CUSTOM_SPECS.company, p.createdMs, p.updatedMs),
    defaultLang: rng.chance(0.6) ? rng.pick(LANGS) : null,
    rev: rng.int(1, 6),
    roleGroupVersions: EMPTY,
    deleted: p.deletedMs !== null,
    createdAt: iso(p.createdMs),
    updatedAt: updatedIso,
    modifiedAt: modifiedIso,
    importedAt: p.importedMs === null ? null : iso(p.importedMs),
  };
  if (p.deletedMs !== null) attrs.deletedAt = iso(p.deletedMs);
  const rels: Record<string, Relationship> = { org: ctx.orgRel, createdBy: agent.rel, modifiedBy: rng.chance(0.7) ? agent.rel : rng.pick(ctx.agents).rel };
  return resource('company', p.id, PATHS.company + p.id, attrs, rels);
}
