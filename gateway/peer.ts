// Who is at the other end of a device's TCP connection: the socket's address, or, for a connection from a trusted
// proxy (TRUST_PROXY: HAProxy with `send-proxy`), the address its PROXY header names. The per-address limits
// (unsigned connections, refused sign-ins) and the logs count that address.
import proxyAddr from '@fastify/proxy-addr';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { parseProxyHeader } from './proxy-protocol.js';
import { bump } from './stats.js';

const named = new WeakMap<object, string>();

/** The address a connection is from: the one its trusted proxy named, else the socket's own. */
export function peerAddress(socket: { remoteAddress?: string } | null | undefined): string | undefined {
  return socket ? named.get(socket) ?? socket.remoteAddress : undefined;
}

/** Which addresses are proxies to believe, from TRUST_PROXY (addresses or CIDRs, comma-separated, or `loopback`). */
export function proxyTrust(setting: string | undefined): ((address: string) => boolean) | null {
  if (!setting) return null;
  const trusts = proxyAddr.compile(setting.split(',').map((s) => s.trim()));
  return (address) => trusts(address, 0);
}

/**
 * A new connection's PROXY header, if it is from a trusted proxy: read off, its address kept for peerAddress, and
 * what followed it put back for the protocol to read. A connection without a header is taken as it is (a proxy that
 * does not send one, a direct connection). Resolves false when the header is bad or does not come in time: the
 * socket is destroyed, the refusal counted (`bad_proxy_header`) and logged.
 */
export function takeProxyHeader(socket: Socket, trusted: ((address: string) => boolean) | null, timeoutMs: number,
  refusals: { stats: { connectsRefused: Record<string, number> }; logger: Logger }): Promise<boolean> {
  if (!trusted || !trusted(socket.remoteAddress ?? '')) return Promise.resolve(true);
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const finish = (ok: boolean, reason?: string) => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      if (!ok) {
        if (reason) {
          bump(refusals.stats.connectsRefused, 'bad_proxy_header');
          refusals.logger.warn({ remote: socket.remoteAddress, reason }, 'connection refused: bad PROXY header');
        }
        socket.destroy();
      }
      resolve(ok);
    };
    const onClose = () => finish(false);
    const onReadable = () => {
      for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) got = Buffer.concat([got, chunk]);
      const header = parseProxyHeader(got);
      if (header.kind === 'incomplete') return;
      if (header.kind === 'invalid') return finish(false, header.reason);
      const rest = header.kind === 'header' ? got.subarray(header.length) : got;
      if (header.kind === 'header' && header.address) named.set(socket, header.address);
      // back to the stream's start, for the MQTT (or GB/T 26875.3) parser that reads next
      if (rest.length > 0) socket.unshift(rest);
      finish(true);
    };
    const timer = setTimeout(() => finish(false, 'no PROXY header or data within the connect timeout'), timeoutMs);
    socket.on('readable', onReadable);
    socket.once('close', onClose);
  });
}
