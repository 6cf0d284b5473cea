// The storage contract: the same assertions against both adapters of the port,
// embedded PGlite and a real PostgreSQL server (where concurrency is real).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeviceEvent, DeviceFamily } from '../gateway/payloads.js';
import type { NewDevice, Site } from '../platform/schemas.js';
import type { SqlExecutor } from '../platform/store/executor.js';
import { migrations } from '../platform/store/migrations.js';
import { openPglite } from '../platform/store/pglite.js';
import { openPostgres } from '../platform/store/postgres.js';
import { Store, type AlarmRaise, type SiteCodes } from '../platform/store/store.js';
import { createDatabase } from './helpers/postgres.js';

const adapters: [string, () => Promise<SqlExecutor>][] = [
  ['pglite', () => openPglite(undefined)],
  ['postgres', async () => openPostgres(await createDatabase(inject('postgresUrl'), `store_${randomUUID().replaceAll('-', '')}`))],
];

// Jilin province: two counties of Jilin city and one district of Changchun.
const JIAOHE = { id: 'jh-hospital', name: '蛟河市人民医院', regionCode: '220281', cityCode: '220200' };
const JIAOHE_2 = { id: 'jh-tcm', name: '蛟河市中医院', regionCode: '220281', cityCode: '220200' };
const HUADIAN = { id: 'hd-hospital', name: '桦甸市人民医院', regionCode: '220282', cityCode: '220200' };
const CHAOYANG = { id: 'cy-hospital', name: '长春市朝阳区医院', regionCode: '220104', cityCode: '220100' };
const SITES = [JIAOHE, JIAOHE_2, HUADIAN, CHAOYANG];

const site = (s: typeof JIAOHE): Site => ({ id: s.id, name: s.name, kind: 'hospital', regionCode: s.regionCode, address: null, lat: 43.72, lng: 127.34 });
const codes = (s: typeof JIAOHE): SiteCodes => ({ regionCode: s.regionCode, cityCode: s.cityCode, provinceCode: '220000' });

const device = (id: string, siteId: string, family: DeviceFamily = 'fire_panel', heartbeatSec = 60): NewDevice => ({
  id, family, siteId, model: 'JB-QB-5000', building: '门诊楼', floor: '3F', zone: '东区', heartbeatSec,
});

const fireAlarm = (id: string, ts: number, loop = 1, point = 17): DeviceEvent => ({ id, ts, type: 'fire.alarm', data: { loop, point } });
const raiseFor = (s: typeof JIAOHE, sourceKey: string): AlarmRaise => ({
  siteId: s.id, regionCode: s.regionCode, family: 'fire_panel', type: 'fire.alarm', sourceKey, location: '门诊楼 3F 东区', data: { loop: 1, point: 17 },
});

const ids = (rows: readonly { id: string }[]): string[] => rows.map((r) => r.id).sort();

