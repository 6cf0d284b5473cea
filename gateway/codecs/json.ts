// JSON wire format: the only codec of Device API v1.
export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

export function decodeJson(payload: Buffer, maxBytes: number): Decoded {
  if (payload.length > maxBytes) return { ok: false, reason: `oversize: ${payload.length} bytes > ${maxBytes}` };
  if (payload.length === 0) return { ok: false, reason: 'empty payload' };
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
}
