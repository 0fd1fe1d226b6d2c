import type { SingerWriter, JsonSchema } from '../singer/writer';
import { compileProjector, type ExtraReason, type Projector } from '../streams/projector';
import { EXTRA_COLUMN } from '../streams/schemas';
import type { Logger } from '../log';
import type { Resource } from '../kustomer-client/jsonapi';
import type { Source, StreamDef } from '../streams/kinds';

/**
 * One selected stream's side of stdout: its SCHEMA (once), its RECORDs (projected to the schema, versioned for
 * full-table streams) and its tombstones. Counters feed progress lines and record_count metrics.
 */
export class StreamOutput {
  private readonly project: Projector;
  private readonly hasDeletedAt: boolean;
  private schemaSent = false;
  version: number | undefined;
  records = 0;
  tombstones = 0;

  constructor(
    readonly def: StreamDef,
    readonly schema: JsonSchema,
    private readonly writer: SingerWriter,
    readonly replicationKey: string | undefined,
    /** The stream's schema before field selection (its deselected columns are dropped, not kept as extras). */
    declared: JsonSchema = schema,
    logger?: Logger,
  ) {
    const selected = (schema.properties ?? {}) as object;
    const deselected = new Set(Object.keys((declared.properties ?? {}) as object).filter((n) => !Object.prototype.hasOwnProperty.call(selected, n)));
    const keepsExtra = Object.prototype.hasOwnProperty.call(selected, EXTRA_COLUMN);
    const onExtra = logger ? (reason: ExtraReason, key: string, column: string) => logger.warn(extraWarning(def.name, reason, key, column, keepsExtra)) : undefined;
    this.project = compileProjector(schema, { aliases: def.aliases, deselected, onExtra });
    this.hasDeletedAt = Object.prototype.hasOwnProperty.call(schema.properties ?? {}, '_sdc_deleted_at');
  }

  get name(): string {
    return this.def.name;
  }

  sendSchema(): void {
    if (this.schemaSent) return;
    this.schemaSent = true;
    this.writer.schema(this.name, this.schema, [...this.def.keys], this.replicationKey ? [this.replicationKey] : undefined);
  }

  /** Emits a row; `deletedAt` marks a soft-deleted source record (it is sent, flagged, so targets can drop it). */
  record(row: Source, timeExtracted: string, deletedAt: string | null = null): void {
    this.emit(this.project(row), timeExtracted, deletedAt);
  }

  /** Emits a row built from layers (defaults, the row, overrides) without merging them first. */
  recordLayers(defaults: Source, row: Source, overrides: Source, timeExtracted: string): void {
    this.emit(this.project(row, defaults, overrides), timeExtracted, null);
  }

  /** Emits a JSON:API resource, projected in place (no flattened copy). */
  resource(res: Resource, timeExtracted: string, deletedAt: string | null = null): void {
    this.emit(this.project.resource(res), timeExtracted, deletedAt);
  }

  private emit(record: Record<string, unknown>, timeExtracted: string, deletedAt: string | null): void {
    if (this.hasDeletedAt) record._sdc_deleted_at = deletedAt;
    this.writer.record(this.name, record, timeExtracted, this.version);
    this.records++;
  }

  /** A RECORD that carries only the key and `_sdc_deleted_at`: the target deletes the row with that key. */
  tombstone(key: Source, deletedAt: string, timeExtracted: string): void {
    const record = this.project(key);
    record._sdc_deleted_at = deletedAt;
    this.writer.record(this.name, record, timeExtracted, this.version);
    this.tombstones++;
  }

  activateVersion(): void {
    if (this.version !== undefined) this.writer.activateVersion(this.name, this.version);
  }
}

/** One line per stream and attribute: what arrived, where its values go, and what the user can do about it. */
function extraWarning(stream: string, reason: ExtraReason, key: string, column: string, keepsExtra: boolean): string {
  const what =
    reason === 'undeclared'
      ? `stream ${stream}: Kustomer sent \`${key}\`, which the stream's schema does not declare`
      : reason === 'nested'
        ? `stream ${stream}: Kustomer sent ${key}, which the stream's schema does not declare (or whose type it cannot hold)`
        : `stream ${stream}: a value of \`${key}\` does not fit the type of column ${column}`;
  const where = keepsExtra
    ? `its values are kept in ${EXTRA_COLUMN} (JSON text) under "${column}"`
    : `its values are dropped because ${EXTRA_COLUMN} is not in the catalog (deselected, or the catalog predates it)`;
  return `${what}; ${where}. Run --discover again with the latest tap-kustomer, and if the column is still missing, report it so it gets one.`;
}
