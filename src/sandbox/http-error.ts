/**
 * A request the sandbox refuses. Every refusal (a bad query, search body, audit-log cursor or bulk submission, a
 * missing role, an unknown route) is one of these: the server answers `status` in the route's error shape, naming
 * `parameter` when one is at fault; anything else thrown is a 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}
