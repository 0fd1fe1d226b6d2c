/** Request counters the control API and tests read: in total, by route, by status, 429s and searches. */

export interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimited: number;
  search: number;
}

const emptyStats = (): SandboxStats => ({ total: 0, byRoute: {}, byStatus: {}, rateLimited: 0, search: 0 });

export class RequestStats {
  private counters = emptyStats();

  /** A request as received (`routeKey`: the route's stats key, or `unknown`). */
  received(routeKey: string, isSearch: boolean): void {
    this.counters.total++;
    this.counters.byRoute[routeKey] = (this.counters.byRoute[routeKey] ?? 0) + 1;
    if (isSearch) this.counters.search++;
  }

  /** The status the request was answered with. */
  answered(status: number): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
    if (status === 429) this.counters.rateLimited++;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.counters = emptyStats();
  }
}
