// The composition root: the only place that knows every part. Parts get their collaborators passed in.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { startGateway, type Gateway } from '../gateway/broker.js';
import { startFleet, type Fleet } from '../simulators/fleet.js';
import { buildHttp } from './api/server.js';
import { roomsFor } from './auth/scope.js';
import { TokenSigner } from './auth/tokens.js';
import { Users } from './auth/users.js';
import type { Config } from './config.js';
import { createDeviceDirectory } from './devices/credentials.js';
import { LastSeen } from './devices/last-seen.js';
import { Provisioning } from './devices/provisioning.js';
import { createUplinkSink } from './devices/uplink.js';
import { seedDemo } from './demo/seed.js';
import { startRealtime, type Realtime } from './realtime/socket.js';
import { RegionRegistry } from './registry/regions.js';
import { Directory } from './registry/sites.js';
import type { Alarm } from './schemas.js';
import { openPglite } from './store/pglite.js';
import { openPostgres } from './store/postgres.js';
import { Store } from './store/store.js';
import { TelemetryWriter } from './telemetry/writer.js';

export interface FireNet {
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly mqttWsUrl: string;
  readonly store: Store;
  readonly gateway: Gateway;
  readonly fleet: Fleet | null;
  close(): Promise<void>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
/** The dashboard bundle, found from the source tree and from the compiled one (dist/platform). */
const dashboardCandidates = [resolve(here, '../dashboard/dist'), resolve(here, '../../dashboard/dist')];
const dashboardDir = dashboardCandidates.find((dir) => existsSync(dir)) ?? dashboardCandidates[0]!;

export async function startFireNet(config: Config, logger: Logger): Promise<FireNet> {
  const startedAt = Date.now();
  const db = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, (err) => logger.warn({ err }, 'database connection lost; the pool reconnects'))
    : await openPglite(join(config.DATA_DIR, 'pgdata'));
  const store = new Store(db);
  const applied = await store.migrate();
  logger.info({ database: store.kind, applied }, 'database ready');

  const tokenSecret = config.FIRENET_TOKEN_SECRET ?? (await store.initSetting('token_secret', randomBytes(32).toString('base64url')));
  const regions = RegionRegistry.fromChinaDivision();
  const directory = new Directory(store);
  const provisioning = new Provisioning(store, regions, directory);
  const users = new Users(store, new TokenSigner(tokenSecret, config.TOKEN_TTL_SEC), logger.child({ component: 'auth' }));
  await users.ensureAdmin(config.FIRENET_ADMIN_PASSWORD, config.FIRENET_DEMO);
  const demoFleet = config.FIRENET_DEMO
    ? await seedDemo({ store, provisioning, users, dataDir: config.DATA_DIR, devices: config.FIRENET_DEMO_DEVICES, logger })
    : null;

  let realtime: Realtime | null = null;
  const publishAlarm = (alarm: Alarm) => {
    const lineage = regions.lineage(alarm.regionCode).map((r) => r.code);
    realtime?.emit(roomsFor(alarm.siteId, lineage), 'alarm', alarm);
  };

  const telemetry = new TelemetryWriter({ write: (rows) => store.insertTelemetry(rows), logger });
  const lastSeen = new LastSeen(store, logger);
  lastSeen.start();
  const sink = createUplinkSink({ store, directory, telemetry, lastSeen, onAlarm: publishAlarm, logger: logger.child({ component: 'ingest' }) });

  let gateway: Gateway | null = null;
  const http = await buildHttp({
    logger,
    dashboardDir,
    services: {
      store, users, regions, provisioning,
      health: async () => ({
        status: 'ok',
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        database: { kind: store.kind, ok: await store.ping().catch(() => false) },
        gateway: gateway && { mqttPort: gateway.mqttPort, wsPort: gateway.wsPort, connected: gateway.connectedCount(), ...gateway.stats },
        ingest: sink.stats,
        telemetry: { written: telemetry.written, failed: telemetry.failed },
        realtime: { connections: realtime?.connections() ?? 0 },
      }),
    },
  });
  await http.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
  realtime = startRealtime({ server: http.server, authenticate: (token) => users.authenticate(token), logger });

  gateway = await startGateway({
    host: config.MQTT_HOST, mqttPort: config.MQTT_PORT, wsPort: config.MQTT_WS_PORT,
    maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
    directory: createDeviceDirectory(store), sink, logger,
  });

  const local = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const httpUrl = `http://${local(config.HTTP_HOST)}:${(http.server.address() as AddressInfo).port}`;
  const mqttUrl = `mqtt://${local(config.MQTT_HOST)}:${gateway.mqttPort}`;
  const fleet = demoFleet
    ? startFleet({ url: mqttUrl, devices: demoFleet.devices, eventRatePerMin: config.FIRENET_DEMO_EVENT_RATE, logger })
    : null;
  logger.info({ httpUrl, mqttUrl, demo: config.FIRENET_DEMO, fleet: demoFleet?.devices.length ?? 0 }, 'FireNet running');

  const gw = gateway;
  return {
    httpUrl,
    mqttUrl,
    mqttWsUrl: `ws://${local(config.MQTT_HOST)}:${gw.wsPort}/mqtt`,
    store,
    gateway: gw,
    fleet,
    async close() {
      await fleet?.stop();
      await gw.close();
      await lastSeen.stop();
      await telemetry.flush();
      await realtime?.close();
      await http.close();
      await store.close();
    },
  };
}