describe.each(adapters)('Store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;
  let firstMigration: number[];

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    firstMigration = await store.migrate();
    for (const s of SITES) await store.upsertSite(site(s), codes(s));
  });

  afterAll(async () => {
    await db?.close();
  });

  it('applies every migration once', async () => {
    expect(firstMigration).toEqual(migrations.map((m) => m.version));
    expect(await store.migrate()).toEqual([]);
  });

  it('lists sites by province, city and county scope', async () => {
    expect(ids(await store.listSites([]))).toEqual(ids(SITES));
    expect(ids(await store.listSites([{ region: '000000' }]))).toEqual(ids(SITES));
    expect(ids(await store.listSites([{ region: '220000' }]))).toEqual(ids(SITES));
    expect(ids(await store.listSites([{ region: '220200' }]))).toEqual(ids([JIAOHE, JIAOHE_2, HUADIAN]));
    expect(ids(await store.listSites([{ region: '220281' }]))).toEqual(ids([JIAOHE, JIAOHE_2]));
    expect(ids(await store.listSites([{ region: '220100' }]))).toEqual([CHAOYANG.id]);
    expect(await store.listSites([{ region: '230000' }])).toEqual([]);
  });

  it('lists sites by siteIds scope, intersected with a region scope', async () => {
    expect(ids(await store.listSites([{ siteIds: [HUADIAN.id, CHAOYANG.id] }]))).toEqual(ids([HUADIAN, CHAOYANG]));
    expect(ids(await store.listSites([{ region: '220200' }, { siteIds: [HUADIAN.id, CHAOYANG.id] }]))).toEqual([HUADIAN.id]);
    expect(await store.listSites([{ siteIds: [] }])).toEqual([]);
  });

  it('orders sites by county code and returns them as stored', async () => {
    const sites = await store.listSites([{ siteIds: [HUADIAN.id, CHAOYANG.id, JIAOHE.id] }]);
    expect(sites.map((s) => s.regionCode)).toEqual(['220104', '220281', '220282']);
    expect(sites[1]).toEqual(site(JIAOHE));
    expect(await store.getSite(JIAOHE.id)).toEqual(site(JIAOHE));
  });

  it('updates a site on a second upsert', async () => {
    const renamed = { ...JIAOHE_2, name: '蛟河市中医医院' };
    await store.upsertSite(site(renamed), codes(renamed));
    expect((await store.getSite(JIAOHE_2.id))?.name).toBe('蛟河市中医医院');
    expect(await store.countSites()).toBe(SITES.length);
  });

  it('creates a device once and refuses a duplicate id', async () => {
    expect(await store.createDevice(device('panel-dup', JIAOHE.id), 'hash-1')).toBe(true);
    expect(await store.createDevice(device('panel-dup', HUADIAN.id, 'smoke_detector'), 'hash-2')).toBe(false);
    expect(await store.getDeviceCredentials('panel-dup')).toEqual({
      id: 'panel-dup', family: 'fire_panel', siteId: JIAOHE.id, secretHash: 'hash-1', disabled: false,
    });
    expect(await store.getDeviceCredentials('no-such-device')).toBeNull();
  });

  it('stores an event once per device and event id', async () => {
    await store.createDevice(device('panel-events', JIAOHE.id), 'h');
    const event: DeviceEvent = { id: 'evt-1', ts: Date.now(), type: 'fault', data: { code: 'E12' } };
    expect(await store.recordEvent('panel-events', event, Date.now(), null)).toEqual({ duplicate: false, alarm: null });
    expect(await store.recordEvent('panel-events', event, Date.now(), null)).toEqual({ duplicate: true, alarm: null });
    expect(await store.countEvents('panel-events')).toBe(1);
  });

  it('raises a fire alarm with count 1 and status new', async () => {
    await store.createDevice(device('panel-fire', JIAOHE.id), 'h');
    const ts = Date.parse('2026-03-01T08:00:00Z');
    const { duplicate, alarm } = await store.recordEvent('panel-fire', fireAlarm('fire-1', ts), ts + 50, raiseFor(JIAOHE, 'loop1/point17'));
    expect(duplicate).toBe(false);
    expect(alarm).toMatchObject({
      deviceId: 'panel-fire', siteId: JIAOHE.id, siteName: JIAOHE.name, regionCode: '220281', family: 'fire_panel',
      type: 'fire.alarm', sourceKey: 'loop1/point17', status: 'new', count: 1, location: '门诊楼 3F 东区',
      // timed by FireNet's clock (receipt), not the device's: response deadlines run from arrival
      data: { loop: 1, point: 17 }, raisedAt: new Date(ts + 50).toISOString(), lastSeenAt: new Date(ts + 50).toISOString(),
    });
    expect(await store.getAlarm(alarm!.id)).toEqual(alarm);
  });

  it('repeats of one source arriving together make one open alarm', async () => {
    await store.createDevice(device('panel-burst', HUADIAN.id), 'h');
    const ts = Date.parse('2026-03-01T09:00:00Z');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      store.recordEvent('panel-burst', fireAlarm(`burst-${i}`, ts), ts, raiseFor(HUADIAN, 'loop2/point3'))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(new Set(results.map((r) => r.alarm?.id)).size).toBe(1);
    expect(results.map((r) => r.alarm!.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const alarms = await store.listAlarms([{ siteIds: [HUADIAN.id] }], { limit: 100 });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ deviceId: 'panel-burst', sourceKey: 'loop2/point3', count: 50, status: 'new' });
    expect(await store.countEvents('panel-burst')).toBe(50);
  });

  it('a different source of the same device makes a second alarm', async () => {
    const ts = Date.parse('2026-03-01T09:05:00Z');
    const other = await store.recordEvent('panel-burst', fireAlarm('burst-other', ts, 4, 9), ts, raiseFor(HUADIAN, 'loop4/point9'));
    expect(other.alarm).toMatchObject({ sourceKey: 'loop4/point9', count: 1 });
    const alarms = await store.listAlarms([{ siteIds: [HUADIAN.id] }], { limit: 100 });
    expect(alarms.map((a) => [a.sourceKey, a.count])).toEqual([['loop4/point9', 1], ['loop2/point3', 50]]);
  });

  it('lists alarms within scope and, when asked, only the active ones', async () => {
    await store.createDevice(device('panel-cy', CHAOYANG.id), 'h');
    const ts = Date.parse('2026-03-01T10:00:00Z');
    const closed = (await store.recordEvent('panel-cy', fireAlarm('cy-1', ts), ts, raiseFor(CHAOYANG, 'loop1/point1'))).alarm!;
    // Closing belongs to the alarm workflow; here it is done directly to have a closed alarm to filter.
    await db.query(`update alarms set status = 'closed' where id = $1`, [closed.id]);
    const reopened = (await store.recordEvent('panel-cy', fireAlarm('cy-2', ts + 1000), ts + 1000, raiseFor(CHAOYANG, 'loop1/point1'))).alarm!;
    expect(reopened.id).not.toBe(closed.id);
    expect(reopened.count).toBe(1);

    const chaoyang = await store.listAlarms([{ region: '220104' }], { limit: 100 });
    expect(chaoyang.map((a) => a.id)).toEqual([reopened.id, closed.id]);
    expect((await store.listAlarms([{ region: '220104' }], { active: true, limit: 100 })).map((a) => a.id)).toEqual([reopened.id]);
    expect((await store.listAlarms([{ region: '220104' }], { status: 'closed', limit: 100 })).map((a) => a.id)).toEqual([closed.id]);

    const jilinCity = await store.listAlarms([{ region: '220200' }], { limit: 100 });
    expect(new Set(jilinCity.map((a) => a.siteId))).toEqual(new Set([JIAOHE.id, HUADIAN.id]));
    expect((await store.listAlarms([{ region: '220000' }], { active: true, limit: 100 })).map((a) => a.siteId).sort())
      .toEqual([CHAOYANG.id, HUADIAN.id, HUADIAN.id, JIAOHE.id].sort());
    expect(await store.listAlarms([{ region: '220281' }, { siteIds: [HUADIAN.id] }], { limit: 100 })).toEqual([]);
    expect(await store.listAlarms([{ region: '220000' }], { limit: 2 })).toHaveLength(2);
  });

  it('counts bad messages on the device and lists them newest first', async () => {
    await store.createDevice(device('smoke-bad', JIAOHE.id, 'smoke_detector'), 'h');
    const t0 = Date.parse('2026-03-02T00:00:00Z');
    await store.recordBadMessage('smoke-bad', 'devices/smoke-bad/events', 'json: unexpected token', 12, t0);
    await store.recordBadMessage('smoke-bad', 'devices/smoke-bad/telemetry', 'metrics: at least one metric', 15, t0 + 60_000);
    const d = await store.getDevice('smoke-bad');
    expect(d).toMatchObject({ badMessages: 2, lastBadReason: 'metrics: at least one metric', lastBadAt: new Date(t0 + 60_000).toISOString() });
    expect(await store.listBadMessages('smoke-bad')).toEqual([
      { topic: 'devices/smoke-bad/telemetry', reason: 'metrics: at least one metric', size: 15, receivedAt: new Date(t0 + 60_000).toISOString() },
      { topic: 'devices/smoke-bad/events', reason: 'json: unexpected token', size: 12, receivedAt: new Date(t0).toISOString() },
    ]);
    expect(await store.listBadMessages('smoke-bad', 1)).toHaveLength(1);
  });

  it('stores telemetry rows', async () => {
    await store.createDevice(device('charger-1', HUADIAN.id, 'charging_station'), 'h');
    const ts = Date.parse('2026-03-02T01:00:00Z');
    await store.insertTelemetry([
      { deviceId: 'charger-1', ts, port: 3, metrics: { temperature_c: 41.5, current_a: 2.2 } },
      { deviceId: 'charger-1', ts: ts + 1000, port: null, metrics: { main_power_ok: true } },
    ]);
    await store.insertTelemetry([]);
    expect(await store.countTelemetry('charger-1')).toBe(2);
    expect(await store.countTelemetry('no-such-device')).toBe(0);
  });

  it('marks a device online when heard from recently and offline after three heartbeats', async () => {
    await store.createDevice(device('smoke-live', CHAOYANG.id, 'smoke_detector', 60), 'h');
    await store.createDevice(device('smoke-quiet', CHAOYANG.id, 'smoke_detector', 60), 'h');
    expect(await store.getDevice('smoke-live')).toMatchObject({ lastSeenAt: null, online: false });

    const now = Date.now();
    const longAgo = now - 3 * 60_000 - 30_000;
    await store.touchDevices(new Map([['smoke-live', now], ['smoke-quiet', longAgo]]));
    expect(await store.getDevice('smoke-live')).toMatchObject({ lastSeenAt: new Date(now).toISOString(), online: true });
    expect(await store.getDevice('smoke-quiet')).toMatchObject({ lastSeenAt: new Date(longAgo).toISOString(), online: false });

    // A late batch never moves last-seen backwards.
    await store.touchDevices(new Map([['smoke-live', longAgo]]));
    expect(await store.getDevice('smoke-live')).toMatchObject({ lastSeenAt: new Date(now).toISOString(), online: true });
  });

  it('overview counts institutions, devices, online devices and active alarms per county', async () => {
    const overview = await store.overview([{ region: '220000' }], 'region_code');
    expect(Object.fromEntries(overview)).toEqual({
      // jh-hospital: panel-dup, panel-events, panel-fire, smoke-bad; one open fire alarm
      '220281': { institutions: 2, devices: 4, online: 0, activeAlarms: 1 },
      // hd-hospital: panel-burst, charger-1; two open alarms of panel-burst
      '220282': { institutions: 1, devices: 2, online: 0, activeAlarms: 2 },
      // cy-hospital: panel-cy, smoke-live (online), smoke-quiet; one open, one closed alarm
      '220104': { institutions: 1, devices: 3, online: 1, activeAlarms: 1 },
    });
    const jilinCity = await store.overview([{ region: '220200' }], 'region_code');
    expect([...jilinCity.keys()].sort()).toEqual(['220281', '220282']);
    const bySite = await store.overview([{ region: '220281' }], 'id');
    expect(Object.fromEntries(bySite)).toEqual({
      [JIAOHE.id]: { institutions: 1, devices: 4, online: 0, activeAlarms: 1 },
      [JIAOHE_2.id]: { institutions: 1, devices: 0, online: 0, activeAlarms: 0 },
    });
  });

  it('round-trips a user by username and by id', async () => {
    const created = await store.createUser({ username: 'jilin-bureau', passwordHash: 'scrypt$abc', role: 'bureau', regionCode: '220200', siteIds: [] });
    const manager = await store.createUser({ id: 'u-manager', username: 'jh-manager', passwordHash: 'scrypt$def', role: 'safety_manager', regionCode: null, siteIds: [JIAOHE.id, JIAOHE_2.id] });
    expect(await store.findUser('jilin-bureau')).toEqual(created);
    expect(await store.getUser(created.id)).toEqual(created);
    expect(await store.getUser('u-manager')).toEqual(manager);
    expect(manager.siteIds).toEqual([JIAOHE.id, JIAOHE_2.id]);
    expect(await store.findUser('nobody')).toBeNull();
    await expect(store.createUser({ username: 'jilin-bureau', passwordHash: 'x', role: 'operator', regionCode: null, siteIds: [] })).rejects.toThrow();
  });

  it('keeps the first value of a setting', async () => {
    expect(await store.getSetting('jwt_secret')).toBeNull();
    expect(await store.initSetting('jwt_secret', 'first')).toBe('first');
    expect(await store.initSetting('jwt_secret', 'second')).toBe('first');
    expect(await store.getSetting('jwt_secret')).toBe('first');
  });
});

describe('PostgreSQL adapter', () => {
  it('survives the server ending its idle connections, and reports it', async () => {
    const name = `store_${randomUUID().replaceAll('-', '')}`;
    const idleErrors: Error[] = [];
    const db = await openPostgres(await createDatabase(inject('postgresUrl'), name), (err) => idleErrors.push(err));
    try {
      await Promise.all([db.query('select pg_sleep(0.05)'), db.query('select pg_sleep(0.05)')]);
      const admin = new pg.Client({ connectionString: inject('postgresUrl') });
      await admin.connect();
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      await admin.end();
      expect(killed.rowCount).toBe(2);
      await expect.poll(() => idleErrors.length).toBe(2);
      expect(await db.query('select 1 as ok')).toEqual([{ ok: 1 }]);
    } finally {
      await db.close();
    }
  });
});
