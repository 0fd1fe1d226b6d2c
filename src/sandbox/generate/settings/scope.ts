/** What every settings builder draws from: the seeded Rng, the org's time window and its relationship. */
import type { Relationship, Resource } from '../../model';
import { Rng } from '../../random';
import type { Attrs } from '../json-api';
import { iso } from '../time';

export interface SettingsScope {
  /** The org's main stream, shared by the builders of the first release (order matters: see index.ts). */
  rng: Rng;
  /**
   * A stream of the collection's own, seeded from the org's seed and `collection`. A builder added later draws only
   * from it: one more draw from `rng` would shift every later record (customers, conversations...) of every seed.
   */
  own: (collection: string) => Rng;
  /** The org's "now" (ms). */
  A: number;
  /** Settings records are created between `lo` (two years back) and `hi` (a day back). */
  lo: number;
  hi: number;
  /** A fresh `{org}` relationships object (records get their own container: some add keys to it). */
  orgOf: () => Record<string, Relationship>;
}

/** The scope once the users exist: most settings records are created by the owner or another agent. */
export interface StaffedScope extends SettingsScope {
  users: Resource[];
  /** `user` relationships, in the order of `users`. */
  userRels: Relationship[];
  /** The org owner (users[0]). */
  owner: Relationship;
}

export function settingsTimes(rng: Rng, lo: number, hi: number): { c: number; u: number; m: number } {
  const c = Math.floor(rng.float(lo, hi));
  const u = rng.chance(0.5) ? c : Math.floor(rng.float(c, hi));
  const m = rng.chance(0.7) ? u : Math.floor(rng.float(c, u));
  return { c, u, m };
}

export function stamp(t: { c: number; u: number; m: number }): Attrs {
  const u = iso(t.u);
  return { createdAt: iso(t.c), updatedAt: u, modifiedAt: t.m === t.u ? u : iso(t.m) };
}

/** `own` for an org seed: FNV-1a of the collection name mixed with the seed's first draw (the main stream is untouched). */
export function ownRng(seed: number): (collection: string) => Rng {
  const seedBits = new Rng(seed).u32();
  return (collection) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < collection.length; i++) h = Math.imul(h ^ collection.charCodeAt(i), 0x01000193);
    return new Rng((h ^ seedBits) >>> 0);
  };
}
