/**
 * Shared relationship containers (frozen): every child of one conversation written by the same user has the same
 * `relationships` object, which keeps 100k-customer orgs lean. Mutations replace containers, never edit them.
 */
import type { Relationship } from '../model';
import { frozenArr } from './json-api';
import type { Agent, OrgCtx } from './org-context';

export type Rels = Record<string, Relationship>;

export class ConvRels {
  private byAgent = new Map<Agent, Rels>();
  private timesByAgent = new Map<Agent, Rels>();
  private inbound?: Rels;

  constructor(
    private readonly ctx: OrgCtx,
    readonly customerRel: Relationship,
    readonly conversationRel: Relationship,
  ) {}

  /** `{org, createdBy, modifiedBy, customer, conversation}` (events, notes, outbound messages). */
  agent(a: Agent): Rels {
    let r = this.byAgent.get(a);
    if (!r) {
      r = Object.freeze({ org: this.ctx.orgRel, createdBy: a.rel, modifiedBy: a.rel, customer: this.customerRel, conversation: this.conversationRel });
      this.byAgent.set(a, r);
    }
    return r;
  }

  /** `{org, customer, conversation}` (inbound messages). */
  in(): Rels {
    this.inbound ??= Object.freeze({ org: this.ctx.orgRel, customer: this.customerRel, conversation: this.conversationRel });
    return this.inbound;
  }

  /** `{org, customer, conversation, createdBy}` (conversation times). */
  times(a: Agent): Rels {
    let r = this.timesByAgent.get(a);
    if (!r) {
      r = Object.freeze({ org: this.ctx.orgRel, customer: this.customerRel, conversation: this.conversationRel, createdBy: a.rel });
      this.timesByAgent.set(a, r);
    }
    return r;
  }
}

const channelPool = new Map<string, readonly string[]>();
export function pooledChannels(channels: string[]): readonly string[] {
  const key = channels.join(',');
  let v = channelPool.get(key);
  if (!v) {
    v = frozenArr([...channels]);
    channelPool.set(key, v);
  }
  return v;
}
