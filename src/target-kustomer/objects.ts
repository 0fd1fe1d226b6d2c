/**
 * The Kustomer objects a stream can write, and where each one's endpoints live (kustomer-write-api.md §2.4-§2.11).
 */
export type ObjectKind = 'customer' | 'company' | 'kobject';
export type MatchOn = 'external_id' | 'email' | 'name';

export interface ObjectType {
  kind: ObjectKind;
  /** customer, company or kobject.<klass>: also the /v1/metadata/<resource> name. */
  resource: string;
  klass?: string;
  /** Bulk create (POST) and bulk update (PUT) path. */
  bulkPath: string;
  /** Keys this object can be matched on, in the order used when a stream gives no match_on. */
  matchable: readonly MatchOn[];
  /** Role named when Kustomer answers 403. */
  writeRole: string;
}

export function objectType(object: string): ObjectType {
  if (object === 'customer') {
    return { kind: 'customer', resource: 'customer', bulkPath: '/v1/customers/bulk', matchable: ['external_id', 'email'], writeRole: 'org.permission.customer.update' };
  }
  if (object === 'company') {
    return { kind: 'company', resource: 'company', bulkPath: '/v1/companies/bulk', matchable: ['external_id', 'name'], writeRole: 'org.permission.company.update' };
  }
  const klass = object.slice('kobject.'.length);
  return {
    kind: 'kobject',
    resource: object,
    klass,
    bulkPath: `/v1/klasses/${encodeURIComponent(klass)}/bulk`,
    matchable: ['external_id'],
    writeRole: 'org.permission.kobject.update',
  };
}
