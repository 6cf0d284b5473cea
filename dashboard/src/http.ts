// One HTTP exchange with the platform, without the session: failures become an ApiError with the server's message.

/** A failed API call. status 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error body as parsed JSON (e.g. the import's `rows`), or null. */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** fetch, with a network failure as ApiError(0) and an answer other than 2xx as ApiError(status, the server's message). */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    // The caller's abort stays an abort; a timeout (TimeoutError) is the server not answering.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, '');
  }
  noteServerClock(response);
  if (!response.ok) {
    const body = await readJson(response);
    throw new ApiError(response.status, messageOf(body), body);
  }
  return response;
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function messageOf(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && 'message' in payload) {
    const { message } = payload as { message: unknown };
    if (typeof message === 'string') return message;
  }
  return '';
}

// Token expiry times are the server's; a duty-room PC's clock can be minutes off. Each answer's Date header
// (whole seconds) tells the offset; the end of that second is taken, so an expiry is never thought further away.
let serverOffsetMs = 0;

/** Now, by the platform's clock (ms since the epoch). */
export function serverNow(): number {
  return Date.now() + serverOffsetMs;
}

function noteServerClock(response: Response): void {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) serverOffsetMs = date + 1000 - Date.now();
}
