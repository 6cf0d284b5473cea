// The PROXY protocol header (HAProxy's `send-proxy` / `send-proxy-v2`, versions 1 and 2) that a TCP proxy puts in
// front of a connection to say whose it is: behind HAProxy every device would otherwise come from HAProxy's address,
// and the per-address limits (unsigned connections, refused sign-ins) would count a whole province as one host.
// Pure: what the first bytes of a connection say.

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ');
const V1_MAX_BYTES = 107;
const V2_FIXED_BYTES = 16;

export type ProxyHeader =
  /** Too few bytes yet to tell. */
  | { kind: 'incomplete' }
  /** No header: the connection's first bytes are its own (MQTT, GB/T 26875.3). */
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  /** A header of `length` bytes; `address` null when it names none (v1 UNKNOWN, v2 LOCAL: the proxy's own check). */
  | { kind: 'header'; length: number; address: string | null };

export function parseProxyHeader(bytes: Buffer): ProxyHeader {
  if (startsWith(bytes, V2_SIGNATURE)) return parseV2(bytes);
  if (startsWith(bytes, V1_PREFIX)) return parseV1(bytes);
  // the first bytes of either may still become one
  const beginning = (prefix: Buffer) => bytes.length < prefix.length && prefix.subarray(0, bytes.length).equals(bytes);
  return beginning(V2_SIGNATURE) || beginning(V1_PREFIX) ? { kind: 'incomplete' } : { kind: 'none' };
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

// "PROXY TCP4 192.0.2.1 198.51.100.1 56324 1883\r\n" or "PROXY UNKNOWN ...\r\n"
function parseV1(bytes: Buffer): ProxyHeader {
  const end = bytes.indexOf('\r\n');
  if (end < 0) return bytes.length >= V1_MAX_BYTES ? { kind: 'invalid', reason: 'PROXY v1 line without its end' } : { kind: 'incomplete' };
  if (end + 2 > V1_MAX_BYTES) return { kind: 'invalid', reason: 'PROXY v1 line too long' };
  const parts = bytes.subarray(0, end).toString('latin1').split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { kind: 'header', length, address: null };
  if ((parts[1] !== 'TCP4' && parts[1] !== 'TCP6') || parts.length !== 6) return { kind: 'invalid', reason: 'PROXY v1 line not TCP4/TCP6 with two addresses and ports' };
  const address = parts[2]!;
  const ok = parts[1] === 'TCP4' ? /^\d{1,3}(\.\d{1,3}){3}$/.test(address) : /^[0-9a-fA-F:.]+$/.test(address) && address.includes(':');
  return ok ? { kind: 'header', length, address } : { kind: 'invalid', reason: 'PROXY v1 source address malformed' };
}

function parseV2(bytes: Buffer): ProxyHeader {
  if (bytes.length < V2_FIXED_BYTES) return { kind: 'incomplete' };
  const versionCommand = bytes[12]!;
  if (versionCommand >> 4 !== 2) return { kind: 'invalid', reason: 'PROXY v2 header of another version' };
  const length = V2_FIXED_BYTES + bytes.readUInt16BE(14);
  if (bytes.length < length) return { kind: 'incomplete' };
  const command = versionCommand & 0x0f;
  if (command === 0) return { kind: 'header', length, address: null }; // LOCAL
  if (command !== 1) return { kind: 'invalid', reason: 'PROXY v2 command unknown' };
  const family = bytes[13]! >> 4;
  const body = bytes.subarray(V2_FIXED_BYTES, length);
  if (family === 1 && body.length >= 12) return { kind: 'header', length, address: [...body.subarray(0, 4)].join('.') };
  if (family === 2 && body.length >= 36) {
    const groups = Array.from({ length: 8 }, (_, i) => body.readUInt16BE(i * 2).toString(16));
    return { kind: 'header', length, address: groups.join(':') };
  }
  if (family === 0) return { kind: 'header', length, address: null }; // AF_UNSPEC
  return { kind: 'invalid', reason: 'PROXY v2 address family not IPv4 or IPv6' };
}
