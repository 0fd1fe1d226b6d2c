/**
 * Tie groups: customers whose updatedAt is one shared instant (a data import, bulk updates, many small ties), the
 * cases a keyset paginator must get right.
 */
import type { Rng } from '../../random';
import { DAY } from '../time';

export interface TieGroup {
  ms: number;
  kind: 'import' | 'bulk' | 'small';
}

/** Plans tie groups and assigns customers to them (index → group). */
export function planTies(rng: Rng, scale: number, A: number): { groups: TieGroup[]; groupOf: Int32Array } {
  const groups: TieGroup[] = [];
  const sizes: number[] = [];
  const lo = A - 400 * DAY;
  // Group instants are drawn inside the window (never clamped onto one edge, which would merge groups).
  const at = (minDaysAgo: number, maxDaysAgo: number): number =>
    Math.floor(rng.float(Math.max(A - maxDaysAgo * DAY, lo + 20 * DAY), A - minDaysAgo * DAY));
  // 1. A data import (migration): hundreds-to-thousands of customers share one updatedAt; at scale >= 1000 it is
  //    larger than a 500-record search page.
  groups.push({ ms: at(150, 330), kind: 'import' });
  sizes.push(scale >= 1000 ? Math.max(640, Math.round(scale * 0.025)) : Math.max(3, Math.round(scale * 0.05)));
  // 2. Bulk updates (business rules / bulk edits).
  for (const [frac, minD, maxD] of [[0.01, 20, 120], [0.005, 5, 60], [0.003, 1, 30], [0.003, 60, 200]] as const) {
    groups.push({ ms: at(minD, maxD), kind: 'bulk' });
    sizes.push(Math.max(2, Math.round(scale * frac)));
  }
  // 3. Many small ties (2-6 records sharing one millisecond).
  const nSmall = Math.max(3, Math.round(scale * 0.02));
  for (let i = 0; i < nSmall; i++) {
    groups.push({ ms: at(0.01, 390), kind: 'small' });
    sizes.push(rng.int(2, 6));
  }
  const groupOf = new Int32Array(scale).fill(-1);
  const order = rng.shuffle([...Array(scale).keys()]);
  let pos = 0;
  for (let g = 0; g < groups.length && pos < scale; g++) {
    const size = sizes[g] as number;
    for (let k = 0; k < size && pos < Math.floor(scale * 0.9); k++) groupOf[order[pos++] as number] = g;
  }
  return { groups, groupOf };
}
