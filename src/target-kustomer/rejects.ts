/**
 * Records that validation or Kustomer refused: one JSON line each in `rejected_records_path`
 * (`{"stream","record","error":{"code","message"}}`), logged on stderr, and counted against max_rejected_percent.
 */
import { appendFileSync } from 'node:fs';
import { InputError } from '../errors';
import type { Logger } from '../log';
import type { RecordError } from './desired';

/** Rejections beyond this many per stream are counted but no longer logged one by one. */
const LOGGED_PER_STREAM = 20;

export class Rejects {
  private readonly logged = new Map<string, number>();

  constructor(
    private readonly path: string | undefined,
    private readonly logger: Logger,
  ) {
    if (path) {
      try {
        appendFileSync(path, '');
      } catch (err) {
        throw new InputError(`rejected_records_path ${path} cannot be written: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }

  add(stream: string, record: Record<string, unknown>, error: RecordError): void {
    if (this.path) appendFileSync(this.path, JSON.stringify({ stream, record, error }) + '\n');
    const n = (this.logged.get(stream) ?? 0) + 1;
    this.logged.set(stream, n);
    if (n <= LOGGED_PER_STREAM) this.logger.warn(`stream ${stream}: record rejected: ${error.code}: ${error.message}`);
    else if (n === LOGGED_PER_STREAM + 1) this.logger.warn(`stream ${stream}: more records rejected; see the end table${this.path ? ` and ${this.path}` : ''}`);
  }
}
