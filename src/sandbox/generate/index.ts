/**
 * Seeded generator of a realistic Kustomer org (see model.ts for the contract, kustomer-fields.md for the shapes).
 *
 * Everything is drawn from one `Rng(seed)` in a fixed order, so the same options give byte-identical data. Every
 * timestamp is at or before `anchor`. Memory: records share frozen pools (relationship objects, empty arrays,
 * tag/team arrays, sentiments, locations, change sets...) and nothing holds closures; so a shared value must be
 * REPLACED, never mutated in place (mutations/ follows that rule; frozen pools make a violation throw).
 *
 * Layout: `builders/` make one record of each core kind (exported here for mutations/ and the write API, which
 * create records with the same shapes); `settings/` make the settings collections, one file per collection;
 * `org/` tells the org's story (companies, tie groups, each customer's life, merges, archive, notifications, the
 * audit log); the remaining files are the shared pools and helpers those draw from.
 *
 * Shapes chosen where kustomer-fields.md marks the fact UNCONFIRMED (keep in sync with the schemas / README):
 *  - resource `type`s: customer_merge, conversation_time, draft, forward, sla_version, outbound_account,
 *    team_routing_setting, metadata, snooze, satisfaction, card, notification (conversation events are
 *    `customer_event` and spam senders `sender`, as in the published API document);
 *  - customer → company relationship key `company`; per-klass customer relationships `{links, meta:{kobject:true}}`;
 *  - messages carry `relationships.attachments {data:[...]}` whenever they have attachments (include= ignored);
 *  - forwards' `attachments` is an ARRAY of relationship objects (as LL's spec types it);
 *  - company `domains` items are `{domain}` objects (request-body shape), not strings;
 *  - metadata property `type` vocabulary: string/text/number/date/boolean/url/id; `enumeration` is a string array;
 *  - customer_merge `status`: completed/failed/pending; draft `status`: draft; presence: offline/online/away;
 *  - conversation event `type` = the object type (`conversation` / `message`);
 *  - satisfaction `questions[]` items `{id, type, prompt, options?}`; routing `capacity` `{email, chat, sms, voice}`;
 *  - snoozes use the documented `type`/`value` shape (never Fivetran's `time.*`);
 *  - self links of events `/v1/conversations/<cid>/events/<id>`, times `/v1/conversations/times/<id>`, SLA versions
 *    `/v1/slas/<slaId>/versions/<id>`, attachment `related` `/v1/attachments/<id>/download`;
 *  - notifications: `relationships.user` = the machine (API key) user;
 *  - outbound accounts: Kustomer sends no `id`; records here carry an internal id (Resource requires one) that the
 *    server must not serve.
 */
import type { GenerateOptions, SandboxData } from '../model';
import { Rng, objectId } from '../random';
import { forgetTagChanges } from './changes';
import { emptyData } from './empty-data';
import { PATHS, relTo } from './json-api';
import { ctxFromData } from './org-context';
import { genArchived } from './org/archived';
import { writeAuditLog } from './org/audit-history';
import { genCompanies } from './org/companies';
import { genCustomer } from './org/customer-life';
import type { Acc } from './org/life';
import { genMerges } from './org/merges';
import { genNotifications } from './org/notifications';
import { planTies, type TieGroup } from './org/ties';
import { touchUp } from './org/touch-ups';
import { buildSettings } from './settings';
import { DAY } from './time';

export { buildAudit } from './builders/audit';
export { buildCompany } from './builders/company';
export { buildConversation } from './builders/conversation';
export { buildCustomer, contactOf, drawIdentity, emptyActivity, type CustomerContact } from './builders/customer';
export { buildKObject } from './builders/kobject';
export { attachmentRels, buildAttachment, buildMessage, messageRef } from './builders/message';
export { buildNote } from './builders/note';
export { ConvRels, pooledChannels } from './conversation-rels';
export { emptyData } from './empty-data';
export { EMPTY, PATHS, flat, relTo, type Attrs } from './json-api';
export { ctxFromData, type Agent, type OrgCtx } from './org-context';
export { iso } from './time';

/** Generates the whole org; every step draws from the one `Rng(seed)`, in this order. */
export function generateData(opts: GenerateOptions): SandboxData {
  const rng = new Rng(opts.seed);
  const A = opts.anchor.getTime();
  forgetTagChanges();
  const scale = Math.max(1, Math.floor(opts.scale));
  const data = emptyData();

  const orgId = objectId(rng, A - 800 * DAY);
  buildSettings(data, opts.seed, rng, A, relTo('org', orgId, PATHS.org + orgId));
  const ctx = ctxFromData(data, rng);
  const companies = genCompanies(ctx, data, A, scale);

  const { groups, groupOf } = planTies(rng, scale, A);
  const acc: Acc = {
    data,
    force: { conversation: true, draft: true },
    audit: [],
    auditPCustomer: Math.min(0.3, 3000 / scale),
    auditPConversation: Math.min(0.2, 2000 / scale),
    kobjectsPerKlass: new Map(),
  };
  for (let i = 0; i < scale; i++) {
    const g = groupOf[i] as number;
    genCustomer(ctx, acc, A, g >= 0 ? (groups[g] as TieGroup) : null, companies);
  }

  touchUp(ctx, acc, A, scale);
  genMerges(ctx, data, A, scale);
  genArchived(ctx, data, A, Math.max(0, Math.floor(opts.archived ?? 0)));
  genNotifications(ctx, data, A);
  writeAuditLog(ctx, acc, A, scale);
  return data;
}
