import { aboutInfo, CAPABILITIES } from '../cli';
import { replicationOf, rootOf } from '../streams/graph';
import type { StreamDef } from '../streams/kinds';
import { STREAMS } from '../streams/table';

/**
 * Documentation generated from the code it documents: the README's stream tables and the Meltano example.
 * `npm run docs` rewrites them; tests fail when a committed copy is stale.
 */

function endpointOf(def: StreamDef): string {
  switch (def.kind) {
    case 'list':
      return typeof def.path === 'string'
        ? `\`GET ${def.path}${def.params ? '?' + new URLSearchParams(def.params as Record<string, string>).toString() : ''}\``
        : '`GET /v1/metadata/{resource}` per resource and klass';
    case 'search':
      return `\`POST /v1/customers/search\` (\`${def.queryContext}\`)`;
    case 'child':
      return `\`GET ${def.path('{id}')}\` per changed ${def.parent.replace(/s$/, '')}`;
    case 'flatten':
      return `nested in \`${def.parent}\` (no request)`;
    case 'audit':
      return `\`GET ${def.path}\` (cursor)`;
  }
}

function modeOf(def: StreamDef, defs: readonly StreamDef[]): string {
  const root = rootOf(def, defs);
  if (root.kind === 'list') return 'Replace';
  if (root.kind === 'audit') return 'Append';
  return 'Update';
}

function deletesOf(def: StreamDef, defs: readonly StreamDef[]): string {
  const root = rootOf(def, defs);
  if (root.kind === 'list') return 'ACTIVATE_VERSION: rows missing from the latest full read are dropped';
  if (root.kind === 'audit') return 'never deleted (append-only history; Kustomer expires entries)';
  if (def.kind === 'search') {
    return def.hardDeletes
      ? '`deleted` flag (search with `includeDeleted`) and audit-log `delete` events → tombstone; children cascade'
      : '`deleted` flag, and audit-log updates that set it → tombstone; children cascade';
  }
  if (def.kind === 'child') {
    return def.appendOnly
      ? 'with its parent (history never shrinks while the parent lives)'
      : 'position past the new end of a changed parent → tombstone; with its parent';
  }
  return def.kind === 'flatten' && def.positional ? 'position past the new end of a changed parent → tombstone; with its parent' : 'ACTIVATE_VERSION with its parent';
}

export function streamTableMarkdown(defs: readonly StreamDef[] = STREAMS): string {
  const rows = defs.map((d) => {
    const { key } = replicationOf(d, defs);
    const cost = d.kind === 'child' ? ' 1 request per changed parent; off by default.' : '';
    return `| \`${d.name}\` | ${modeOf(d, defs)} | ${endpointOf(d)} | ${d.keys.map((k) => `\`${k}\``).join(', ')} | ${key ? `\`${key}\`` : ''} | \`${d.role}\` | ${d.doc}.${cost} |`;
  });
  return ['| Stream | Mode | Endpoint | Key | Replication key | Role needed | Notes |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The settings table, from the same schema that validates config. */
export function settingsTableMarkdown(): string {
  const about = aboutInfo() as { settings: { properties: Record<string, SettingSchema>; required: string[] } };
  const rows = Object.entries(about.settings.properties).map(([name, s]) => {
    const type = s.enum ? s.enum.map((v) => `\`${v}\``).join(' \\| ') : (s.type ?? 'string');
    const dflt = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
    return `| \`${name}\` | ${type}${s.secret ? ' (secret)' : ''} | ${about.settings.required.includes(name) ? 'yes' : ''} | ${dflt} | ${s.description ?? ''} |`;
  });
  return ['| Setting | Type | Required | Default | Description |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function deleteTableMarkdown(defs: readonly StreamDef[] = STREAMS): string {
  const rows = defs.map((d) => `| \`${d.name}\` | ${deletesOf(d, defs)} |`);
  return ['| Stream | How deletes reach the warehouse |', '|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- BEGIN name -->` and `<!-- END name -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- BEGIN ${name} -->`;
  const end = `<!-- END ${name} -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${begin} … ${end} section`);
  return text.slice(0, i + begin.length) + '\n' + body + '\n' + text.slice(j);
}

/** Writes the table's stream count into the README's two promises of it ("all N Kustomer entities", "exactly the N streams"). */
export function withStreamCount(text: string, count: number = STREAMS.length): string {
  return text.replace(/all \d+ Kustomer entities/, `all ${count} Kustomer entities`).replace(/exactly the \d+ streams/, `exactly the ${count} streams`);
}

interface SettingSchema {
  type?: string;
  description?: string;
  secret?: boolean;
  enum?: string[];
  default?: unknown;
}

/** The Meltano custom-extractor definition, derived from `--about` so the two always agree. */
export function meltanoYaml(): string {
  const about = aboutInfo() as { settings: { properties: Record<string, SettingSchema>; required: string[] } };
  const kind = (s: SettingSchema) =>
    s.enum ? 'options' : s.type === 'integer' ? 'integer' : s.type === 'number' ? 'decimal' : s.type === 'boolean' ? 'boolean' : 'string';
  const q = (v: string) => JSON.stringify(v);
  const lines = [
    '# A Meltano project using tap-kustomer as a custom extractor (generated by `npm run docs` from `tap-kustomer --about`).',
    '# Install the tap first from its packed tarball (npm install -g ./tap-kustomer-<version>.tgz; see the README):',
    '# there is no pip_url, so Meltano runs the tap-kustomer found on PATH. (No `version:` key: Meltano 4 deprecates it.)',
    'default_environment: dev',
    'environments:',
    '- name: dev',
    'plugins:',
    '  extractors:',
    '  - name: tap-kustomer',
    '    namespace: tap_kustomer',
    '    executable: tap-kustomer',
    `    capabilities: [${CAPABILITIES.join(', ')}]`,
    '    settings_group_validation:',
    `    - [${about.settings.required.join(', ')}]`,
    '    settings:',
  ];
  for (const [name, s] of Object.entries(about.settings.properties)) {
    lines.push(`    - name: ${name}`);
    lines.push(`      kind: ${kind(s)}`);
    if (s.description) lines.push(`      description: ${q(s.description)}`);
    if (s.secret) lines.push('      sensitive: true');
    if (s.enum) {
      lines.push('      options:');
      for (const v of s.enum) lines.push(`      - {label: ${q(v)}, value: ${q(v)}}`);
    }
  }
  lines.push(
    '    select:',
    '    - customers.*',
    '    - conversations.*',
    '    - messages.*',
    '    - users.*',
    '    config:',
    '      start_date: "2024-01-01"',
    '  loaders:',
    '  - name: target-jsonl',
    '    variant: andyh1203',
    '    pip_url: target-jsonl',
    '',
  );
  return lines.join('\n');
}
