// GB18030 text, as panels write component descriptions. Both directions use tables built once from Node's own
// decoder (TextDecoder) over every two-byte (GBK) code: a lookup per character instead of a decoder call per field
// (five times faster on the hot path); four-byte sequences, rare in descriptions, still go through TextDecoder.

let table: Map<string, number> | null = null;
/** Two-byte code (lead << 8 | trail) -> UTF-16 code unit; 0: none. */
let reverse: Uint16Array | null = null;

function gbkTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  reverse = new Uint16Array(0x10000);
  const decoder = new TextDecoder('gb18030');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead; pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length !== 1 || ch === '\ufffd') continue;
      reverse[(lead << 8) | trail] = ch.charCodeAt(0);
      if (!table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  return table;
}

/** `text` in GB18030 (ASCII and the two-byte GBK range; anything else becomes `?`). */
export function encodeGb18030(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) { out.push(code); continue; }
    const gb = gbkTable().get(ch);
    if (gb === undefined) out.push(0x3f);
    else out.push(gb >> 8, gb & 0xff);
  }
  return Uint8Array.from(out);
}

const decoder = new TextDecoder('gb18030');

/** ASCII and two-byte GBK through the table; null at anything else (a four-byte sequence, an invalid byte). */
function decodeGbk(bytes: Uint8Array): string | null {
  gbkTable();
  const units: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) { units.push(b); continue; }
    const unit = i + 1 < bytes.length ? reverse![(b << 8) | bytes[i + 1]!]! : 0;
    if (unit === 0) return null;
    units.push(unit);
    i++;
  }
  return String.fromCharCode(...units);
}

/** A fixed-size text field: cut at the first NUL (what follows it is padding or garbage), trailing spaces dropped. */
export function decodeGb18030Field(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const text = nul < 0 ? bytes : bytes.subarray(0, nul);
  const decoded = decodeGbk(text) ?? decoder.decode(text);
  const last = decoded.charCodeAt(decoded.length - 1);
  return last === 0x20 || last === 0x3000 || last === 0x09 ? decoded.trimEnd() : decoded;
}
