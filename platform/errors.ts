// An error the caller caused: it carries the HTTP status, a stable code a program (and the dashboard, which words it
// in the viewer's language) can rely on, and an English message that says what was wrong for API users.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly fields?: readonly FieldProblem[],
    /** Stable code, e.g. `auth.wrong_credentials`; without one, the status's (statusCode()). */
    readonly code?: string,
    /** Values the dashboard needs to word the code (seconds to wait, a region code). */
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
  }
}

/** An HttpError with its own code (and what wording it needs). */
export function codedError(statusCode: number, code: string, message: string, params?: Record<string, string | number>): HttpError {
  return new HttpError(statusCode, message, undefined, code, params);
}

/** One bad field of a request, named as the 400s name it: `params.id`, `querystring.from`, `body.siteIds.1`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A 400 naming the field, in the message and in `fields`. */
export function badField(field: string, message: string): HttpError {
  return new HttpError(400, `${field}: ${message}`, [{ field, message }], 'invalid_field');
}

/** The code of an error that has none of its own: one per status. */
export function statusCode(status: number): string {
  return ({
    400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large',
    415: 'unsupported_type', 429: 'too_many_requests',
  } as Record<number, string>)[status] ?? (status >= 500 ? 'internal' : 'error');
}
