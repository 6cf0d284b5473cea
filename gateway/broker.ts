// The MQTT edge: aedes on TCP and on WebSocket (/mqtt), with FireNet's device rules wired in.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from 'pino';
import { DeviceSessions, DROPPED_TOPIC, createAuthenticate, createAuthorizeSubscribe, ownUplink } from './auth.js';
import { createIngest } from './ingest.js';
import type { Command } from './payloads.js';
import type { DeviceDirectory, UplinkSink } from './ports.js';
import { newGatewayStats, type GatewayStats } from './stats.js';
import { DeviceThrottle, type RateLimit } from './throttle.js';
import { capPacketSize } from './packet-cap.js';
import { deviceTopic } from './topics.js';

export interface GatewayOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  maxPayloadBytes: number;
  /** Larger packets close their connection as soon as their header arrives (see packet-cap.ts). */
  maxPacketBytes: number;
  rateLimit: RateLimit;
  /** MQTT over TLS on a second port, when a certificate and key (PEM file paths) are configured. */
  tls?: { port: number; certFile: string; keyFile: string } | null;
  directory: DeviceDirectory;
  sink: UplinkSink;
  logger: Logger;
}

export interface Gateway {
  readonly mqttPort: number;
  readonly wsPort: number;
  /** The MQTT over TLS port, or null when TLS is not configured. */
  readonly tlsPort: number | null;
  readonly stats: GatewayStats;
  /** Sends a command down to a device (QoS 1). */
  sendCommand(deviceId: string, command: Command): Promise<void>;
  connectedCount(): number;
  isConnected(deviceId: string): boolean;
  /** Closes a device's connection at once (disabled, or its secret rotated); false when it was not connected. */
  disconnect(deviceId: string): boolean;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const logger = opts.logger.child({ component: 'gateway' });
  const stats = newGatewayStats();
  const sessions = new DeviceSessions();
  const ingest = createIngest({ sink: opts.sink, stats, logger, maxPayloadBytes: opts.maxPayloadBytes });
  const throttle = new DeviceThrottle(opts.rateLimit);
  const overRate = new Set<string>(); // devices whose latest message was dropped: logged once per spell

  const broker = await Aedes.createBroker({
    // A device's client id is its device id, which may be longer than MQTT 3.1's 23 characters.
    maxClientsIdLength: 64,
    authenticate: createAuthenticate({ directory: opts.directory, sessions, stats, logger }),
    authorizeSubscribe: createAuthorizeSubscribe({ sessions, stats, logger }),
    authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void) {
      const session = sessions.get(client);
      const topic = ownUplink(session, packet.topic);
      if (!session || !topic) {
        stats.publishesDropped++;
        logger.warn({ deviceId: session?.id ?? client?.id, topic: packet.topic }, 'publish refused: not the device\'s own uplink');
        packet.topic = DROPPED_TOPIC;
        return done(null);
      }
      packet.retain = false; // device messages are facts for FireNet, not state for other subscribers
      if (!throttle.take(session.id)) {
        // Acknowledged but not processed: MQTT 3.1.1 has no negative PUBACK.
        stats.throttled++;
        opts.sink.throttled(session.id, Date.now());
        if (!overRate.has(session.id)) {
          overRate.add(session.id);
          logger.warn({ deviceId: session.id, siteId: session.siteId, ratePerSec: opts.rateLimit.ratePerSec, burst: opts.rateLimit.burst }, 'device over its message rate: messages dropped');
        }
        packet.topic = DROPPED_TOPIC;
        return done(null);
      }
      overRate.delete(session.id);
      // Acknowledged (PUBACK) only after ingest resolves, i.e. after the event is durably stored.
      ingest(session, { topic: packet.topic, channel: topic.channel, payload: packet.payload as Buffer, qos: packet.qos })
        .then(() => done(null), (err: unknown) => {
          stats.storeFailures++;
          logger.error({ err, deviceId: session.id, topic: packet.topic }, 'could not store device message; closing without ack so the device redelivers');
          done(err instanceof Error ? err : new Error(String(err)));
        });
    },
  });
  broker.on('clientError', (client, err) => logger.debug({ deviceId: client.id, err: err.message }, 'client error'));
  broker.on('connectionError', (client, err) => logger.debug({ deviceId: client.id, err: err.message }, 'connection error'));

  // aedes keeps connected clients by id at run time but leaves the map out of its types.
  const clients = () => (broker as unknown as { clients: Record<string, Client | undefined> }).clients;

  const handle = (stream: Parameters<typeof broker.handle>[0], req?: Parameters<typeof broker.handle>[1]) =>
    capPacketSize(broker.handle(stream, req), opts.maxPacketBytes, (client, length) => {
      stats.oversizePackets++;
      const session = sessions.get(client);
      const reason = `packet of ${length} bytes is over the ${opts.maxPacketBytes}-byte cap: connection closed`;
      logger.warn({ deviceId: session?.id, siteId: session?.siteId, size: length }, 'oversize MQTT packet');
      if (session) opts.sink.badMessage(session.id, '', reason, length, Date.now()).catch((err: unknown) => logger.error({ err }, 'recording an oversize packet failed'));
    });

  const tcp: Server = createServer((socket) => handle(socket));
  const http: HttpServer = createHttpServer((_req, res) => { res.writeHead(426).end('MQTT over WebSocket only, at /mqtt'); });
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (ws, req) => handle(createWebSocketStream(ws), req));

  const tls: TlsServer | null = opts.tls
    ? createTlsServer({ cert: await readFile(opts.tls.certFile), key: await readFile(opts.tls.keyFile) }, (socket) => handle(socket))
    : null;
  // A failed handshake (wrong CA, plain MQTT on the TLS port) is the client's problem, not a crash.
  tls?.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));

  const listen = (server: Server | HttpServer | TlsServer, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host, () => resolve((server.address() as AddressInfo).port));
  });
  const mqttPort = await listen(tcp, opts.mqttPort);
  const wsPort = await listen(http, opts.wsPort);
  const tlsPort = tls && opts.tls ? await listen(tls, opts.tls.port) : null;
  logger.info({ mqttPort, wsPort, tlsPort }, 'MQTT gateway listening');

  return {
    mqttPort,
    wsPort,
    tlsPort,
    stats,
    sendCommand(deviceId, command) {
      return new Promise((resolve, reject) => broker.publish(
        { cmd: 'publish', topic: deviceTopic(deviceId, 'commands'), payload: Buffer.from(JSON.stringify(command)), qos: 1, retain: false, dup: false },
        (err) => (err ? reject(err) : resolve()),
      ));
    },
    connectedCount: () => broker.connectedClients,
    isConnected: (deviceId) => Boolean(clients()[deviceId]),
    disconnect(deviceId) {
      const client = clients()[deviceId];
      if (!client) return false;
      logger.info({ deviceId }, 'device connection closed by FireNet');
      client.close();
      return true;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => (tls ? tls.close(() => resolve()) : resolve())),
        new Promise<void>((resolve) => wss.close(() => http.close(() => resolve()))),
      ]);
    },
  };
}
