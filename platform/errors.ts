// An error the caller caused: it carries the HTTP status and a message that says what was wrong.
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string, readonly fields?: readonly FieldProblem[]) {
    super(message);
  }
}

/** One bad field of a request, named as the 400s name it: `params.id`, `querystring.from`, `body.siteIds.1`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A 400 naming the field, in the message and in `fields`. */
export function badField(field: string, message: string): HttpError {
  return new HttpError(400, `${field}: ${message}`, [{ field, message }]);
}
