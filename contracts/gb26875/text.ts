// GB18030 text, as panels write component descriptions. Node decodes it (TextDecoder); encoding, needed only by
// a device (the simulator, tests), uses a table built once by decoding every two-byte (GBK) code.

let table: Map<string, number> | null = null;

function gbkTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead; pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
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

/** A fixed-size text field: cut at the first NUL (what follows it is padding or garbage), trailing spaces dropped. */
export function decodeGb18030Field(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul)).replace(/[\s\u0000]+$/u, '');
}
