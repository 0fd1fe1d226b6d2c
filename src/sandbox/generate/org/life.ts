/** State of the generation loop: the org-wide accumulator and the facts of the customer being generated. */
import type { Relationship, SandboxData } from '../../model';
import type { AuditInput } from '../builders/audit';
import type { CustomerActivity, CustomerContact } from '../builders/customer';
import type { ConvRels } from '../conversation-rels';
import type { Agent } from '../org-context';

/** Mutable state shared by the per-customer loop. */
export interface Acc {
  data: SandboxData;
  /** The first customer gets at least one of each child kind (a conversation with attachments, notes, times, a forward; a draft). */
  force: { conversation: boolean; draft: boolean };
  audit: AuditInput[];
  auditPCustomer: number;
  auditPConversation: number;
  kobjectsPerKlass: Map<string, number>;
}

/** The customer being generated, as its conversations see it. */
export interface CustomerLife {
  /** The org's "now" (ms). */
  A: number;
  /** Nothing of this customer happens after `bound` (its tie group's instant, or the anchor). */
  bound: number;
  /** Imported customers (a data migration): every record of theirs is stamped with `bound`. */
  imported: boolean;
  importedMs: number | null;
  contact: CustomerContact;
  act: CustomerActivity;
  channelsUsed: string[];
  /** The end of the latest conversation so far. */
  lastActivity: number;
}

/** One conversation being generated, as its children see it. */
export interface Thread {
  convId: string;
  convRel: Relationship;
  convStart: number;
  cr: ConvRels;
  channel: string;
  agent: Agent | null;
  /** Started by the agent (first message outbound). */
  outbound: boolean;
  subject: string | null;
  /** This conversation must have at least one of each child kind. */
  forceAll: boolean;
}
