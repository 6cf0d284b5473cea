// An error the caller caused: it carries the HTTP status and a message that says what was wrong.
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}
