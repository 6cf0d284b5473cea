// The composition root: the only place that knows every part. Parts get their collaborators passed in.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { startGateway, type Gateway } from '../gateway/broker.js';
import { startGbServer, type GbServer } from '../gateway/gb26875/server.js';
import { isTransmissionCommand } from '../contracts/gb26875/commands.js';
import { buildHttp } from './api/server.js';
import { TokenSigner } from './auth/tokens.js';
import { Users } from './auth/users.js';
import { LoginThrottle } from './auth/throttle.js';
import type { Config } from './config.js';
import type { Ticket } from '../contracts/records.js';
import { createDeviceDirectory } from './devices/credentials.js';
import { DeviceSecrets } from './devices/secrets.js';
import { LastSeen } from './devices/last-seen.js';
import { ThrottledCounts } from './devices/throttled.js';
import { Provisioning } from './devices/provisioning.js';
import { createUplinkSink } from './devices/uplink.js';
import { EventBatches } from './devices/event-batches.js';
import { Effects } from './effects/apply.js';
import { seedDemo, type DemoDevices } from './demo/seed.js';
import { demoUsers } from './demo/province.js';
import { dutyRoomToken, retireDutyRoomTokens, startDutyRooms } from './demo/duty-rooms.js';
import { startRealtime, type Realtime } from './realtime/socket.js';
import { createPublisher } from './realtime/publisher.js';
import { Notifier } from './notify/notifier.js';
import { CommandService } from './commands/service.js';
import { ControlRoomService } from './control-room/service.js';
import type { CommandRecord } from './store/commands.js';
import { NotHeldHere, RuleRunner } from './rules/runner.js';
import { AlarmService } from './alarms/service.js';
import { WorkOrderService } from './workorders/service.js';
import { TicketService } from './tickets/service.js';
import { createSchedule } from './schedule.js';
import { openClusterBus } from './cluster/bus.js';
import { keepLease, soleHolder } from './cluster/lease.js';
import { startForwarding, type Forwarder } from './cluster/forwarding.js';
import { keepPartitions, type PartitionKeeper } from './cluster/partition-keeper.js';
import { CLUSTER_PARTITIONS } from './cluster/partitions.js';
import { RuleInputs } from './cluster/rule-inputs.js';
import { createMetrics } from './metrics.js';
import { RollupJob } from './telemetry/rollups.js';
import { createInfluxArchive } from './telemetry/influx.js';
import { RegionRegistry } from './registry/regions.js';
import { rehearseStorm } from './rehearsal.js';
import { Directory } from './registry/sites.js';
import { openPglite } from './store/pglite.js';
import { openPostgres } from './store/postgres.js';
import { Store } from './store/store.js';
import { TelemetryWriter } from './telemetry/writer.js';
import { localDate } from './reports/calendar.js';
import { DutyService } from './duties/service.js';
import { MonthlySubmissions } from './reports/submissions.js';
import { ScorecardService } from './scorecard/service.js';

/** The demo fleet's simulated devices on the gateway: started from outside the platform (main.ts hands in simulators/fleet.ts). */
export interface DemoFleet {
  stop(): Promise<void>;
}
export type StartDemoFleet<F extends DemoFleet> = (options: {
  url: string; devices: DemoDevices; eventRatePerMin: number; alarmsPerHour: number; logger: Logger;
  /** Where the demo's transmission devices connect (GB/T 26875.3), or null when that edge is off. */
  gb26875: { host: string; port: number } | null;
}) => F;

export interface FireNet<F extends DemoFleet = DemoFleet> {
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly mqttWsUrl: string;
  readonly store: Store;
  readonly gateway: Gateway;
  /** The GB/T 26875.3 edge for transmission devices, or null when GB26875_PORT is 0. */
  readonly gb26875: GbServer | null;
  /** The demo fleet, when FireNet runs the demo and was handed a way to start it. */
  readonly fleet: F | null;
  /** Scheduled jobs, runnable at once (tests, and an operator who will not wait for the next beat). */
  readonly jobs: { rollups(): Promise<number>; retention(): Promise<void>; sampleOnline(): Promise<number>; flagMissedChecks(at?: number): Promise<number>; flagLateReports(at?: number): Promise<number>; checkOverdueTickets(at?: number): Promise<Ticket[]> };
  close(): Promise<void>;
}

/** A transmission device's connection silent this long is closed (its heartbeat is far shorter; offline is the rules' job). */
const GB_IDLE_TIMEOUT_MS = 15 * 60_000;

