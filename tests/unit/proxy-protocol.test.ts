// The PROXY protocol header (gateway/proxy-protocol.ts): versions 1 and 2 as HAProxy sends them, cut anywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from '../../gateway/proxy-protocol.js';

const MQTT_CONNECT = Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

function v2(command: number, family: number, body: Buffer): Buffer {
  const fixed = Buffer.alloc(4);
  fixed[0] = 0x20 | command;
  fixed[1] = (family << 4) | 1;
  fixed.writeUInt16BE(body.length, 2);
  return Buffer.concat([SIGNATURE, fixed, body]);
}
const tcp4 = (src: number[]) => v2(1, 1, Buffer.from([...src, 10, 0, 0, 1, 0xdc, 0x04, 0x07, 0x5b]));

describe('the PROXY header', () => {
  it('reads version 1 lines and leaves what follows them', () => {
    const line = Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 56324 1883\r\n');
    expect(parseProxyHeader(Buffer.concat([line, MQTT_CONNECT]))).toEqual({ kind: 'header', length: line.length, address: '203.0.113.7' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 56324 1883\r\n'))).toMatchObject({ kind: 'header', address: '2001:db8::7' });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ kind: 'header', length: 15, address: null });
  });

  it('reads version 2 headers: IPv4, IPv6, and LOCAL (the proxy\'s own check) without an address', () => {
    expect(parseProxyHeader(Buffer.concat([tcp4([203, 0, 113, 9]), MQTT_CONNECT]))).toEqual({ kind: 'header', length: 28, address: '203.0.113.9' });
    const six = Buffer.alloc(36);
    six.writeUInt16BE(0x2001, 0);
    six.writeUInt16BE(0x0db8, 2);
    six.writeUInt16BE(0x0007, 14);
    expect(parseProxyHeader(v2(1, 2, six))).toMatchObject({ kind: 'header', address: '2001:db8:0:0:0:0:0:7' });
    expect(parseProxyHeader(v2(0, 0, Buffer.alloc(0)))).toEqual({ kind: 'header', length: 16, address: null });
  });

  it('tells a connection without a header, and refuses a malformed one', () => {
    expect(parseProxyHeader(MQTT_CONNECT)).toEqual({ kind: 'none' });
    expect(parseProxyHeader(Buffer.from([0x68, 0x68]))).toEqual({ kind: 'none' }); // a GB/T 26875.3 frame's start
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 not-an-address 10.0.0.1 1 2\r\n'))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4\r\n'))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).toMatchObject({ kind: 'invalid' });
    const badVersion = tcp4([1, 2, 3, 4]);
    badVersion[12] = 0x11;
    expect(parseProxyHeader(badVersion)).toMatchObject({ kind: 'invalid' });
  });

  it('waits for the rest of a header cut anywhere, then reads the same', () => {
    const headers = [Buffer.from('PROXY TCP4 198.51.100.20 10.0.0.1 40000 9026\r\n'), tcp4([198, 51, 100, 20])];
    fc.assert(fc.property(fc.constantFrom(...headers), fc.nat(), (header, at) => {
      const cut = at % header.length;
      expect(parseProxyHeader(header.subarray(0, cut))).toEqual({ kind: 'incomplete' });
      expect(parseProxyHeader(Buffer.concat([header, MQTT_CONNECT]))).toEqual({ kind: 'header', length: header.length, address: '198.51.100.20' });
    }));
  });

  it('never throws on any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, signed) => {
      const input = signed ? Buffer.concat([SIGNATURE, Buffer.from(bytes)]) : Buffer.from(bytes);
      expect(['incomplete', 'none', 'invalid', 'header']).toContain(parseProxyHeader(input).kind);
    }));
  });
});
