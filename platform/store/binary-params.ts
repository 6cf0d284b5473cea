// Bulk parameters handed to PGlite in Postgres' binary form. PGlite writes a text parameter into its protocol buffer
// in JavaScript, a character at a time and twice (once to count its UTF-8 bytes), after its array serializer has
// quoted every element: 500 readings' arrays took ~1-2 ms of a ~8.5 ms statement (micro-bench). Arrays of text,
// integers, doubles and booleans, and jsonb, go over as bytes instead (Buffer writes are native), which Postgres reads
// with array_recv and jsonb_recv. Whatever these encoders do not take (a nested array, a number where text is
// expected, a fraction for an integer) goes the text way as before, and Postgres answers for it as before.
import type { SerializerOptions } from '@electric-sql/pglite';

type Element = 'text' | 'int8' | 'int4' | 'float8' | 'bool';

/** Array types by their OID: the element's kind, its OID and its size in bytes (text: its UTF-8 length). */
const ARRAYS: Record<number, { element: Element; oid: number; size: number }> = {
  1009: { element: 'text', oid: 25, size: 0 },
  1016: { element: 'int8', oid: 20, size: 8 },
  1007: { element: 'int4', oid: 23, size: 4 },
  1022: { element: 'float8', oid: 701, size: 8 },
  1000: { element: 'bool', oid: 16, size: 1 },
};
const JSONB = 3802;
/** jsonb's binary form: a version byte, then the JSON text. */
const JSONB_VERSION = 1;

const fits: Record<Element, (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  int8: (v) => Number.isSafeInteger(v),
  int4: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  float8: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
};

/**
 * A one-dimensional array in Postgres' binary form (ndim, has-null flag, element OID, length, lower bound 1, then each
 * element as its length and bytes, -1 for NULL), or null when an element is not of the kind the column takes.
 */
export function binaryArray(arrayOid: number, values: readonly unknown[]): Buffer | null {
  const type = ARRAYS[arrayOid];
  if (!type) return null;
  const ok = fits[type.element];
  let size = 20;
  let nulls = 0;
  for (const v of values) {
    if (v === null || v === undefined) { nulls = 1; size += 4; continue; }
    if (!ok(v)) return null;
    size += 4 + (type.element === 'text' ? Buffer.byteLength(v as string) : type.size);
  }
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt32BE(1, 0);
  at = buf.writeInt32BE(nulls, at);
  at = buf.writeInt32BE(type.oid, at);
  at = buf.writeInt32BE(values.length, at);
  at = buf.writeInt32BE(1, at);
  for (const v of values) {
    if (v === null || v === undefined) { at = buf.writeInt32BE(-1, at); continue; }
    switch (type.element) {
      case 'text': {
        const n = buf.write(v as string, at + 4);
        at = buf.writeInt32BE(n, at) + n;
        break;
      }
      case 'int8': at = buf.writeBigInt64BE(BigInt(v as number), buf.writeInt32BE(8, at)); break;
      case 'int4': at = buf.writeInt32BE(v as number, buf.writeInt32BE(4, at)); break;
      case 'float8': at = buf.writeDoubleBE(v as number, buf.writeInt32BE(8, at)); break;
      case 'bool': at = buf.writeUInt8(v ? 1 : 0, buf.writeInt32BE(1, at)); break;
    }
  }
  return buf;
}

/** jsonb in binary form: the version byte and the JSON text's UTF-8 bytes. */
export function binaryJsonb(json: string): Buffer {
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  buf[0] = JSONB_VERSION;
  buf.write(json, 1);
  return buf;
}

/**
 * PGlite's per-query serializers for these types, falling back to `text` (its own serializers) for what they do not
 * take. PGlite's type says a serializer returns a string; its bind message passes a Uint8Array on as a binary
 * parameter (format 1), which is what is relied on here (tests/store/binary-params.test.ts checks every type against
 * both adapters).
 */
export function binarySerializers(text: SerializerOptions): SerializerOptions {
  const out: SerializerOptions = {};
  for (const oid of Object.keys(ARRAYS).map(Number)) {
    const fallback = text[oid] ?? String;
    out[oid] = (v: unknown) => ((Array.isArray(v) && binaryArray(oid, v)) || fallback(v)) as string;
  }
  const json = text[JSONB] ?? JSON.stringify;
  out[JSONB] = (v: unknown) => binaryJsonb(typeof v === 'string' ? v : json(v)) as unknown as string;
  return out;
}
