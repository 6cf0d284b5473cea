// MQTT behind a TCP proxy (HAProxy with send-proxy-v2, as `npm run cluster` runs it): a connection from a proxy that
// TRUST_PROXY names may begin with a PROXY header, and the gateway counts the device's own address, not the proxy's.
import { connect as tcpConnect, type Socket } from 'node:net';
import { generate } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let port = 0;
beforeAll(async () => {
  fn = await startTestFireNet({ TRUST_PROXY: 'loopback', MQTT_PENDING_PER_ADDRESS: '2', MQTT_CONNECT_TIMEOUT_SEC: '2' });
  port = Number(new URL(fn.mqttUrl).port);
  await fn.provisionSite('px-site', '220281');
});
afterAll(async () => {
  await fn?.stop();
});

const v1 = (address: string) => Buffer.from(`PROXY TCP4 ${address} 127.0.0.1 40000 1883\r\n`);
function v2(address: string): Buffer {
  const header = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c, 0, 0, 0, 0, 127, 0, 0, 1, 0x9c, 0x40, 0x07, 0x5b]);
  address.split('.').forEach((octet, i) => { header[16 + i] = Number(octet); });
  return header;
}
const open = (first: Buffer) => new Promise<Socket>((resolve, reject) => {
  const socket = tcpConnect(port, '127.0.0.1', () => { socket.write(first); resolve(socket); });
  socket.once('error', reject);
});
const closedWithin = (socket: Socket, ms: number) => new Promise<boolean>((resolve) => {
  if (socket.destroyed) return resolve(true);
  const timer = setTimeout(() => resolve(false), ms);
  socket.once('close', () => { clearTimeout(timer); resolve(true); });
});
const firstBytes = (socket: Socket, n: number) => new Promise<Buffer>((resolve, reject) => {
  let got = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => { got = Buffer.concat([got, d]); if (got.length >= n) resolve(got.subarray(0, n)); });
  socket.once('close', () => reject(new Error(`closed after ${got.length} bytes`)));
});

describe('a PROXY header from a trusted proxy', () => {
  it('signs a device in whose CONNECT comes in the same packet as the header, and answers its publish', async () => {
    const secret = await fn.provisionDevice({ id: 'px-sd-1', family: 'smoke_detector', siteId: 'px-site' });
    const connect = generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'px-sd-1', username: 'px-sd-1', password: Buffer.from(secret), clean: true, keepalive: 30 });
    const socket = await open(Buffer.concat([v2('198.51.100.4'), connect]));
    expect([...await firstBytes(socket, 4)]).toEqual([0x20, 0x02, 0x00, 0x00]);
    expect(fn.gateway.isConnected('px-sd-1')).toBe(true);
    socket.destroy();
  });

  it('holds MQTT_PENDING_PER_ADDRESS unsigned connections per address it names, not per proxy', async () => {
    const before = fn.gateway.stats.connectsRefused.too_many_pending ?? 0;
    const first = await Promise.all([open(v1('203.0.113.1')), open(v1('203.0.113.1'))]);
    expect(await Promise.all(first.map((s) => closedWithin(s, 300)))).toEqual([false, false]);
    // a third from the same device address is one too many; from another address it is held
    const third = await open(v1('203.0.113.1'));
    const other = await open(v2('203.0.113.2'));
    expect(await closedWithin(third, 1000)).toBe(true);
    expect(await closedWithin(other, 300)).toBe(false);
    expect(fn.gateway.stats.connectsRefused.too_many_pending).toBe(before + 1);
    for (const s of [...first, other]) s.destroy();
  });

  it('closes a connection whose PROXY header is malformed, and counts it', async () => {
    const before = fn.gateway.stats.connectsRefused.bad_proxy_header ?? 0;
    const socket = await open(Buffer.from('PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n'));
    expect(await closedWithin(socket, 2000)).toBe(true);
    expect(fn.gateway.stats.connectsRefused.bad_proxy_header).toBe(before + 1);
  });

  it('takes a connection without a header as it is: a device connecting straight to the node', async () => {
    const secret = await fn.provisionDevice({ id: 'px-sd-2', family: 'smoke_detector', siteId: 'px-site' });
    const client = await fn.connectDevice('px-sd-2', secret);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});
