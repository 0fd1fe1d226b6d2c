/** Custom attributes, typed by Kustomer's key suffixes (`Str`, `Num`, `At`...), and the values records draw from them. */
import type { Rng } from '../random';
import { EMPTY_OBJ, type Attrs } from './json-api';
import { iso } from './time';

export interface CustomSpec {
  key: string;
  /** Presence probability on a record (absent keys are normal: Kustomer only stores set values). */
  p: number;
  values?: readonly string[];
  min?: number;
  max?: number;
  int?: boolean;
  enumeration?: boolean;
}

export const CUSTOM_SPECS: Record<string, readonly CustomSpec[]> = {
  customer: [
    { key: 'loyaltyTierStr', p: 0.7, values: ['bronze', 'silver', 'gold', 'platinum'], enumeration: true },
    { key: 'lifetimeValueNum', p: 0.6, min: 0, max: 25000 },
    { key: 'lastOrderAt', p: 0.5 },
    { key: 'vipBool', p: 0.55 },
    { key: 'shopifyCustomerIdNum', p: 0.4, min: 1000000000, max: 9999999999, int: true },
    { key: 'preferencesTxt', p: 0.1, values: ['Prefers email.\nNo calls after 6pm.', 'Allergic to latex — ship nitrile gloves 🧤', 'Wholesale account\nNet 30'] },
    { key: 'profileUrl', p: 0.3, values: ['https://shop.example.com/account', 'https://crm.example.com/c/8812', 'https://example.com/u/ñandú'] },
  ],
  company: [
    { key: 'industryStr', p: 0.8, values: ['retail', 'software', 'hospitality', 'logistics', 'healthcare', 'café & bakery'], enumeration: true },
    { key: 'annualRevenueNum', p: 0.5, min: 50000, max: 90000000 },
    { key: 'contractRenewalAt', p: 0.4 },
    { key: 'enterpriseBool', p: 0.6 },
    { key: 'websiteUrl', p: 0.5, values: ['https://example.com', 'https://acme.example', 'https://münchen.example.de'] },
  ],
  conversation: [
    { key: 'orderNumberStr', p: 0.45, values: ['#10234', '#10442', 'SO-99812', '#10293', 'ORD-ß-17'] },
    { key: 'contactReasonStr', p: 0.6, values: ['shipping', 'refund', 'exchange', 'account', 'product question', 'other'], enumeration: true },
    { key: 'refundAmountNum', p: 0.2, min: 1, max: 900 },
    { key: 'escalatedBool', p: 0.3 },
    { key: 'followUpAt', p: 0.15 },
    { key: 'summaryTxt', p: 0.1, values: ['Customer wants a refund.\nApproved.', 'Exchange size M → L', '配送遅延のお詫び'] },
  ],
  message: [
    { key: 'campaignStr', p: 0.05, values: ['spring-sale', 'winback-q3', 'nps-2024'] },
    { key: 'botConfidenceNum', p: 0.05, min: 0, max: 1 },
  ],
  note: [{ key: 'categoryStr', p: 0.3, values: ['billing', 'shipping', 'fraud', 'feedback'] }],
  user: [
    { key: 'employeeIdStr', p: 0.8, values: ['E-1001', 'E-1002', 'E-2040', 'C-0007'] },
    { key: 'hireDateAt', p: 0.6 },
  ],
  'kobject.ecomm-order': [
    { key: 'orderNumberStr', p: 1, values: ['#10234', '#10442', '#10293', '#11001', '#11077'] },
    { key: 'totalNum', p: 0.95, min: 5, max: 1500 },
    { key: 'currencyStr', p: 0.9, values: ['USD', 'EUR', 'GBP', 'JPY', 'BRL'] },
    { key: 'orderedAt', p: 0.95 },
    { key: 'fulfilledBool', p: 0.8 },
    { key: 'trackingUrl', p: 0.5, values: ['https://track.example.com/1Z999AA10123456784', 'https://tracking.example.jp/追跡/123'] },
    { key: 'itemsTxt', p: 0.4, values: ['1 × Classic Tee (M)\n2 × Socks', 'Café Mug ☕', '1 × Gift card'] },
  ],
  'kobject.return': [
    { key: 'rmaNumberStr', p: 1, values: ['RMA-001', 'RMA-017', 'RMA-230', 'RMA-ß1'] },
    { key: 'reasonStr', p: 0.9, values: ['damaged', 'wrong size', 'changed mind', 'late delivery'], enumeration: true },
    { key: 'refundNum', p: 0.7, min: 5, max: 600 },
    { key: 'receivedAt', p: 0.5 },
    { key: 'restockBool', p: 0.6 },
  ],
  'kobject.subscription': [
    { key: 'planStr', p: 1, values: ['monthly', 'quarterly', 'annual', 'coffee-club ☕'] },
    { key: 'mrrNum', p: 0.9, min: 5, max: 250 },
    { key: 'renewsAt', p: 0.8 },
    { key: 'activeBool', p: 0.95 },
    { key: 'manageUrl', p: 0.4, values: ['https://shop.example.com/subscriptions/manage'] },
  ],
};

/** A metadata property that was deleted: it stays in the metadata document (with deletedAt) but no record has it. */
export const DELETED_CUSTOM_KEY = 'legacyPlanStr';

export const SUFFIX_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['Str', 'string'], ['Txt', 'text'], ['Num', 'number'], ['At', 'date'], ['Bool', 'boolean'], ['Url', 'url'], ['Id', 'id'],
];

export function suffixOf(key: string): string {
  for (const [suf] of SUFFIX_TYPES) if (key.endsWith(suf)) return suf;
  return 'Str';
}

export function displayNameOf(key: string): string {
  const base = key.slice(0, key.length - suffixOf(key).length);
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Custom attribute values for one record; `lo`/`hi` bound the `At` values. */
export function customValues(rng: Rng, specs: readonly CustomSpec[] | undefined, lo: number, hi: number): Attrs {
  if (!specs || specs.length === 0) return EMPTY_OBJ;
  let out: Attrs | undefined;
  for (const s of specs) {
    if (!rng.chance(s.p)) continue;
    out ??= {};
    if (rng.chance(0.04)) {
      out[s.key] = null;
      continue;
    }
    const suf = suffixOf(s.key);
    let v: unknown;
    if (suf === 'Num') {
      const x = rng.float(s.min ?? 0, s.max ?? 1000);
      v = s.int ? Math.floor(x) : Math.round(x * 100) / 100;
    } else if (suf === 'At') {
      v = iso(Math.floor(rng.float(lo, Math.max(lo, hi))));
    } else if (suf === 'Bool') {
      v = rng.chance(0.4);
    } else {
      v = s.values ? rng.pick(s.values) : 'value';
    }
    out[s.key] = v;
  }
  return out ?? EMPTY_OBJ;
}
