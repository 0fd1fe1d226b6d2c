import type { SingerWriter } from '../singer/writer';
import { withBookmark, withCurrentlySyncing, type Bookmark, type State } from '../singer/state';

/** Holds the run's state and writes a STATE message whenever it changed (never twice the same). */
export class StateStore {
  private lastWritten = '';

  constructor(
    private state: State,
    private readonly writer: SingerWriter,
  ) {}

  get current(): State {
    return this.state;
  }

  bookmark(stream: string): Bookmark | undefined {
    return this.state.bookmarks[stream];
  }

  set(stream: string, bookmark: Bookmark): void {
    this.state = withBookmark(this.state, stream, bookmark);
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
