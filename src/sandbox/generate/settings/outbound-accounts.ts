/** Outbound accounts (the addresses the org sends from). Kustomer gives them no id; ours is internal. */
import type { Resource } from '../../model';
import { objectId } from '../../random';
import type { SettingsScope } from './scope';

export function buildOutboundAccounts(s: SettingsScope): Resource[] {
  const { rng, lo, orgOf } = s;
  const outboundAccounts: Resource[] = [];
  const obDefs: Array<[string, string, string, string, boolean]> = [
    ['email', 'Support', 'support@brand.example.com', 'postmark', false],
    ['email', 'Billing', 'billing@brand.example.com', 'gmail', true],
    ['sms', 'US SMS', '+15550109999', 'twilio', false],
    ['whatsapp', 'WhatsApp Business', '+15550108888', 'twilio_whatsapp', false],
  ];
  for (const [channel, name, account, app, alias] of obDefs) {
    // Kustomer returns no id for outbound accounts; the id here is internal (the server must not serve it).
    const id = objectId(rng, lo);
    outboundAccounts.push({ type: 'outbound_account', id, attributes: { channel, name, account, app, aliasUsername: alias }, relationships: orgOf() });
  }
  return outboundAccounts;
}
