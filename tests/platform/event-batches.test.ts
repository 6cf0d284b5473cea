// Group commit of device events, on both store adapters: events arriving together or while a batch commits share one
// transaction; one failing event is rolled back alone; duplicates are stored once; nothing is acknowledged before
// its batch has committed (kill -9 right after the PUBACKs loses none); a zone's alarms are pushed once per change.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import pg from 'pg';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeviceEvent } from '../../contracts/device-api.js';
import { deviceTopic } from '../../contracts/topics.js';
import { AlarmService } from '../../platform/alarms/service.js';
import { CommandService } from '../../platform/commands/service.js';
import { EventBatches } from '../../platform/devices/event-batches.js';
import { Effects } from '../../platform/effects/apply.js';
import { rehearseStorm } from '../../platform/rehearsal.js';
import { RegionRegistry } from '../../platform/registry/regions.js';
import { ThrottledCounts } from '../../platform/devices/throttled.js';
import { TelemetryWriter } from '../../platform/telemetry/writer.js';
import { Notifier } from '../../platform/notify/notifier.js';
import type { Publisher } from '../../platform/realtime/publisher.js';
import { Directory, type DeviceEntry } from '../../platform/registry/sites.js';
import { RuleRunner } from '../../platform/rules/runner.js';
import { Site, type Alarm } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { openPglite } from '../../platform/store/pglite.js';
import { openPostgres } from '../../platform/store/postgres.js';
import { Store } from '../../platform/store/store.js';
import { TicketService } from '../../platform/tickets/service.js';
import { WorkOrderService } from '../../platform/workorders/service.js';
import { eventPayload, eventually, onEach, startTestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';
import { freePort, spawnFireNet, type FireNetProcess } from '../helpers/process.js';

const adapters: [string, () => Promise<{ db: SqlExecutor; url?: string }>][] = [
  ['pglite', async () => ({ db: await openPglite(undefined) })],
  ['postgres', async () => {
    const url = await createDatabase(inject('postgresUrl'), `batches_${randomUUID().replaceAll('-', '')}`);
    return { db: await openPostgres(url), url };
  }],
];

const SITE = 'jh-rmyy';
const logger = pino({ level: 'silent' });

describe.each(adapters)('event batches on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;
  let rules: RuleRunner;
  let alarmService: AlarmService;
  let batches: EventBatches;
  /** Each push of alarms the owners made, as the list of alarms in it. */
  const pushedAlarms: Alarm[][] = [];
  const detector = (id: string): DeviceEntry => ({ id, family: 'smoke_detector', siteId: SITE, building: '住院楼', floor: '3F', zone: '内科', heartbeatSec: 60 });

  beforeAll(async () => {
    db = (await open()).db;
    store = new Store(db);
    await store.migrate();
    await store.upsertSite(Site.parse({ id: SITE, name: '蛟河市人民医院', kind: 'hospital', regionCode: '220281' }), { regionCode: '220281', cityCode: '220200', provinceCode: '220000' });
    for (const id of ['sd-1', 'sd-2', 'sd-3', 'sd-4', 'sd-5', 'sd-6']) await store.createDevice({ id, family: 'smoke_detector', siteId: SITE, model: null, building: '住院楼', floor: '3F', zone: '内科', heartbeatSec: 60 }, 'x');
    // the real rules and owners; the pushes are only recorded (no socket.io here)
    const publisher: Publisher = {
      alarm: (a) => void pushedAlarms.push([a]), workorder: () => undefined, ticket: () => undefined,
      alarms: (list) => void pushedAlarms.push([...list]), workorders: () => undefined, tickets: () => undefined, toSite: () => undefined, toRegion: () => undefined,
    };
    const directory = new Directory(store);
    const notifier = new Notifier(publisher, logger);
    rules = new RuleRunner({ store, directory, logger });
    await rules.start();
    alarmService = new AlarmService({ store, directory, publisher, notifier, logger, onFalseAlarm: async () => undefined });
    const effects: Effects = new Effects({
      store, directory, notifier, logger,
      alarms: alarmService,
      workorders: new WorkOrderService({ store, publisher, logger }),
      tickets: new TicketService({ store, directory, publisher, notifier, logger }),
      commands: new CommandService(store.commands, () => null, () => undefined, logger),
    });
    batches = new EventBatches({
      store, effects, logger,
      // a rule that throws on one event: its batch-mates must not go down with it
      decide: (device, event, at, tx) => (event.id.startsWith('rule-error') ? Promise.reject(new Error('a rule failed')) : rules.onEvent(device, event, at, tx)),
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  const alarm = (id: string, data: Record<string, unknown> = {}): DeviceEvent => ({ id, ts: Date.now(), type: 'smoke.alarm', data });
  const settle = (p: Promise<boolean>) => p.then((stored) => (stored ? 'stored' : 'duplicate'), () => 'refused');

  it('commits the events that arrive meanwhile in one batch, rolls a failing one back alone, and settles each after the commit', async () => {
    const before = batches.batches;
    const outcomes = await Promise.all([
      settle(batches.submit(detector('sd-1'), alarm('a-0'), Date.now())), // starts a batch; the others submitted in the same turn join it
      ...['a-1', 'a-2', 'rule-error-1', 'a-3', 'a-4'].map((id) => settle(batches.submit(detector('sd-1'), alarm(id), Date.now()))),
      settle(batches.submit(detector('sd-1'), alarm('db-error', { zone: 'x\u0000' }), Date.now())), // the database refuses it
      ...['a-5', 'a-6'].map((id) => settle(batches.submit(detector('sd-1'), alarm(id), Date.now()))),
    ]);
    expect(outcomes).toEqual(['stored', 'stored', 'stored', 'refused', 'stored', 'stored', 'refused', 'stored', 'stored']);
    expect(batches.batches - before).toBe(1);
    expect(await store.countEvents('sd-1')).toBe(7);
    // the rules ran for each stored event, and only those: one open alarm of sd-1, counted 7 times
    const alarms = await store.alarms.list([], { active: true, deviceId: 'sd-1', limit: 10 });
    expect(alarms.map((a) => a.count)).toEqual([7]);
  });

  it('rehearses a storm at start-up through the whole event path, from MQTT over loopback on, and keeps nothing of it: no event, alarm, command, bad message, count, push or device in the engine', async () => {
    const count = async (table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
    const kept = async () => ({
      events: await count('device_events'), alarms: await count('alarms'), commands: await count('commands'), badMessages: await count('bad_messages'),
      raised: alarmService.raised, pushes: pushedAlarms.length, evaluations: rules.evaluations,
    });
    const before = await kept();
    const telemetry = new TelemetryWriter({ write: (rows) => store.telemetry.insert(rows), logger });
    const rehearsed = await rehearseStorm({
      store, regions: RegionRegistry.fromChinaDivision(), commands: new CommandService(store.commands, () => null, () => undefined, logger),
      telemetry, throttled: new ThrottledCounts(store, logger), maxPayloadBytes: 8192, rawWindowMs: 86_400_000, logger,
      gateway: { maxPacketBytes: 16_384, rateLimit: { ratePerSec: 20, burst: 100 }, connectTimeoutMs: 10_000 },
    });
    // it did run the path: each round's 256 alarms were published over MQTT and acknowledged, ingested, stored, decided
    // and applied, and their alarms published
    expect(rehearsed.alarms).toBe(256);
    expect(rehearsed.acked).toBe(4 * 256);
    // and its gateway is closed: nothing listens on its port any more
    expect(rehearsed.port).toBeGreaterThan(0);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: rehearsed.port });
      socket.once('connect', () => { socket.destroy(); resolve('connected'); });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(await kept()).toEqual(before);
    expect(telemetry.queued + telemetry.written).toBe(0);
    await rules.persist();
    expect(await store.rules.loadEngineState(1)).not.toContain('rehearsal');
  });

  it('stores an event id once, within a batch and across batches', async () => {
    const outcomes = await Promise.all([
      settle(batches.submit(detector('sd-2'), alarm('d-0'), Date.now())),
      settle(batches.submit(detector('sd-2'), alarm('d-1'), Date.now())),
      settle(batches.submit(detector('sd-2'), alarm('d-1'), Date.now())),
      settle(batches.submit(detector('sd-2'), alarm('d-1'), Date.now())),
    ]);
    expect(outcomes).toEqual(['stored', 'stored', 'duplicate', 'duplicate']);
    expect(await settle(batches.submit(detector('sd-2'), alarm('d-1'), Date.now()))).toBe('duplicate');
    expect(await store.countEvents('sd-2')).toBe(2);
  });

  it('makes 50 identical alarms from one detector in the same millisecond one alarm counted 50 times', async () => {
    const at = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => batches.submit(detector('sd-3'), { id: `same-${i}`, ts: at, type: 'smoke.alarm', data: {} }, at)));
    const alarms = await store.alarms.list([], { active: true, deviceId: 'sd-3', limit: 10 });
    expect(alarms.map((a) => a.count)).toEqual([50]);
  });

  it('publishes what a batch changed together: the alarms in one push, each once', async () => {
    pushedAlarms.length = 0;
    // three detectors of one ward in the same turn: one batch raising three alarms (and flagging the ward's older ones)
    await Promise.all(['sd-4', 'sd-5', 'sd-6'].map((id) => batches.submit(detector(id), alarm(`ward-${id}`), Date.now())));
    expect(pushedAlarms).toHaveLength(1);
    const ids = pushedAlarms[0]!.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pushedAlarms[0]!.filter((a) => ['sd-4', 'sd-5', 'sd-6'].includes(a.deviceId)).map((a) => a.deviceId).sort()).toEqual(['sd-4', 'sd-5', 'sd-6']);
  });
});

