// JSON wire format: the only codec of Device API v1. Besides JSON itself it refuses what a database
// cannot keep (invalid UTF-8, NUL, lone surrogates, absurd nesting), so whatever it passes can be stored.
import { UNSTORABLE_TEXT } from '../../contracts/device-api.js';

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

/** Device payloads are flat records; anything deeper is garbage (and would strain jsonb and the rules). */
export const MAX_DEPTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeJson(payload: Buffer, maxBytes: number): Decoded {
  if (payload.length > maxBytes) return { ok: false, reason: `oversize: ${payload.length} bytes > ${maxBytes}` };
  if (payload.length === 0) return { ok: false, reason: 'empty payload' };
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { ok: false, reason: 'not UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (plainlyStorable(text)) return { ok: true, value };
  const problem = unstorable(value, '', 0);
  return problem ? { ok: false, reason: problem } : { ok: true, value };
}

/**
 * Whether JSON text that parsed is storable without walking what it parsed to (the walk cost more than the parse for
 * a reading). Valid UTF-8 holds no surrogates, and JSON holds no raw NUL in a string, so NUL and unpaired surrogates
 * can only come from `\u` escapes; and fewer brackets than MAX_DEPTH cannot nest deeper than it.
 */
function plainlyStorable(text: string): boolean {
  if (text.includes('\\u')) return false;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x7b || c === 0x5b) && ++brackets >= MAX_DEPTH) return false;
  }
  return true;
}

/** Where `value` holds something that cannot be stored, as `path: what`; null when it is all storable. */
function unstorable(value: unknown, path: string, depth: number): string | null {
  const at = path || '(root)';
  if (typeof value === 'string') return UNSTORABLE_TEXT.test(value) ? `${at}: NUL or unpaired surrogate in text` : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH) return `${at}: nested deeper than ${MAX_DEPTH} levels`;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    if (UNSTORABLE_TEXT.test(key)) return `${at}: NUL or unpaired surrogate in a key`;
    const problem = unstorable(v, path ? `${path}.${key}` : key, depth + 1);
    if (problem) return problem;
  }
  return null;
}
