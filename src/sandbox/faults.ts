/**
 * Fault rules: injected failures the tap must survive (bursty 429s, 5xx, dropped sockets, bad bodies, pagination
 * loops). Rules are checked in order; the first one that fires decides the request's fault.
 */
import { Rng } from './random';
import { z } from 'zod';

export const faultRuleSchema = z
  .object({
    /** Regular expression tested against the request path (without the query). */
    route: z.string().optional(),
    method: z.string().optional(),
    /** `exhaust`: another integration of the org has just used up the rate-limit window, so this request meets the
     *  limiter's own 429 (with whatever rate-limit headers the sandbox is set to send). */
    kind: z.enum(['status', 'reset', 'slow', 'malformed', 'truncated', 'emptySelfNext', 'exhaust']),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(401), z.literal(403)]).optional(),
    /** Delay of a `slow` fault (default 2000 ms). */
    ms: z.number().int().nonnegative().optional(),
    /** Skip the first N matching requests. */
    after: z.number().int().nonnegative().optional(),
    /** Fire on N matching requests, then stop (default: unlimited). */
    times: z.number().int().nonnegative().optional(),
    /** Fire with this probability (seeded, so runs repeat). */
    probability: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'status' || r.status !== undefined, { message: "a 'status' fault needs `status`" })
  .refine((r) => r.route === undefined || compiles(r.route), { message: '`route` must be a valid regular expression' });

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export type FaultRule = z.infer<typeof faultRuleSchema>;
export const faultRulesSchema = z.array(faultRuleSchema);

/** Fault probabilities and latency jitter repeat for a given seed (the sandbox's one PRNG). */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

interface ArmedRule {
  rule: FaultRule;
  pattern: RegExp | null;
  seen: number;
  fired: number;
}

export class FaultInjector {
  private rules: ArmedRule[] = [];

  constructor(private readonly random: () => number) {}

  /** Replaces every rule (validated by faultRuleSchema); counters start again from zero. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, pattern: rule.route ? new RegExp(rule.route) : null, seen: 0, fired: 0 }));
  }

  /** The fault to apply to this request, if any (`kinds`: consider only rules of these kinds). */
  pick(method: string, path: string, kinds?: ReadonlyArray<FaultRule['kind']>): FaultRule | null {
    for (const armed of this.rules) {
      const { rule } = armed;
      if (kinds !== undefined ? !kinds.includes(rule.kind) : rule.kind === 'exhaust') continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (armed.pattern && !armed.pattern.test(path)) continue;
      armed.seen++;
      if (armed.seen <= (rule.after ?? 0)) continue;
      if (rule.times !== undefined && armed.fired >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      armed.fired++;
      return rule;
    }
    return null;
  }
}