describe.each(adapters)('acknowledged means stored, on %s', (kind, open) => {
  const running: FireNetProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('kill -9 in the middle of a QoS 1 stream: every acknowledged event is in the database, once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-batch-kill-'));
    dirs.push(dataDir);
    const { db, url } = await open();
    await db.close();
    const env: Record<string, string> = {
      DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: 'batch-kill-admin', MQTT_DEVICE_RATE: '0',
      HTTP_PORT: String(await freePort()), MQTT_PORT: String(await freePort()), MQTT_WS_PORT: String(await freePort()),
      ...(url ? { DATABASE_URL: url } : {}),
    };
    const base = `http://127.0.0.1:${env.HTTP_PORT}`;
    const proc = await spawnFireNet(env);
    running.push(proc);
    const post = async (path: string, body: unknown, token?: string) => (await fetch(base + path, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    })).json() as Promise<any>;
    const { token } = await post('/api/auth/login', { username: 'admin', password: 'batch-kill-admin' });
    await post('/api/sites', { id: 'jh-1', name: '蛟河市人民医院', regionCode: '220281' }, token);
    const devices = await Promise.all(['fp-k1', 'fp-k2', 'fp-k3', 'fp-k4'].map(async (id) => {
      const { secret } = await post('/api/devices', { id, family: 'fire_panel', siteId: 'jh-1' }, token);
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });
      client.on('error', () => undefined);
      return { id, client };
    }));
    const acked = new Map<string, string[]>(devices.map((d) => [d.id, []]));
    let killed = false;
    // four panels, 25 events in flight each: batches form; kill -9 once 300 are acknowledged
    for (const { client } of devices) client.setMaxListeners(50); // each publish in flight listens for the close
    const lanes = devices.flatMap(({ id, client }) => Array.from({ length: 25 }, async (_, lane) => {
      for (let n = 0; !killed; n++) {
        const eventId = `${id}-${lane}-${n}`;
        const ok = await new Promise<boolean>((resolve) => {
          const onClose = () => resolve(false);
          client.once('close', onClose);
          client.publish(deviceTopic(id, 'events'), eventPayload(eventId, 'fire.alarm', { loop: lane, point: n }), { qos: 1 }, (err) => {
            client.off('close', onClose);
            resolve(!err);
          });
        });
        if (!ok) return;
        acked.get(id)!.push(eventId);
        if (!killed && [...acked.values()].reduce((s, a) => s + a.length, 0) >= 300) {
          killed = true;
          proc.child.kill('SIGKILL');
        }
      }
    }));
    await Promise.all(lanes);
    expect(await proc.exited).toBe('SIGKILL');
    for (const { client } of devices) await client.endAsync(true);

    const rows = url
      ? await (async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try { return (await client.query<{ device_id: string; event_id: string }>('select device_id, event_id from device_events')).rows; } finally { await client.end(); }
      })()
      : await (async () => {
        const pglite = await openPglite(join(dataDir, 'pgdata'));
        try { return await pglite.query<{ device_id: string; event_id: string }>('select device_id, event_id from device_events'); } finally { await pglite.close(); }
      })();
    const stored = new Set(rows.map((r) => `${r.device_id}/${r.event_id}`));
    expect(stored.size, 'each event stored once').toBe(rows.length);
    const missing = [...acked].flatMap(([id, events]) => events.filter((e) => !stored.has(`${id}/${e}`)));
    expect(missing, `acknowledged but not stored (${kind})`).toEqual([]);
  }, 120_000);
});

