// Connections that have not signed in yet, per client address. Each one costs a socket and a parser until its
// CONNECT is answered, so one address may hold only so many at once (a flood or a slow drip from one host cannot
// exhaust the gateway), and each must send CONNECT within the connect timeout. Signed-in devices are not counted:
// a hospital's whole fleet behind one NAT address reconnects fine, `limit` at a time.
import type { Socket } from 'node:net';
import { peerAddress } from './peer.js';

export class PendingConnections {
  private readonly perAddress = new Map<string, number>();
  private readonly release = new WeakMap<Socket, () => void>();

  constructor(private readonly limit: number) {}

  /** Counts a new connection; false (and nothing counted) when its address already holds `limit` unsigned ones. */
  admit(socket: Socket): boolean {
    const address = peerAddress(socket) ?? 'unknown';
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.limit) return false;
    this.perAddress.set(address, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    };
    this.release.set(socket, release);
    socket.once('close', release);
    return true;
  }

  /** The connection signed in (or closed): it no longer counts against its address. */
  settle(socket: Socket): void {
    this.release.get(socket)?.();
  }

  /** Unsigned connections now held, over all addresses. */
  get size(): number {
    let n = 0;
    for (const held of this.perAddress.values()) n += held;
    return n;
  }
}
