// Which store errors are about the data (retrying cannot help) and which are an outage (retrying will).

/**
 * True for an error that the same input will always cause: a PostgreSQL data exception (SQLSTATE class 22:
 * bad encoding, out-of-range values) or program limit (class 54), or a JavaScript RangeError / TypeError raised
 * while preparing the input. Connection failures, timeouts and shutdowns are not.
 */
export function isDataError(err: unknown): boolean {
  if (err instanceof RangeError || err instanceof TypeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
