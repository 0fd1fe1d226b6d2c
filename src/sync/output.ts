import type { SingerWriter, JsonSchema } from '../singer/writer';
import { compileProjector, type Projector } from '../streams/projector';
import type { Resource } from '../http/jsonapi';
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
  ) {
    this.project = compileProjector(schema);
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
