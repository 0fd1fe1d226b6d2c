import { isStreamSelected, type CatalogEntry } from '../singer/catalog';

/**
 * The start-of-run line that says which streams will sync and why: chosen in the catalog (`selected: true`, in
 * metadata or Meltano's legacy top-level key), or selected by default because the catalog leaves them unset.
 * Without a catalog every default stream syncs; that is said too, so nobody wonders where a table came from.
 */
export function selectionReport(entries: readonly CatalogEntry[], fromCatalog: boolean): string {
  const chosen: string[] = [];
  const byDefault: string[] = [];
  for (const entry of entries) {
    if (!isStreamSelected(entry)) continue;
    const name = entry.tap_stream_id ?? entry.stream;
    (explicitlySelected(entry) ? chosen : byDefault).push(name);
  }
  const count = chosen.length + byDefault.length;
  if (!fromCatalog) return `no --catalog: syncing the ${count} streams selected by default: ${byDefault.join(', ')}`;
  const parts: string[] = [];
  if (chosen.length) parts.push(`${chosen.length} selected in the catalog (${chosen.join(', ')})`);
  if (byDefault.length) parts.push(`${byDefault.length} selected by default because the catalog leaves them unset (${byDefault.join(', ')})`);
  return `syncing ${count} streams: ${parts.join('; ') || 'none'}`;
}

function explicitlySelected(entry: CatalogEntry): boolean {
  const root = entry.metadata?.find((m) => m.breadcrumb.length === 0)?.metadata as Record<string, unknown> | undefined;
  return root?.selected === true || (typeof root?.selected !== 'boolean' && entry.selected === true);
}
