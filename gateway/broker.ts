// The MQTT edge: aedes on TCP and on WebSocket (/mqtt), with FireNet's device rules wired in.
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from 'pino';
import { DeviceSessions, DROPPED_TOPIC, createAuthenticate, createAuthorizeSubscribe, ownUplink } from './auth.js';
import { createIngest } from './ingest.js';
import { ReadingQueue } from './reading-queue.js';
import type { Command } from '../contracts/device-api.js';
import type { DeviceDirectory, DeviceSession, UplinkSink } from '../contracts/ports.js';
import { bump, newGatewayStats, type GatewayStats } from './stats.js';
import { DeviceThrottle, type RateLimit } from './throttle.js';
import { capPacketSize } from './packet-cap.js';
import { ReadBudget } from './read-budget.js';
import { PendingConnections } from './admission.js';
import { deviceTopic } from '../contracts/topics.js';
import type { MQEmitter } from 'mqemitter';
import { clusterEmitter } from './cluster-mq.js';
import { peerAddress, proxyTrust, takeProxyHeader } from './peer.js';

export interface GatewayOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  maxPayloadBytes: number;
  /** Larger packets close their connection as soon as their header arrives (see packet-cap.ts). */
  maxPacketBytes: number;
  rateLimit: RateLimit;
  /** A connection must send its CONNECT within this (and a TLS or WebSocket handshake finish within it). */
  connectTimeoutMs: number;
  /** Connections one address may hold before they sign in; more are closed at once. */
  pendingPerAddress: number;
  /** TRUST_PROXY: MQTT connections over TCP from these proxies may begin with a PROXY header naming the device's address (peer.ts). */
  trustProxy?: string;
  /** MQTT over TLS on a second port, when a certificate and key (PEM file paths) are configured. */
  tls?: { port: number; certFile: string; keyFile: string } | null;
  directory: DeviceDirectory;
  sink: UplinkSink;
  logger: Logger;
  /** Cluster mode: the bus between nodes' brokers (cluster-mq.ts); unset, messages stay in this process. */
  clusterBus?: MQEmitter | null;
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
  /**
   * Stops accepting connections, lets the messages being stored finish and be acknowledged (at most `drainMs`),
   * then closes every connection; a message arriving meanwhile is not acknowledged, so its device sends it again.
   */
  close(drainMs?: number): Promise<void>;
}

/** In a cluster: a device FireNet closed on one node (disabled, secret rotated) is closed on whichever node holds it. */
const DISCONNECT_TOPIC = '$SYS/firenet/disconnect';

/** Connections the kernel may queue before they are accepted (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 8192;

/** QoS 0 readings waiting behind events past which new ones are shed (a few seconds of a large fleet). */
const MAX_WAITING_READINGS = 50_000;
/**
 * Bytes of the devices' data handed to aedes in one turn of the event loop (once for the connections waiting, once for
 * those whose data has just come: about 700 readings in all), and of one connection at a time (about 45 readings)
 * (gateway/read-budget.ts).
 */
const READ_BYTES_PER_TURN = 32 * 1024;
const READ_BYTES_PER_CONNECTION = 4 * 1024;
/** QoS 0 readings processed between two turns of the event loop: more than a turn's read budget holds. */
const READING_SLICE = 1024;

/**
 * mqtt-packet (aedes writes with it) writes a packet's two-byte message id from a table of all 65,536 of them as
 * Buffers, built at the first PUBACK: 6.3 MB of heap, and 65,536 objects every full collection marks again, to spare
 * an allocation of two bytes from Buffer's pool per QoS 1 message.
 */
mqttPacket.writeToStream.cacheNumbers = false;

