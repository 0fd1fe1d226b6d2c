import type { StreamDef } from './kinds';

/**
 * The stream graph: which root's pass a stream rides on, and the replication that follows from it. Pure functions
 * of the rows, shared by discovery, the docs and the sync engine.
 */

/** The root whose pass carries this stream (itself for a root); an unknown parent is a bug in the table. */
export function rootOf(def: StreamDef, defs: readonly StreamDef[]): StreamDef {
  let current = def;
  while (current.kind === 'flatten' || current.kind === 'child') {
    const parentName: string = current.parent;
    const parent = defs.find((d) => d.name === parentName);
    if (!parent) throw new Error(`stream ${current.name}: unknown parent ${parentName}`);
    current = parent;
  }
  return current;
}

/** Replace families are FULL_TABLE; search families follow `updated_at`, the audit log `created_at`. */
export function replicationOf(def: StreamDef, defs: readonly StreamDef[]): { method: 'FULL_TABLE' | 'INCREMENTAL'; key?: string } {
  const root = rootOf(def, defs);
  if (root.kind === 'list') return { method: 'FULL_TABLE' };
  if (root.kind === 'audit') return { method: 'INCREMENTAL', key: 'created_at' };
  return { method: 'INCREMENTAL', key: 'updated_at' };
}
