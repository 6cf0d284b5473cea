// The MQTT edge: aedes on TCP and on WebSocket (/mqtt), with FireNet's device rules wired in.
import { createServer, type Server } from 'node:net';
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
import { deviceTopic } from './topics.js';

export interface GatewayOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  maxPayloadBytes: number;
  directory: DeviceDirectory;
  sink: UplinkSink;
  logger: Logger;
}

export interface Gateway {
  readonly mqttPort: number;
  readonly wsPort: number;
  readonly stats: GatewayStats;
  /** Sends a command down to a device (QoS 1). */
  sendCommand(deviceId: string, command: Command): Promise<void>;
  connectedCount(): number;
  isConnected(deviceId: string): boolean;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const logger = opts.logger.child({ component: 'gateway' });
  const stats = newGatewayStats();
  const sessions = new DeviceSessions();
  const ingest = createIngest({ sink: opts.sink, stats, logger, maxPayloadBytes: opts.maxPayloadBytes });

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

  const tcp: Server = createServer((socket) => broker.handle(socket));
  const http: HttpServer = createHttpServer((_req, res) => { res.writeHead(426).end('MQTT over WebSocket only, at /mqtt'); });
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (ws, req) => broker.handle(createWebSocketStream(ws), req));

  const listen = (server: Server | HttpServer, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host, () => resolve((server.address() as AddressInfo).port));
  });
  const mqttPort = await listen(tcp, opts.mqttPort);
  const wsPort = await listen(http, opts.wsPort);
  logger.info({ mqttPort, wsPort }, 'MQTT gateway listening');

  return {
    mqttPort,
    wsPort,
    stats,
    sendCommand(deviceId, command) {
      return new Promise((resolve, reject) => broker.publish(
        { cmd: 'publish', topic: deviceTopic(deviceId, 'commands'), payload: Buffer.from(JSON.stringify(command)), qos: 1, retain: false, dup: false },
        (err) => (err ? reject(err) : resolve()),
      ));
    },
    connectedCount: () => broker.connectedClients,
    isConnected: (deviceId) => Boolean(clients()[deviceId]),
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => wss.close(() => http.close(() => resolve()))),
      ]);
    },
  };
}
