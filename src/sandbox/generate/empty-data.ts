/** An org with nothing in it: every collection empty. */
import type { SandboxData } from '../model';

export function emptyData(): SandboxData {
  return {
    customers: [],
    conversations: [],
    messages: [],
    notes: [],
    companies: [],
    kobjects: [],
    archived: { customers: [], conversations: [] },
    klasses: [],
    users: [],
    teams: [],
    tags: [],
    brands: [],
    schedules: [],
    cards: [],
    notifications: [],
    outboundAccounts: [],
    queues: [],
    slas: [],
    slaVersions: [],
    satisfactions: [],
    shortcuts: [],
    snoozes: [],
    spamSenders: [],
    routingSettings: [],
    metadata: [],
    conversationEvents: [],
    forwards: [],
    conversationTimes: [],
    attachments: [],
    drafts: [],
    customerMerges: [],
    auditLogs: [],
  };
}
