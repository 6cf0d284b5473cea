// The GB/T 26875.3 edge: a TCP server for user information transmission devices (用传), beside the MQTT edge and
// feeding the same uplink. One GbConnection per socket; a device's newer connection replaces its older one.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { DeviceDirectory, UplinkSink } from '../../contracts/ports.js';
import { isTransmissionCommand } from '../../contracts/gb26875/commands.js';
import type { Command } from '../../contracts/device-api.js';
import { PendingConnections } from '../admission.js';
import { peerAddress, proxyTrust, takeProxyHeader } from '../peer.js';
import { bump } from '../stats.js';
import { GbConnection } from './connection.js';
import { dutyTimeoutMin } from './downlink.js';
import { newGbStats, type GbStats } from './stats.js';

export interface GbServerOptions {
  host: string;
  port: number;
  /** A new connection must send a frame from a known address within this. */
  connectTimeoutMs: number;
  /** A signed-in connection silent this long is closed (the device reconnects; its offline state is the rules' job). */
  idleTimeoutMs: number;
  /** Connections one address may hold before their first frame; more are closed at once. */
  pendingPerAddress: number;
  /** TRUST_PROXY: connections from these proxies may begin with a PROXY header naming the device's address (../peer.ts). */
  trustProxy?: string;
  directory: DeviceDirectory;
  sink: UplinkSink;
  logger: Logger;
}

export interface GbServer {
  readonly port: number;
  readonly stats: GbStats;
  /** Sends a FireNet command (read_status, read_version, read_time, sync_clock, duty_check) to a connected device. */
  sendCommand(deviceId: string, command: Command): Promise<void>;
  isConnected(deviceId: string): boolean;
  connectedCount(): number;
  disconnect(deviceId: string): boolean;
  close(): Promise<void>;
}

const LISTEN_BACKLOG = 8192;
/** A device whose socket holds this much unread downlink is disconnected. */
const SLOW_READER_BYTES = 64 * 1024;

export async function startGbServer(opts: GbServerOptions): Promise<GbServer> {
  const logger = opts.logger.child({ component: 'gb26875' });
  const stats = newGbStats();
  const byDevice = new Map<string, GbConnection>();
  const statuses = new Map<string, Map<string, number>>();
  const open = new Set<GbConnection>();
  const pending = new PendingConnections(opts.pendingPerAddress);
  let closing = false;

  const trustedProxy = proxyTrust(opts.trustProxy);
  const server: Server = createServer((socket: Socket) => {
    void takeProxyHeader(socket, trustedProxy, opts.connectTimeoutMs, { stats, logger }).then((ok) => { if (ok) accept(socket); });
  });
  const accept = (socket: Socket) => {
    if (closing || !pending.admit(socket)) {
      if (!closing) bump(stats.connectsRefused, 'too_many_pending');
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setTimeout(opts.connectTimeoutMs, () => {
      logger.debug({ deviceId: connection.deviceId, remote: peerAddress(socket) }, 'transmission device connection timed out');
      socket.destroy();
    });
    stats.connections++;
    const connection: GbConnection = new GbConnection(socket, {
      directory: opts.directory, sink: opts.sink, stats, logger,
      statuses(deviceId) {
        let map = statuses.get(deviceId);
        if (!map) statuses.set(deviceId, (map = new Map()));
        return map;
      },
      bound(c) {
        pending.settle(socket);
        socket.setTimeout(opts.idleTimeoutMs);
        const older = byDevice.get(c.deviceId!);
        if (older && older !== c) {
          logger.info({ deviceId: c.deviceId }, 'transmission device reconnected; its older connection closed');
          older.close();
        }
        byDevice.set(c.deviceId!, c);
      },
      closed(c) {
        stats.connections--;
        open.delete(c);
        pending.settle(socket);
        if (c.deviceId && byDevice.get(c.deviceId) === c) byDevice.delete(c.deviceId);
      },
    });
    open.add(connection);
  };
  server.on('error', (err) => logger.error({ err }, 'GB/T 26875.3 server error'));

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port, host: opts.host, backlog: LISTEN_BACKLOG }, () => resolve((server.address() as AddressInfo).port));
  });
  logger.info({ port }, 'GB/T 26875.3 server listening');

  return {
    port,
    stats,
    async sendCommand(deviceId, command) {
      if (!isTransmissionCommand(command.type)) throw new Error(`${command.type} is not a transmission device command`);
      const connection = byDevice.get(deviceId);
      if (!connection) throw new Error(`transmission device ${deviceId} is not connected`);
      if (connection.socket.writableLength > SLOW_READER_BYTES) {
        connection.close();
        throw new Error(`transmission device ${deviceId} does not read its socket`);
      }
      connection.send(command.id, command.type, dutyTimeoutMin(command));
    },
    isConnected: (deviceId) => byDevice.has(deviceId),
    connectedCount: () => byDevice.size,
    disconnect(deviceId) {
      const connection = byDevice.get(deviceId);
      if (!connection) return false;
      logger.info({ deviceId }, 'transmission device connection closed by FireNet');
      connection.close();
      return true;
    },
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of open) c.close();
      await stopped;
    },
  };
}
