/**
 * An empty org: the generated org's settings (users, teams, klasses, custom attribute definitions, tags...) with no
 * customers, companies, conversations or anything hanging off them. It receives a round trip from another org.
 */
import type { SandboxData } from './model';

const EMPTIED = [
  'customers', 'conversations', 'messages', 'notes', 'companies', 'kobjects', 'conversationEvents', 'forwards', 'conversationTimes',
  'attachments', 'drafts', 'customerMerges', 'auditLogs',
] as const;

export function emptyOrg(data: SandboxData): SandboxData {
  for (const name of EMPTIED) data[name].length = 0;
  data.archived.customers.length = 0;
  data.archived.conversations.length = 0;
  return data;
}
