/**
 * Parses a JSON response body as its bytes arrive, without ever holding the whole body as one Buffer or string.
 *
 * A 500-record search page is 1.5 MB or more. Read whole, it costs a buffer, a (two-byte, as soon as one name has
 * an accent) string twice that size in V8's large-object space, which only a full GC frees, and a decode of the
 * whole page. Here the top-level object and the arrays directly under it (a list's `data`, `included`) are taken
 * apart in place, and every element, every other member value and every key is handed to the native `JSON.parse`
 * on its own: memory in flight is one element's bytes, the strings are small and short-lived, and the result is
 * exactly what `JSON.parse` of the whole body returns. Anything that is not well-formed JSON throws a SyntaxError
 * (each piece is checked by `JSON.parse`; the structure around the pieces is checked here).
 *
 * A caller that holds a list's records a while (search pages) may keep each element of the root object's `data`
 * as something else built from its bytes (see `dataElement`); every other value is exactly what `JSON.parse` returns.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const enum Expect {
  Root,
  KeyOrClose, // just after `{`
  Key, // after `,` in the object
  Colon,
  MemberValue,
  CommaOrCloseObject,
  ElementOrClose, // just after `[`
  Element, // after `,` in an array
  CommaOrCloseArray,
  Nothing, // the document is complete: only whitespace may follow
}

/** Where a finished piece goes. */
const enum Slot {
  Root,
  Key,
  Member,
  Element,
}

