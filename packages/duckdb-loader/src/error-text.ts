/** Error text fit for the one line a user sees. */

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.trim();
}

/** The first non-blank line of any thrown value's message (DuckDB's messages run over several lines). */
export function errorMessage(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}
