/**
 * Reading Singer messages: one JSON object per line, as both targets (target-kustomer and tap-kustomer-duckdb) take
 * them on stdin. A bad line stops the run with one line that names it (`line 12: ...`), never a stack trace.
 *
 * Lines are split here rather than by `node:readline` or `ndjson`: neither reports line numbers with their parse
 * errors, readline also splits on a lone `\r`, and neither bounds a line, so input without a newline would grow one
 * string until the process dies.
 */
import { StringDecoder } from 'node:string_decoder';
import { InputError } from './errors';

/** A parsed Singer message: a JSON object with a string `type`; every other field is checked by its consumer. */
export type SingerMessage = Record<string, unknown> & { type: string };

export interface SingerLine {
  /** 1-based line number in the input (blank lines counted), for error messages. */
  lineNo: number;
  message: SingerMessage;
}

/** Longest line accepted (UTF-16 units). Far above any real record (Kustomer refuses bodies over 100 kB), and far
 * below V8's string limit (about 512 M), so an input without newlines ends with a clear error. */
export const DEFAULT_MAX_LINE_CHARS = 64 * 1024 * 1024;

/** A byte or string stream (stdin), or any iterable of chunks. */
export type Chunks = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** `text` cut to `max` characters, for quoting input in a one-line error. */
export function short(text: string, max = 120): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

function tooLong(lineNo: number, max: number): InputError {
  return new InputError(`line ${lineNo}: longer than ${max} characters; not a Singer message`);
}

/** Splits a byte or string stream into lines without their `\n` / `\r\n`; UTF-8 sequences may span chunks. */
export async function* readLines(input: Chunks, maxLineChars = DEFAULT_MAX_LINE_CHARS): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      lineNo++;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - start > maxLineChars) throw tooLong(lineNo, maxLineChars);
      yield text.slice(start, end);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    // Unfinished line: one more character may be the `\r` of a `\r\n`.
    if (rest.length > maxLineChars + 1) throw tooLong(lineNo + 1, maxLineChars);
  }
  rest += decoder.end();
  const last = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
  if (last.length > maxLineChars) throw tooLong(lineNo + 1, maxLineChars);
  if (rest.length) yield last;
}

/** `value` as a Singer message, or an InputError prefixed with `where` (e.g. `line 12`). */
export function singerMessage(value: unknown, where: string): SingerMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
    throw new InputError(`${where}: expected a JSON object with a "type"`);
  }
  return value as SingerMessage;
}

/**
 * The Singer messages of `input`, one per non-blank line, with their line numbers. The next line is read only when
 * the consumer asks for it, so a slow consumer holds the input back (backpressure). Throws InputError on a line that
 * is not JSON, not an object with a string `type`, or longer than `maxLineChars`.
 */
export async function* readSingerMessages(
  input: Chunks,
  maxLineChars = DEFAULT_MAX_LINE_CHARS,
): AsyncGenerator<SingerLine> {
  let lineNo = 0;
  for await (const line of readLines(input, maxLineChars)) {
    lineNo++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new InputError(`line ${lineNo}: not a JSON object: ${short(line, 80)}`);
    }
    yield { lineNo, message: singerMessage(parsed, `line ${lineNo}`) };
  }
}