const enum Piece {
  Container, // `{...}` or `[...]`: ends at the matching close
  Text, // `"..."`: ends at the closing quote
  Scalar, // number, true, false, null: ends before the next delimiter or whitespace
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function unexpected(c: number): SyntaxError {
  return new SyntaxError(`Unexpected ${c < 0x20 || c > 0x7e ? `byte 0x${c.toString(16)}` : `'${String.fromCharCode(c)}'`} in JSON`);
}

/**
 * Turns one element of the root object's `data` array into what the parsed document holds in its place: `bytes` is
 * the element's JSON text (the callee's to keep: never a view of a chunk), `value` its `JSON.parse`.
 */
export type DataElement = (bytes: Buffer, value: unknown) => unknown;

export class JsonBodyParser {
  constructor(private readonly dataElement?: DataElement) {}

  private expect = Expect.Root;
  private bytes = 0;
  private root: unknown;
  private object: Record<string, unknown> | undefined;
  private array: unknown[] | undefined;
  /** Whether the array being filled is the root (else it is the value of `key` in the root object). */
  private arrayIsRoot = false;
  private key = '';

  // The piece being read: its kind, where it goes, and its bytes from earlier chunks.
  private inPiece = false;
  private piece = Piece.Scalar;
  private slot = Slot.Root;
  private pieces: Buffer[] = [];
  private pieceStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** True until the first byte arrives: an empty body is no document at all (not an error). */
  get empty(): boolean {
    return this.bytes === 0;
  }

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inPiece) {
        i = this.continuePiece(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      switch (this.expect) {
        case Expect.Root:
          if (c === OPEN_OBJECT) {
            this.root = this.object = {};
            this.expect = Expect.KeyOrClose;
          } else if (c === OPEN_ARRAY) {
            this.root = this.array = [];
            this.arrayIsRoot = true;
            this.expect = Expect.ElementOrClose;
          } else {
            this.startPiece(c, Slot.Root, i);
            continue; // the piece begins at this byte
          }
          break;
        case Expect.KeyOrClose:
        case Expect.Key:
          if (c === QUOTE) {
            this.startPiece(c, Slot.Key, i);
            continue;
          }
          if (c === CLOSE_OBJECT && this.expect === Expect.KeyOrClose) this.expect = Expect.Nothing;
          else throw unexpected(c);
          break;
        case Expect.Colon:
          if (c !== COLON) throw unexpected(c);
          this.expect = Expect.MemberValue;
          break;
        case Expect.MemberValue:
          if (c === OPEN_ARRAY) {
            this.array = [];
            this.arrayIsRoot = false;
            this.setMember(this.array);
            this.expect = Expect.ElementOrClose;
          } else {
            this.startPiece(c, Slot.Member, i);
            continue;
          }
          break;
        case Expect.CommaOrCloseObject:
          if (c === COMMA) this.expect = Expect.Key;
          else if (c === CLOSE_OBJECT) this.expect = Expect.Nothing;
          else throw unexpected(c);
          break;
        case Expect.ElementOrClose:
        case Expect.Element:
          if (c === CLOSE_ARRAY && this.expect === Expect.ElementOrClose) {
            this.closeArray();
          } else if (c === CLOSE_ARRAY || c === COMMA) {
            throw unexpected(c);
          } else {
            this.startPiece(c, Slot.Element, i);
            continue;
          }
          break;
        case Expect.CommaOrCloseArray:
          if (c === COMMA) this.expect = Expect.Element;
          else if (c === CLOSE_ARRAY) this.closeArray();
          else throw unexpected(c);
          break;
        case Expect.Nothing:
          throw unexpected(c);
      }
      i++;
    }
    // A piece that goes on in the next chunk keeps its bytes so far.
    if (this.inPiece && this.pieceStart < n) this.pieces.push(chunk.subarray(this.pieceStart));
    this.pieceStart = 0;
  }

  /** The parsed document; throws a SyntaxError if it is incomplete. */
  end(): unknown {
    if (this.inPiece && this.piece === Piece.Scalar && this.slot === Slot.Root) this.finishPiece(Buffer.alloc(0), 0);
    if (this.expect !== Expect.Nothing || this.inPiece) throw new SyntaxError('Unexpected end of JSON input');
    return this.root;
  }

  /** Starts a piece at `at` in the current chunk; `write` then scans it from there. */
  private startPiece(c: number, slot: Slot, at: number): void {
    this.inPiece = true;
    this.slot = slot;
    this.pieceStart = at;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.piece = c === OPEN_OBJECT || c === OPEN_ARRAY ? Piece.Container : c === QUOTE ? Piece.Text : Piece.Scalar;
  }

  /** Scans the current piece from `from`; returns where scanning stops (the chunk's end, or just past the piece). */
  private continuePiece(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    if (this.piece === Piece.Scalar) {
      for (; i < n; i++) {
        const c = chunk[i]!;
        if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === COLON || isWhitespace(c)) return this.finishPiece(chunk, i);
      }
      return n;
    }
    // A container ends where its depth returns to 0, a text at its closing quote; brackets inside strings and
    // escaped quotes do not count. The scan state survives a chunk boundary.
    const text = this.piece === Piece.Text;
    let depth = this.depth;
    let inString = this.inString;
    if (this.escaped && i < n) {
      // The previous chunk ended on a backslash inside a string: this byte is the escaped one.
      this.escaped = false;
      i++;
    }
    while (i < n) {
      if (inString) {
        // Most of a record's bytes are inside strings, where only a quote or a backslash matters: a tight loop.
        let c = chunk[i]!;
        while (c !== QUOTE && c !== BACKSLASH && ++i < n) c = chunk[i]!;
        if (i >= n) break;
        if (c === BACKSLASH) {
          if (i + 1 >= n) {
            this.escaped = true; // the escaped byte is the next chunk's first
            i = n;
            break;
          }
          i += 2;
          continue;
        }
        inString = false;
        i++;
        if (text) return this.finishPiece(chunk, i);
        continue;
      }
      const c = chunk[i++]!;
      if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return this.finishPiece(chunk, i);
    }
    this.depth = depth;
    this.inString = inString;
    return n;
  }

  /** The piece ends just before `end` in `chunk`: parse it and put it in its slot. */
  private finishPiece(chunk: Buffer, end: number): number {
    const tail = chunk.subarray(this.pieceStart, end);
    const keep = this.dataElement !== undefined && this.slot === Slot.Element && !this.arrayIsRoot && this.key === 'data';
    // A piece within one chunk is a view of it; one kept beyond this call gets its own bytes (a concat already is).
    const bytes = this.pieces.length === 0 ? (keep ? Buffer.from(tail) : tail) : Buffer.concat([...this.pieces, tail]);
    this.pieces.length = 0;
    this.inPiece = false;
    this.pieceStart = 0;
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    switch (this.slot) {
      case Slot.Root:
        this.root = value;
        this.expect = Expect.Nothing;
        break;
      case Slot.Key:
        this.key = value as string;
        this.expect = Expect.Colon;
        break;
      case Slot.Member:
        this.setMember(value);
        this.expect = Expect.CommaOrCloseObject;
        break;
      case Slot.Element:
        this.array!.push(keep ? this.dataElement!(bytes, value) : value);
        this.expect = Expect.CommaOrCloseArray;
        break;
    }
    return end;
  }

  private setMember(value: unknown): void {
    // `JSON.parse` makes `__proto__` an own property; a plain assignment would replace the prototype instead.
    if (this.key === '__proto__') Object.defineProperty(this.object, this.key, { value, enumerable: true, writable: true, configurable: true });
    else this.object![this.key] = value;
  }

  private closeArray(): void {
    this.array = undefined;
    this.expect = this.arrayIsRoot ? Expect.Nothing : Expect.CommaOrCloseObject;
  }
}
