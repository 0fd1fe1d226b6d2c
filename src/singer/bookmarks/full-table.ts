import * as z from '../../lean-zod';

/**
 * The bookmark of a Replace stream (full table every run): the version its records carry, and whether the run that
 * started it finished. A run killed half-way resumes under the same version, so ACTIVATE_VERSION at its end still
 * drops every row of older versions.
 */
export const FullTableBookmarkSchema = z.object({
  version: z.number().int().positive(),
  complete: z.boolean(),
});
export type FullTableBookmark = z.infer<typeof FullTableBookmarkSchema>;

/**
 * The version a run syncs under: an unfinished run's own (resumed), else a new one. ACTIVATE_VERSION goes out only
 * after the table was read in full, never first, so a failed run leaves the warehouse's rows as they were.
 */
export function fullTableVersion(bm: FullTableBookmark | undefined, now: number): { version: number } {
  if (bm !== undefined && !bm.complete) return { version: bm.version }; // resume
  return { version: now };
}

export function fullTableStarted(version: number): FullTableBookmark {
  return { version, complete: false };
}

export function fullTableCompleted(version: number): FullTableBookmark {
  return { version, complete: true };
}
