/** The tag change one matched object needs under the stream's audience mode (none when it already complies). */
export function audienceTags(
  mode: 'add' | 'remove' | 'mirror' | undefined,
  tagId: string | undefined,
  current: string[],
): { tags: string[]; change: 'tagged' | 'untagged' } | undefined {
  if (!mode || !tagId) return undefined;
  const has = current.includes(tagId);
  if (mode === 'remove') return has ? { tags: current.filter((t) => t !== tagId), change: 'untagged' } : undefined;
  return has ? undefined : { tags: [...current, tagId], change: 'tagged' };
}
