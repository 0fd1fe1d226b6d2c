/**
 * Everything human-readable goes to stderr (stdout carries only Singer messages). Text by default, JSON lines on
 * request; Singer METRIC lines follow the `INFO METRIC: {...}` convention that Singer tooling parses.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level: LogLevel;
  format: 'text' | 'json';
  /** Strings that must never be printed (the API key); replaced by `***`. */
  secrets: string[];
  write?: (line: string) => void;
}

export class Logger {
  private readonly write: (line: string) => void;

  constructor(private readonly opts: LoggerOptions) {
    this.write = opts.write ?? ((line) => process.stderr.write(line + '\n'));
  }

  addSecret(secret: string): void {
    if (secret.length >= 4) this.opts.secrets.push(secret);
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }

  /** A Singer metric: `counter` (record_count) or `timer` (http_request_duration, seconds). */
  metric(type: 'counter' | 'timer', metric: string, value: number, tags: Record<string, unknown>): void {
    if (RANK.info < RANK[this.opts.level]) return;
    const body = { type, metric, value, tags };
    // In JSON, a metric line is a log line like any other (level, ts, logger_name, message) plus the metric itself.
    if (this.opts.format === 'json') this.emit(this.jsonLine('info', `METRIC: ${JSON.stringify(body)}`, { metric: body }));
    else this.emit(`INFO METRIC: ${JSON.stringify(body)}`);
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < RANK[this.opts.level]) return;
    if (this.opts.format === 'json') {
      this.emit(this.jsonLine(level, msg, fields));
    } else {
      const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
      this.emit(`${level.toUpperCase()} ${msg}${extra}`);
    }
  }

  /** Every JSON line has the same fields, whatever it reports. */
  private jsonLine(level: LogLevel, message: string, fields?: Record<string, unknown>): Record<string, unknown> {
    return { level, ts: new Date().toISOString(), logger_name: 'tap-kustomer', message, ...fields };
  }

  private emit(line: string | Record<string, unknown>): void {
    let text = typeof line === 'string' ? line : JSON.stringify(line);
    for (const secret of this.opts.secrets) if (text.includes(secret)) text = text.split(secret).join('***');
    this.write(text);
  }
}

export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? 'info').toLowerCase();
  if (v === 'debug' || v === 'info' || v === 'warn' || v === 'error') return v;
  if (v === 'warning') return 'warn';
  throw new Error(`unknown log level ${JSON.stringify(value)} (debug, info, warn, error)`);
}
