import { ExitCode, TapError } from '../errors';

/** 401: the key is bad, expired or revoked, or belongs to another region. Stops the whole sync. */
export class AuthError extends TapError {
  constructor(detail: string) {
    super(`Kustomer refused the API key (401): ${detail}`, ExitCode.auth);
    this.name = 'AuthError';
  }
}

/**
 * 403, or a 401 once the key has worked for another request (Kustomer's errors reference: a 401 "can be the result
 * of a missing role"): the key lacks a role. Fails the stream that needed it; the others go on.
 */
export class ForbiddenError extends TapError {
  constructor(
    readonly stream: string,
    readonly role: string | undefined,
    detail: string,
    readonly status: 401 | 403 = 403,
  ) {
    super(
      `stream ${stream}: Kustomer denied access (${status}${status === 401 ? ', though the API key works for other requests' : ''})${role ? `; the API key needs the role ${role}` : ''}${detail ? ` (${detail})` : ''}`,
      ExitCode.partial,
    );
    this.name = 'ForbiddenError';
  }
}

/** Any other answer that retrying cannot fix (400, 404, a response that is not what Kustomer documents). */
export class ApiError extends TapError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message, ExitCode.partial);
    this.name = 'ApiError';
  }
}

/** Retries exhausted on 429/5xx/timeouts/resets. */
export class UnavailableError extends TapError {
  constructor(message: string) {
    super(message, ExitCode.unavailable);
    this.name = 'UnavailableError';
  }
}

/** No connection to Kustomer for connect_retry_seconds (or its host does not exist): the whole run stops, exit 5. */
export class UnreachableError extends TapError {
  constructor(message: string) {
    super(message, ExitCode.unavailable);
    this.name = 'UnreachableError';
  }
}