describe('pushes', () => {
  it('a zone of 10 detectors alarming one after another pushes each alarm at most twice (raised, flagged a likely fire)', async () => {
    const fn = await startTestFireNet();
    try {
      await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
      const viewer = await fn.viewer(fn.adminToken);
      const pushes = new Map<string, number>();
      onEach<{ id: string }>(viewer, 'alarm', (a) => pushes.set(a.id, (pushes.get(a.id) ?? 0) + 1));
      for (let i = 0; i < 10; i++) {
        const id = `sd-zone-${i}`;
        const client = await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE, zone: '住院楼 3F 内科病房' }));
        await client.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-1`, 'smoke.alarm'), { qos: 1 });
      }
      const alarms = await eventually(async () => {
        const list = (await fn.api<{ id: string; likelyFire: boolean }[]>('/api/alarms?status=active')).body;
        return list.length === 10 && list.every((a) => a.likelyFire) && list;
      }, 5000, 'ten alarms, all flagged a likely fire');
      await eventually(async () => alarms.every((a) => pushes.has(a.id)), 5000, 'a push for every alarm');
      await new Promise((r) => setTimeout(r, 300)); // any late re-push would land now
      const counts = alarms.map((a) => pushes.get(a.id) ?? 0);
      expect(Math.max(...counts)).toBeLessThanOrEqual(2);
      expect(counts.reduce((s, n) => s + n, 0)).toBeLessThanOrEqual(20);
    } finally {
      await fn.stop();
    }
  });
});
