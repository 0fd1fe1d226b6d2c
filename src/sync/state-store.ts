import type { SingerWriter } from '../singer/writer';
import { readBookmark, withBookmark, withCurrentlySyncing, type BookmarkKind, type BookmarkKinds, type State } from '../singer/state';

/**
 * Holds the run's state and writes a STATE message whenever it changed (never twice the same). Bookmarks are read
 * and written by kind: a Replace stream's bookmark can never be handed to the keyset code, or the other way round.
 */
export class StateStore {
  private lastWritten = '';

  constructor(
    private state: State,
    private readonly writer: SingerWriter,
  ) {}

  get current(): State {
    return this.state;
  }

  get<K extends BookmarkKind>(kind: K, stream: string): BookmarkKinds[K] | undefined {
    return readBookmark(kind, stream, this.state.bookmarks[stream]);
  }

  set<K extends BookmarkKind>(_kind: K, stream: string, bookmark: BookmarkKinds[K]): void {
    this.state = withBookmark(this.state, stream, bookmark);
  }

  /** Applies a pure bookmark change (`withCursor`, `withMaxPositions`…) to a stream's bookmark of this kind. */
  update<K extends BookmarkKind>(kind: K, stream: string, change: (bm: BookmarkKinds[K] | undefined) => BookmarkKinds[K]): void {
    this.set(kind, stream, change(this.get(kind, stream)));
  }

  syncing(stream: string | null): void {
    this.state = withCurrentlySyncing(this.state, stream);
  }

  /** Writes STATE if anything changed since the last one; `force` re-emits (the incoming state at start). */
  emit(force = false): void {
    const text = JSON.stringify(this.state);
    if (!force && text === this.lastWritten) return;
    this.lastWritten = text;
    this.writer.state(this.state);
  }
}