/** How often each institution's devices and online devices are sampled for the monthly report's online rate. */
const ONLINE_SAMPLE_MS = 15 * 60_000;
/** Readings one telemetry statement writes: small enough that an event batch never waits long behind one. */
const TELEMETRY_STATEMENT_ROWS = 500;
/** Device events past their retention deleted per statement. */
const EVENT_RETENTION_CHUNK = 10_000;

const here = fileURLToPath(new URL('.', import.meta.url));
/** The dashboard bundle, found from the source tree and from the compiled one (dist/platform). */
const dashboardCandidates = [resolve(here, '../dashboard/dist'), resolve(here, '../../dashboard/dist')];
const dashboardDir = dashboardCandidates.find((dir) => existsSync(dir)) ?? dashboardCandidates[0]!;

export async function startFireNet<F extends DemoFleet = DemoFleet>(config: Config, logger: Logger, startDemoFleet?: StartDemoFleet<F>): Promise<FireNet<F>> {
  const startedAt = Date.now();
  const db = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, (err) => logger.warn({ err }, 'database connection lost; the pool reconnects'))
    : await openPglite(join(config.DATA_DIR, 'pgdata'));
  const store = new Store(db);
  const applied = await store.migrate();
  logger.info({ database: store.kind, applied }, 'database ready');
  // cluster mode: the nodes' brokers and live pushes meet on Redis (config.ts refuses it without PostgreSQL)
  const nodeId = config.CLUSTER_NODE_ID ?? `${hostname()}-${process.pid}`;
  const bus = config.CLUSTER_REDIS_URL ? await openClusterBus(config.CLUSTER_REDIS_URL, logger.child({ node: nodeId })) : null;
  if (bus) logger.info({ node: nodeId }, 'cluster node: MQTT messages and live pushes shared through Redis');

  const tokenSecret = config.FIRENET_TOKEN_SECRET ?? (await store.initSetting('token_secret', randomBytes(32).toString('base64url')));
  // Kept with the hashes it made, like the token secret: a key lost apart from them would lock every device out.
  const deviceSecrets = new DeviceSecrets(Buffer.from(config.DEVICE_SECRET_KEY
    ?? (await store.initSetting('device_secret_key', randomBytes(32).toString('base64url'))), 'utf8'));
  const regions = RegionRegistry.fromChinaDivision();
  const directory = new Directory(store);

  // Parts that push to viewers or talk to devices get them late-bound: the HTTP server and the
  // gateway start last, once everything they call into exists.
  let realtime: Realtime | null = null;
  let gateway: Gateway | null = null;
  let gb26875: GbServer | null = null;
  const publisher = createPublisher(regions, () => realtime);
  const notifier = new Notifier(publisher, logger.child({ component: 'notify' }));
  // a transmission device's commands go out over GB/T 26875.3, every other one over MQTT
  const commandSender = {
    sendCommand(deviceId: string, command: { id: string; type: string } & Record<string, unknown>): Promise<void> {
      const edge = isTransmissionCommand(command.type) ? gb26875 : gateway;
      return edge ? edge.sendCommand(deviceId, command) : Promise.reject(new Error('gateway not running'));
    },
  };
  const commands = new CommandService(store.commands, () => commandSender, (c) => void onCommandSettled(c), logger.child({ component: 'commands' }));
  // a cluster shares the rules by institution: partitions held by one node each (cluster/partitions.ts)
  const rules = new RuleRunner({ store, directory, logger: logger.child({ component: 'rules' }), partitions: bus ? CLUSTER_PARTITIONS : 1 });
  const alarms = new AlarmService({
    store, directory, publisher, notifier, logger: logger.child({ component: 'alarms' }),
    onFalseAlarm: (device, alarmId): Promise<void> => inputs.platform(device, 'alarm.false_alarm', { alarmId }),
  });
  const workorders = new WorkOrderService({ store, publisher, logger: logger.child({ component: 'workorders' }) });
  const tickets = new TicketService({
    store, directory, publisher, notifier, regions, logger: logger.child({ component: 'tickets' }),
    limits: { registerMajorHours: config.TICKET_REGISTER_MAJOR_HOURS, registerGeneralHours: config.TICKET_REGISTER_GENERAL_HOURS, verifyHours: config.TICKET_VERIFY_HOURS, approveHours: config.TICKET_APPROVE_HOURS },
  });
  const duties = new DutyService({ store, tickets, logger: logger.child({ component: 'duties' }) });
  const submissions = new MonthlySubmissions({ store, regions, notifier, duties: (...args) => duties.figures(...args), logger: logger.child({ component: 'submissions' }), rule: { dueDay: config.REPORT_DUE_DAY, summaryDays: config.REPORT_SUMMARY_DAYS } });
  const scorecard = new ScorecardService({ store, regions, duties, submissions, logger: logger.child({ component: 'scorecard' }) });
  const effects = new Effects({ store, directory, alarms, workorders, tickets, commands, notifier, logger: logger.child({ component: 'effects' }) });
  const controlRoom = new ControlRoomService({ store, commands, publisher, logger: logger.child({ component: 'control-room' }) });
  const onCommandSettled = async (c: CommandRecord) => {
    const device = await directory.device(c.deviceId);
    const site = device && (await directory.site(device.siteId));
    if (!device || !site) return;
    publisher.toSite(site.id, site.regionCode, 'command', c);
    await controlRoom.commandSettled(c);
    if (c.state !== 'failed') return;
    await workorders.commandFailed(c, site);
    notifier.notify(site, {
      kind: 'command.failed', siteId: site.id, siteName: site.name, at: new Date().toISOString(),
      data: { commandId: c.id, deviceId: c.deviceId, command: c.type },
    });
  };

  // a device added or disabled here is known or forgotten by the engine holding its site, on whichever node; an
  // institution edited here is read again on every node
  let forwarder: Forwarder | null = null;
  const provisioning = new Provisioning(store, regions, directory, deviceSecrets, async (device) => {
    await rules.register(device);
    forwarder?.notify({ kind: 'device', deviceId: device.id });
  }, {
    disconnect: (deviceId) => { gateway?.disconnect(deviceId); gb26875?.disconnect(deviceId); },
    forget: (deviceId) => { rules.forget(deviceId); forwarder?.notify({ kind: 'device', deviceId }); },
  }, (siteId) => forwarder?.notify({ kind: 'site', siteId }));
  const users = new Users(store, new TokenSigner(tokenSecret, config.TOKEN_TTL_SEC), logger.child({ component: 'auth' }), {
    throttle: new LoginThrottle(config.LOGIN_MAX_FAILURES, 15 * 60_000),
    refreshTtlSec: config.REFRESH_TTL_SEC,
    refreshReuseGraceSec: config.REFRESH_REUSE_GRACE_SEC,
  });
  users.onRevoked((revocation) => {
    realtime?.disconnect(revocation).catch((err: unknown) => logger.error({ err, revocation }, 'closing the live connections of a revoked sign-in failed'));
  });
  // nodes of a cluster starting together take turns: one creates the admin (and the demo), the next finds them
  const demoFleet = await store.exclusively('setup', async () => {
    try {
      await users.ensureAdmin(config.FIRENET_ADMIN_PASSWORD, config.FIRENET_DEMO);
      if (!config.FIRENET_DEMO) {
        await users.retireDemoUsers(demoUsers.map((u) => u.username));
        await retireDutyRoomTokens(users);
      }
    } catch (err) {
      await bus?.close();
      await store.close();
      throw err;
    }
    return config.FIRENET_DEMO
      ? seedDemo({ store, provisioning, users, dataDir: config.DATA_DIR, devices: config.FIRENET_DEMO_DEVICES, logger })
      : null;
  });

  await rules.start();
  const DAY = 86_400_000;
  const archive = config.INFLUX_URL
    ? createInfluxArchive({
      url: config.INFLUX_URL, token: config.INFLUX_TOKEN ?? '', org: config.INFLUX_ORG!, bucket: config.INFLUX_BUCKET!,
      dataDir: join(config.DATA_DIR, 'archive-queue'), maxQueuedReadings: config.INFLUX_QUEUE_MAX, logger: logger.child({ component: 'archive' }),
    })
    : null;
  const events = new EventBatches({ store, decide: (device, event, at, tx) => rules.onEvent(device, event, at, tx), effects, logger: logger.child({ component: 'events' }) });
  const inputs = new RuleInputs({ rules, events, effects, directory, logger: logger.child({ component: 'rules' }) });
  let partitionKeeper: PartitionKeeper | null = null;
  forwarder = bus
    ? await startForwarding({
      ...bus.forwarding, node: nodeId, logger: logger.child({ component: 'forwarding' }),
      handle: (input) => inputs.handle(input), isNotHeld: (err) => err instanceof NotHeldHere,
      onNotice: async (notice) => {
        if (notice.kind === 'rules') return rules.reloadRules(false);
        if (notice.kind === 'partitions') return partitionKeeper?.nudge();
        if (notice.kind === 'site') {
          directory.forgetSite(notice.siteId);
          await directory.site(notice.siteId);
          return;
        }
        const device = await store.getDevice(notice.deviceId);
        if (!device || device.disabled) rules.forget(notice.deviceId);
        else await rules.register(device);
      },
    })
    : null;
  rules.onEdited = () => forwarder?.notify({ kind: 'rules' });
  const cluster = forwarder;
  partitionKeeper = bus
    ? keepPartitions({
      leases: store.leases, runner: rules, node: nodeId, ttlMs: config.CLUSTER_LEASE_SEC * 1000, logger: logger.child({ component: 'partitions' }),
      gaveBack: () => forwarder?.notify({ kind: 'partitions' }),
    })
    : null;
  if (cluster && partitionKeeper) inputs.joinCluster({ forwarder: cluster, keeper: partitionKeeper, node: nodeId, handoverMs: (2 * config.CLUSTER_LEASE_SEC + 5) * 1000 });
  const rollups = new RollupJob(store, Date.now, () => events.idle());
  await rollups.start();
  const telemetry = new TelemetryWriter({
    // events go first: a telemetry batch waits while an event batch is queued or committing (but not for a turn of the
    // event loop, as the other background statements do: in a flood of readings a turn per statement let the intake
    // outrun the writes, and 349,500 of 400,000 readings were shed)
    write: async (rows) => { await events.settled(); await store.telemetry.insert(rows); }, stored: (readings) => rollups.mark(readings), archive, logger,
    maxBatch: TELEMETRY_STATEMENT_ROWS,
  });
  const retain = async () => {
    const now = Date.now();
    const deleted = await store.telemetry.retain(now - config.TELEMETRY_RAW_DAYS * DAY, now - config.TELEMETRY_ROLLUP_DAYS * DAY);
    if (deleted.raw || deleted.rollups) logger.info(deleted, 'telemetry past its retention deleted');
    // device events a chunk at a time, events arriving meanwhile first: the first run after an upgrade may find years
    let deviceEvents = 0;
    await store.summarizeEvents();
    for (let n = EVENT_RETENTION_CHUNK; n === EVENT_RETENTION_CHUNK; deviceEvents += n) {
      await events.idle();
      n = await store.retainEvents(now - config.DEVICE_EVENTS_DAYS * DAY, EVENT_RETENTION_CHUNK);
    }
    if (deviceEvents) logger.info({ deviceEvents }, 'device events past their retention deleted');
    // the room freed made usable again (on PGlite), a table at a time, events first; the rollups every hour, since the
    // current hour's buckets are rewritten every few minutes
    const reclaim = [...(deleted.raw ? ['telemetry' as const] : []), 'telemetry_rollups' as const, ...(deviceEvents ? ['device_events' as const] : [])];
    for (const table of reclaim) {
      await events.idle();
      await store.reclaim(table);
    }
  };
  const lastSeen = new LastSeen(store, logger, () => events.idle());
  const throttled = new ThrottledCounts(store, logger);

  // in a cluster, the cluster's jobs run on the node holding the jobs' lease; a lone node holds every lease
  const jobsLease = bus
    ? keepLease({ leases: store.leases, name: 'jobs', node: nodeId, ttlMs: config.CLUSTER_LEASE_SEC * 1000, logger: logger.child({ node: nodeId }) })
    : soleHolder;
  const schedule = createSchedule(logger, () => jobsLease.held(), () => events.idle());
  schedule.every(1000, 'rules tick', () => effects.commit(rules.tick()));
  schedule.every(1000, 'alarm deadlines', () => alarms.checkDeadlines(), { once: true });
  schedule.every(1000, 'command timeouts', () => commands.checkTimeouts(), { once: true });
  schedule.every(2000, 'last seen', () => lastSeen.flush());
  schedule.every(2000, 'throttled counts', () => throttled.flush());
  schedule.every(5000, 'overdue tickets', () => tickets.checkOverdue(), { once: true });
  schedule.every(5000, 'missed duty checks', () => controlRoom.sweep(), { once: true });
  // a cluster's partitions are saved often: the node taking one over after a crash loses at most that much of its timers
  schedule.every(bus ? 2000 : 10_000, 'engine state', () => rules.persist());
  schedule.every(10_000, 'telemetry rollups', () => rollups.run());
  schedule.every(3_600_000, 'retention', retain, { once: true });
  const sampleOnline = () => store.stats.sampleOnline(localDate(Date.now()));
  schedule.every(ONLINE_SAMPLE_MS, 'online-rate sample', sampleOnline, { once: true });
  // a period's missed checks are flagged by the first run after it ends (the morning after, at the latest)
  const flagMissedChecks = (at?: number) => duties.flagMissed(at);
  schedule.every(3_600_000, 'missed checks', () => flagMissedChecks(), { once: true });
  // and once at start: periods that ended while FireNet was stopped
  const missedAtStart = flagMissedChecks().catch((err: unknown) => logger.error({ err, job: 'missed checks' }, 'scheduled job failed'));
  // monthly reports not submitted by their due day: flagged and notified by the first run after it
  const flagLateReports = (at?: number) => submissions.flagLate(at);
  schedule.every(3_600_000, 'late monthly reports', () => flagLateReports(), { once: true });
  const sink = createUplinkSink({ store, directory, telemetry, lastSeen, throttled, events, inputs, commands, rawWindowMs: config.TELEMETRY_RAW_DAYS * DAY, logger: logger.child({ component: 'ingest' }) });
  const rateLimit = { ratePerSec: config.MQTT_DEVICE_RATE, burst: config.MQTT_DEVICE_BURST };
  await rehearseStorm({
    store, regions, commands, telemetry, throttled, maxPayloadBytes: config.MAX_PAYLOAD_BYTES, rawWindowMs: config.TELEMETRY_RAW_DAYS * DAY,
    gateway: { maxPacketBytes: config.MQTT_MAX_PACKET_BYTES, rateLimit, connectTimeoutMs: config.MQTT_CONNECT_TIMEOUT_SEC * 1000 },
    logger: logger.child({ component: 'events' }),
  });
  const metrics = createMetrics({
    gateway: () => gateway?.stats ?? null,
    connections: () => gateway?.connectedCount() ?? 0,
    gb26875: () => gb26875 && { ...gb26875.stats, connected: gb26875.connectedCount() },
    ingest: () => ({ ...sink.stats, alarms: alarms.raised }),
    rules: () => rules,
    tickets: () => tickets,
    telemetry: () => telemetry,
    archive: () => archive?.status() ?? null,
  });

  const http = await buildHttp({
    logger,
    dashboardDir,
    limits: { loginPerMinute: config.LOGIN_RATE_PER_MIN, trustProxy: config.TRUST_PROXY },
    services: {
      store, users, regions, provisioning, alarms, workorders, tickets, rules, metrics, commands, controlRoom, duties, submissions, scorecard,
      telemetryWindow: { rawDays: config.TELEMETRY_RAW_DAYS, rollupDays: config.TELEMETRY_ROLLUP_DAYS },
      lastSeen: (deviceId) => lastSeen.seen(deviceId),
      health: async () => {
        // A database that does not answer within 2 s is down for a load balancer too, whatever it does later.
        const databaseOk = await Promise.race([store.ping().catch(() => false), new Promise<false>((r) => setTimeout(r, 2000, false).unref())]);
        const down = databaseOk ? [] : ['database'];
        return {
          status: down.length ? 'degraded' : 'ok',
          down,
          uptimeSec: Math.round((Date.now() - startedAt) / 1000),
          database: { kind: store.kind, ok: databaseOk },
          gateway: gateway && { mqttPort: gateway.mqttPort, wsPort: gateway.wsPort, tlsPort: gateway.tlsPort, connected: gateway.connectedCount(), ...gateway.stats },
          gb26875: gb26875 && { port: gb26875.port, connected: gb26875.connectedCount(), ...gb26875.stats },
          ingest: { ...sink.stats, batches: events.batches, batched: events.batched },
          rules: { rules: rules.ruleCount, evaluations: rules.evaluations },
          telemetry: { written: telemetry.written, failed: telemetry.failed, dropped: telemetry.dropped, queued: telemetry.queued, rollupRuns: rollups.runs, archive: archive?.status() ?? { kind: 'none' } },
          notifications: { webhooksSent: notifier.sent, webhooksFailed: notifier.failed },
          realtime: { connections: realtime?.connections() ?? 0, slowViewersDisconnected: realtime?.slowViewers() ?? 0 },
          cluster: bus ? { node: nodeId, runsClusterJobs: jobsLease.held(), rulesPartitions: rules.held().sort((x, y) => x - y) } : null,
          jobs: schedule.runs,
        };
      },
    },
  });
  await http.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
  realtime = startRealtime({
    server: http.server, identify: (token) => users.identify(token), logger, maxBufferedBytes: config.REALTIME_MAX_BUFFER_BYTES, adapter: bus?.socketAdapter,
  });

  const deviceDirectory = createDeviceDirectory(store, deviceSecrets, logger);
  gateway = await startGateway({
    host: config.MQTT_HOST, mqttPort: config.MQTT_PORT, wsPort: config.MQTT_WS_PORT,
    maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
    maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
    rateLimit,
    connectTimeoutMs: config.MQTT_CONNECT_TIMEOUT_SEC * 1000,
    pendingPerAddress: config.MQTT_PENDING_PER_ADDRESS,
    trustProxy: config.TRUST_PROXY,
    tls: config.MQTT_TLS_CERT && config.MQTT_TLS_KEY ? { port: config.MQTT_TLS_PORT, certFile: config.MQTT_TLS_CERT, keyFile: config.MQTT_TLS_KEY } : null,
    directory: deviceDirectory, sink, logger, clusterBus: bus?.mq,
  });
  gb26875 = config.GB26875_PORT === 0 ? null : await startGbServer({
    host: config.MQTT_HOST, port: config.GB26875_PORT,
    connectTimeoutMs: config.MQTT_CONNECT_TIMEOUT_SEC * 1000,
    idleTimeoutMs: GB_IDLE_TIMEOUT_MS,
    pendingPerAddress: config.MQTT_PENDING_PER_ADDRESS,
    trustProxy: config.TRUST_PROXY,
    directory: deviceDirectory, sink, logger,
  });

  const local = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const httpUrl = `http://${local(config.HTTP_HOST)}:${(http.server.address() as AddressInfo).port}`;
  const mqttUrl = `mqtt://${local(config.MQTT_HOST)}:${gateway.mqttPort}`;
  const runsFleet = demoFleet && config.FIRENET_DEMO_FLEET;
  const gbVia = config.FIRENET_DEMO_GB26875_URL ? new URL(config.FIRENET_DEMO_GB26875_URL) : null;
  const fleet = runsFleet && startDemoFleet
    ? startDemoFleet({
      url: config.FIRENET_DEMO_MQTT_URL ?? mqttUrl, devices: demoFleet.devices, eventRatePerMin: config.FIRENET_DEMO_EVENT_RATE, alarmsPerHour: config.FIRENET_DEMO_ALARMS_PER_HOUR, logger,
      gb26875: gbVia ? { host: gbVia.hostname, port: Number(gbVia.port) } : gb26875 ? { host: local(config.MQTT_HOST), port: gb26875.port } : null,
    })
    : null;
  // the demo institutions' control rooms answer most alarms through the API, as real ones would
  const dutyRooms = runsFleet
    ? startDutyRooms({ httpUrl, token: await dutyRoomToken(users, [...new Set(demoFleet.devices.map((d) => d.siteId).filter((s): s is string => Boolean(s)))]), answerShare: config.FIRENET_DEMO_ANSWERED, logger })
    : null;
  logger.info({ httpUrl, mqttUrl, demo: config.FIRENET_DEMO, fleet: demoFleet?.devices.length ?? 0 }, 'FireNet running');

  const gw = gateway;
  const gb = gb26875;
  return {
    httpUrl,
    mqttUrl,
    mqttWsUrl: `ws://${local(config.MQTT_HOST)}:${gw.wsPort}/mqtt`,
    store,
    gateway: gw,
    gb26875: gb,
    fleet,
    jobs: { rollups: () => rollups.run(true), retention: retain, sampleOnline, flagMissedChecks, flagLateReports, checkOverdueTickets: (at?: number) => tickets.checkOverdue(at) },
    async close() {
      dutyRooms?.stop();
      await fleet?.stop();
      await gb?.close();
      await gw.close();
      schedule.stop();
      await jobsLease.stop();
      await partitionKeeper?.stop(); // its partitions saved and handed over
      await cluster?.close();
      await missedAtStart;
      await rules.persist();
      await lastSeen.flush();
      await throttled.flush();
      await telemetry.flush();
      await rollups.run().catch((err: unknown) => logger.warn({ err }, 'final rollup failed; the next start redoes it'));
      await archive?.close();
      await realtime?.close();
      await http.close();
      await bus?.close();
      await store.close();
    },
  };
}