/** A device whose socket holds this much unread downlink (commands it never reads) is disconnected. */
const SLOW_READER_BYTES = 256 * 1024;

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const logger = opts.logger.child({ component: 'gateway' });
  const stats = newGatewayStats();
  const sessions = new DeviceSessions();
  const ingest = createIngest({ sink: opts.sink, stats, logger, maxPayloadBytes: opts.maxPayloadBytes });
  const readings = new ReadingQueue({
    yieldTo: () => opts.sink.eventsSettled(), max: MAX_WAITING_READINGS, slice: READING_SLICE,
    failed: (err) => {
      stats.storeFailures++;
      logger.error({ err }, 'could not store a reading sent at most once; it is lost');
    },
  });
  const readBudget = new ReadBudget(READ_BYTES_PER_TURN, READ_BYTES_PER_CONNECTION);
  const throttle = new DeviceThrottle(opts.rateLimit);
  const overRate = new Set<string>(); // devices over their rate: logged once per spell
  const pending = new PendingConnections(opts.pendingPerAddress);
  const sockets = new WeakMap<object, Socket>(); // an aedes client's stream -> its network socket
  const inFlight = new Set<Promise<void>>(); // messages being stored, not yet acknowledged
  const slowedAcks = new Set<() => void>(); // acknowledgements held back to slow a device down
  let closing = false;

  const overRateOnce = (session: DeviceSession, what: string) => {
    if (overRate.has(session.id)) return;
    overRate.add(session.id);
    logger.warn({ deviceId: session.id, siteId: session.siteId, ratePerSec: opts.rateLimit.ratePerSec, burst: opts.rateLimit.burst }, `device over its message rate: ${what}`);
  };

  /** Acknowledges after `ms`: the device's in-flight window fills and aedes reads no more of its socket meanwhile. */
  const ackAfter = (ms: number, done: () => void) => {
    if (ms <= 0) return done();
    const ack = () => { clearTimeout(timer); slowedAcks.delete(ack); done(); };
    const timer = setTimeout(ack, ms);
    slowedAcks.add(ack);
  };

  /** When each connected client signed in (a cluster keeps the newest connection of a client id). */
  const signedInAt = new WeakMap<Client, number>();
  const closeLocal = (deviceId: string): boolean => {
    const client = clients()[deviceId];
    if (!client) return false;
    logger.info({ deviceId }, 'device connection closed by FireNet');
    client.close();
    return true;
  };

  const broker = await Aedes.createBroker({
    ...(opts.clusterBus ? { mq: clusterEmitter(opts.clusterBus, (id) => { const c = clients()[id]; return c && signedInAt.get(c); }) } : {}),
    // A device's client id is its device id, which may be longer than MQTT 3.1's 23 characters.
    maxClientsIdLength: 64,
    connectTimeout: opts.connectTimeoutMs,
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
      // Shutting down: not acknowledged, so the device sends it again to whichever node takes it.
      if (closing) return done(new Error('gateway shutting down'));
      let slowFor = 0;
      if (topic.channel === 'telemetry') {
        if (!throttle.take(session.id)) {
          // Acknowledged but not processed (MQTT 3.1.1 has no negative PUBACK): readings are dropped, counted.
          stats.throttled++;
          opts.sink.throttled(session.id, Date.now());
          overRateOnce(session, 'messages dropped');
          packet.topic = DROPPED_TOPIC;
          return done(null);
        }
      } else {
        // Events (fire alarms above all) and command answers are never dropped for rate: stored at once, acknowledged late.
        slowFor = throttle.reserve(session.id);
        if (slowFor > 0) overRateOnce(session, 'acknowledgements slowed');
      }
      if (slowFor === 0) overRate.delete(session.id);
      const frame = { topic: packet.topic, channel: topic.channel, payload: packet.payload as Buffer, qos: packet.qos, receivedAt: Date.now() };
      if (topic.channel === 'telemetry' && packet.qos === 0) {
        // nothing to acknowledge: processed once the events in hand are stored
        if (!readings.push(() => ingest(session, frame)) && stats.readingsShed++ % 10_000 === 0) {
          logger.warn({ waiting: readings.waiting, shed: stats.readingsShed }, 'readings arrive faster than they are processed: QoS 0 readings shed');
        }
        return done(null);
      }
      // Acknowledged (PUBACK) only after ingest resolves, i.e. after the message is durably stored.
      const stored = ingest(session, frame)
        .then(() => ackAfter(slowFor, () => done(null)), (err: unknown) => {
          stats.storeFailures++;
          logger.error({ err, deviceId: session.id, topic: packet.topic }, 'could not store device message; closing without ack so the device redelivers');
          done(err instanceof Error ? err : new Error(String(err)));
        })
        .finally(() => inFlight.delete(stored));
      inFlight.add(stored);
    },
  });
  broker.on('clientError', (client, err) => logger.debug({ deviceId: client.id, err: err.message }, 'client error'));
  broker.on('connectionError', (client, err) => logger.debug({ deviceId: client.id, err: err.message }, 'connection error'));
  broker.on('client', (client) => {
    signedInAt.set(client, Date.now());
    const socket = sockets.get(client.conn);
    if (socket) pending.settle(socket);
  });

  // aedes keeps connected clients by id at run time but leaves the map out of its types.
  const clients = () => (broker as unknown as { clients: Record<string, Client | undefined> }).clients;
  if (opts.clusterBus) {
    await new Promise<void>((resolve) => broker.subscribe(DISCONNECT_TOPIC, (packet, done) => { closeLocal(packet.payload.toString()); done(); }, resolve));
  }

  const handle = (socket: Socket, stream: Parameters<typeof broker.handle>[0], req?: Parameters<typeof broker.handle>[1]) => {
    sockets.set(stream, socket);
    readBudget.meter(stream);
    return capPacketSize(broker.handle(stream, req), opts.maxPacketBytes, (client, length) => {
      stats.oversizePackets++;
      const session = sessions.get(client);
      const reason = `packet of ${length} bytes is over the ${opts.maxPacketBytes}-byte cap: connection closed`;
      logger.warn({ deviceId: session?.id, siteId: session?.siteId, size: length }, 'oversize MQTT packet');
      if (session) opts.sink.badMessage(session.id, '', reason, length, Date.now()).catch((err: unknown) => logger.error({ err }, 'recording an oversize packet failed'));
    });
  };

  /** Counts a new network connection against its address, or closes it when the address holds too many unsigned ones. */
  const admit = (socket: Socket): boolean => {
    if (!closing && pending.admit(socket)) return true;
    if (!closing) {
      bump(stats.connectsRefused, 'too_many_pending');
      logger.warn({ remote: peerAddress(socket), limit: opts.pendingPerAddress }, 'connection refused: too many unsigned connections from this address');
    }
    socket.destroy();
    return false;
  };

  const trustedProxy = proxyTrust(opts.trustProxy);
  const tcp: Server = createServer((socket) => {
    void takeProxyHeader(socket, trustedProxy, opts.connectTimeoutMs, { stats, logger }).then((ok) => {
      if (ok && admit(socket)) handle(socket, socket);
    });
  });
  const http: HttpServer = createHttpServer((_req, res) => { res.writeHead(426).end('MQTT over WebSocket only, at /mqtt'); });
  http.on('connection', (socket: Socket) => void admit(socket));
  http.headersTimeout = opts.connectTimeoutMs;
  http.requestTimeout = opts.connectTimeoutMs;
  // One WebSocket message holds at most one capped MQTT packet's worth: ws would otherwise buffer 100 MiB per frame.
  const wss = new WebSocketServer({ server: http, path: '/mqtt', maxPayload: opts.maxPacketBytes });
  wss.on('connection', (ws, req) => handle(req.socket, createWebSocketStream(ws), req));

  const tls: TlsServer | null = opts.tls
    ? createTlsServer({ cert: await readFile(opts.tls.certFile), key: await readFile(opts.tls.keyFile), handshakeTimeout: opts.connectTimeoutMs },
      // node keeps the TCP socket under the TLS one as `_parent`: that is the one counted at 'connection'
      (socket) => handle((socket as unknown as { _parent?: Socket })._parent ?? socket, socket))
    : null;
  tls?.on('connection', (socket: Socket) => void admit(socket));
  // A failed handshake (wrong CA, plain MQTT on the TLS port) is the client's problem, not a crash.
  tls?.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));

  const listen = (server: Server | HttpServer | TlsServer, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    // a reconnect storm of thousands: node's default backlog (511) overflows and the kernel makes clients retry in seconds
    server.listen({ port, host: opts.host, backlog: LISTEN_BACKLOG }, () => resolve((server.address() as AddressInfo).port));
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
      const conn = clients()[deviceId]?.conn as { writableLength?: number } | undefined;
      if ((conn?.writableLength ?? 0) > SLOW_READER_BYTES) {
        logger.warn({ deviceId, unread: conn?.writableLength }, 'device does not read its commands: connection closed');
        clients()[deviceId]?.close();
        return Promise.reject(new Error(`device ${deviceId} does not read its socket`));
      }
      return new Promise((resolve, reject) => broker.publish(
        { cmd: 'publish', topic: deviceTopic(deviceId, 'commands'), payload: Buffer.from(JSON.stringify(command)), qos: 1, retain: false, dup: false },
        (err) => (err ? reject(err) : resolve()),
      ));
    },
    connectedCount: () => broker.connectedClients,
    isConnected: (deviceId) => Boolean(clients()[deviceId]),
    disconnect(deviceId) {
      // in a cluster the device may be connected to another node: every node closes its connection, if it has one
      if (opts.clusterBus) broker.publish({ cmd: 'publish', topic: DISCONNECT_TOPIC, payload: Buffer.from(deviceId), qos: 0, retain: false, dup: false }, () => undefined);
      return closeLocal(deviceId);
    },
    async close(drainMs = 5000) {
      closing = true;
      const stopped = Promise.all([tcp, http, ...(tls ? [tls] : [])].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      for (const ack of slowedAcks) ack();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        Promise.all([Promise.allSettled(inFlight), readings.drained()]).then(() => true),
        new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), drainMs); }),
      ]);
      clearTimeout(timer);
      if (!drained) logger.warn({ inFlight: inFlight.size, readingsWaiting: readings.waiting }, 'messages still being stored at shutdown: not acknowledged, their devices resend them');
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      http.closeAllConnections();
      await stopped;
    },
  };
}
