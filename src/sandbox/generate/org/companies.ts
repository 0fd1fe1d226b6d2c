/** The org's companies (≈ scale/8); some imported together (one shared timestamp), a few soft-deleted. */
import type { SandboxData } from '../../model';
import { objectId } from '../../random';
import { buildCompany, type CompanyInfo } from '../builders/company';
import { PATHS, relTo } from '../json-api';
import type { OrgCtx } from '../org-context';
import { DAY } from '../time';

/** Generates the companies into `data` and returns the live ones (customers are linked to those). */
export function genCompanies(ctx: OrgCtx, data: SandboxData, A: number, scale: number): CompanyInfo[] {
  const rng = ctx.rng;
  const nCompanies = Math.max(2, Math.round(scale / 8));
  const companyImportMs = Math.floor(A - rng.float(200, 380) * DAY);
  const companies: CompanyInfo[] = [];
  for (let i = 0; i < nCompanies; i++) {
    const importedTogether = rng.chance(0.2);
    const c = importedTogether ? Math.floor(rng.float(A - 400 * DAY, companyImportMs)) : Math.floor(rng.float(A - 400 * DAY, A - DAY));
    const u = importedTogether ? companyImportMs : rng.chance(0.4) ? c : Math.floor(rng.float(c, A));
    const deleted = i === 1 || rng.chance(0.03) ? u : null;
    const id = objectId(rng, importedTogether ? companyImportMs : c);
    const res = buildCompany(ctx, { id, createdMs: c, updatedMs: u, importedMs: importedTogether ? companyImportMs : null, deletedMs: deleted });
    data.companies.push(res);
    if (deleted === null) companies.push({ id, name: String(res.attributes.name), rel: relTo('company', id, PATHS.company + id) });
  }
  return companies;
}
