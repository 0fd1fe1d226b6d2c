/**
 * A request the sandbox refuses. Every refusal (a bad query, search body, audit-log cursor or bulk submission, a
 * missing role, an unknown route) is one of these: the server answers `status` in the route's error shape, naming
 * `parameter` when one is at fault; anything else thrown is a 500.
 */
/** A plain JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request body as JSON, or the 400 every write, search and control endpoint answers for one that is not. */
export function parseJsonBody(text: string, parameter?: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', parameter);
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}
