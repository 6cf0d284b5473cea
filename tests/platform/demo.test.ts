// Demo mode as `npm start` runs it: the seeded province, the simulated fleet on the real MQTT port,
// demo users, and a ward-fire scenario reaching the duty room.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wardFire } from '../../simulators/scenarios.js';
import { DEMO_PASSWORD } from '../../platform/auth/users.js';
import { demoUsers } from '../../platform/demo/province.js';
import { eventually, onEach, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet({ FIRENET_DEMO: '1', FIRENET_DEMO_EVENT_RATE: '0', LOG_LEVEL: 'info' }); // GB/T 26875.3 on a free port, as for every demo
  await fn.fleet!.ready;
});
afterAll(() => fn?.stop());

describe('demo province', () => {
  it('seeds 吉林省 with at least 30 institutions over several counties, including 蛟河市, and 1,000+ devices of all five families', async () => {
    const sites = (await fn.api<{ id: string; regionCode: string }[]>('/api/sites?region=220000')).body;
    expect(sites.length).toBeGreaterThanOrEqual(30);
    expect(new Set(sites.map((s) => s.regionCode)).size).toBeGreaterThanOrEqual(5);
    expect(sites.filter((s) => s.regionCode === '220281').length).toBeGreaterThanOrEqual(3);
    const devices = (await fn.api<{ family: string }[]>('/api/devices?limit=5000')).body;
    expect(devices.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(devices.map((d) => d.family))).toEqual(new Set(['smoke_detector', 'fire_panel', 'charging_station', 'hazmat_cabinet', 'transmission_device']));
  });

  it('comes with a month of history: the map has colours, the board has tickets in every state, the report has checks', async () => {
    const city = (await fn.api('/api/overview?region=220200')).body;
    expect(city.children.find((c: { code: string }) => c.code === '220281').worstRisk).toBe('major');
    expect(city.summary.majorHazards.map((h: { regionCode: string }) => h.regionCode)).toEqual(['220281']);
    const states = new Set((await fn.api<{ state: string }[]>('/api/tickets')).body.map((t) => t.state));
    expect(states).toEqual(new Set(['reported', 'registered', 'rectifying', 'pending_verification', 'closed']));
    expect((await fn.api<unknown[]>('/api/tickets?overdue=true')).body.length).toBeGreaterThanOrEqual(1);
    const inspections = (await fn.api<unknown[]>('/api/inspections?limit=1000')).body;
    expect(inspections.length).toBeGreaterThan(100);
  });

  it('comes with a month of the institutions\' duties: risk registers, control rooms with 查岗, drills and fire teams', async () => {
    const risks = (await fn.api<{ siteId: string; worst: string | null }[]>('/api/risks/summary')).body;
    expect(risks.filter((r) => r.worst === 'major').length).toBeGreaterThanOrEqual(1);
    // the map can be coloured by the register: some county is red there and not for its open hazards
    const province = (await fn.api('/api/overview?region=220000')).body;
    expect(province.summary.worstRegisteredRisk).toBe('major');

    const rooms = (await fn.api<{ siteId: string; shift: unknown; signedOn: unknown[] }[]>('/api/control-room/on-duty?region=220281')).body;
    const rmyy = rooms.find((r) => r.siteId === 'site-220281-rmyy')!;
    expect(rmyy.shift).not.toBeNull();
    expect((await fn.api<unknown[]>('/api/control-room/handovers?region=220281')).body.length).toBeGreaterThan(5);
    const checks = (await fn.api<{ state: string }[]>('/api/control-room/duty-checks?region=220281&limit=1000')).body;
    expect(new Set(checks.map((c) => c.state))).toEqual(new Set(['answered', 'missed']));
    expect((await fn.api<unknown[]>('/api/control-room/certificates?state=expiring')).body.length).toBeGreaterThanOrEqual(1);

    const status = (await fn.api<{ overdue: number }[]>('/api/preparedness/status?region=220281')).body;
    expect(status.length).toBeGreaterThan(0);
    expect(status.some((s) => s.overdue > 0)).toBe(true);
    expect((await fn.api<unknown[]>('/api/preparedness?kind=drill&limit=1000')).body.length).toBeGreaterThan(20);
    const teams = (await fn.api<{ members: unknown[]; lastCheck: unknown }[]>('/api/fire-teams?region=220281')).body;
    expect(teams.some((t) => t.members.length > 0 && t.lastCheck !== null)).toBe(true);
  });

  it('comes with a month of checklist checks: completion below full where days were skipped, missed checks flagged, items fixed on the spot', async () => {
    const DAY = 86_400_000;
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const month = (await fn.api<any>(`/api/checks/completion?from=${day(Date.now() - 30 * DAY)}&to=${day(Date.now())}`)).body;
    expect(month.institutions.length).toBeGreaterThanOrEqual(30);
    expect(month.total.byRhythm.daily.rate).toBeGreaterThan(0.8);
    expect(month.total.byRhythm.daily.rate).toBeLessThan(1);
    expect(month.total.fixedOnSpot).toBeGreaterThan(0);
    const missed = await eventually(async () => {
      const list = (await fn.api<{ rhythm: string }[]>('/api/checks/missed?rhythm=daily&limit=1000')).body;
      return list.length ? list : null;
    }, 10_000, 'missed daily checks flagged at start');
    expect(missed.length).toBeGreaterThan(5);
  });

  it('lets every demo user sign in with the published password', async () => {
    for (const u of demoUsers) expect((await fn.login(u.username, DEMO_PASSWORD)).length).toBeGreaterThan(20);
  });

  it('runs the simulated fleet against the real MQTT port: devices connect and come online', async () => {
    expect(fn.gateway.connectedCount()).toBe(fn.fleet!.devices.length);
    const overview = await eventually(async () => {
      const body = (await fn.api('/api/overview?region=220000')).body;
      const online = body.children.reduce((n: number, c: { online: number }) => n + c.online, 0);
      return online >= 100 ? body : null;
    }, 30_000, '100 demo devices online');
    const jilinshi = overview.children.find((c: { code: string }) => c.code === '220200');
    expect(jilinshi.institutions).toBeGreaterThanOrEqual(10);
  });

  it('runs the demo\'s transmission devices over GB/T 26875.3: each hospital\'s signs in and comes online', async () => {
    const transmission = fn.fleet!.transmission!;
    expect(transmission.devices.length).toBeGreaterThanOrEqual(10);
    await eventually(async () => fn.gb26875!.connectedCount() === transmission.devices.length, 30_000, 'every transmission device signed in');
    const listed = (await fn.api<{ id: string; online: boolean; gbAddress: string }[]>('/api/devices?family=transmission_device&limit=5000')).body;
    expect(listed).toHaveLength(transmission.devices.length);
    expect(listed.every((d) => d.online && /^[0-9A-F]{12}$/.test(d.gbAddress))).toBe(true);
  });

  it('plays a ward fire: several detectors of one ward alarm and each alarm reaches the duty room', async () => {
    const viewer = await fn.viewer(fn.adminToken);
    const arrived = new Set<string>();
    onEach<{ deviceId: string }>(viewer, 'alarm', (a) => arrived.add(a.deviceId));
    const report = await wardFire(fn.fleet!, { siteId: 'site-220281-rmyy', detectors: 3, spreadSec: 1, holdSec: 0 });
    const detectors = report.devices.filter((id) => id.startsWith('sd-'));
    expect(detectors).toHaveLength(3);
    await eventually(async () => detectors.every((id) => arrived.has(id)), 5000, 'every ward alarm pushed');
    const active = (await fn.api<{ deviceId: string; siteId: string }[]>('/api/alarms?status=active&region=220281')).body;
    for (const id of detectors) expect(active.some((a) => a.deviceId === id && a.siteId === 'site-220281-rmyy')).toBe(true);
  });
});

describe('leaving demo mode', () => {
  it('removes the demo users still on the published password, keeps one given its own, and refuses to start while admin keeps it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-demo-exit-'));
    try {
      // a demo start with no FIRENET_ADMIN_PASSWORD: admin gets the demo password too
      const demo = await startTestFireNet({ DATA_DIR: dataDir, FIRENET_DEMO: '1', FIRENET_DEMO_DEVICES: '40', FIRENET_DEMO_EVENT_RATE: '0', FIRENET_ADMIN_PASSWORD: '', LOG_LEVEL: 'warn' }, DEMO_PASSWORD);
      const adopted = (await demo.api<{ id: string; username: string }[]>('/api/users')).body.find((u) => u.username === 'jiaohe-safety')!;
      expect((await demo.api(`/api/users/${adopted.id}`, { method: 'PATCH', body: { password: 'a-real-password-now' } })).status).toBe(200);
      const operatorToken = await demo.login('jiaohe-operator', DEMO_PASSWORD);
      await demo.stop();

      await expect(startTestFireNet({ DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: '' }))
        .rejects.toThrow(/admin password is still the published demo password: set FIRENET_ADMIN_PASSWORD/);

      const production = await startTestFireNet({ DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: 'production-admin-pw' }, 'production-admin-pw');
      try {
        const names = (await production.api<{ username: string }[]>('/api/users')).body.map((u) => u.username).sort();
        expect(names).toEqual(['admin', 'jiaohe-safety']);
        for (const u of demoUsers) {
          const res = await production.api('/api/auth/login', { body: { username: u.username, password: DEMO_PASSWORD }, token: null });
          expect(res.status, u.username).toBe(401);
        }
        expect((await production.api('/api/auth/me', { token: operatorToken })).status).toBe(401);
        // the simulated duty rooms' token (an operator over every demo institution) no longer works either
        const duty = (await production.api<{ name: string; revokedAt: string | null }[]>('/api/tokens')).body.filter((t) => t.name === '演示值班室');
        expect(duty.length).toBeGreaterThan(0);
        expect(duty.every((t) => t.revokedAt !== null)).toBe(true);
        expect((await production.login('jiaohe-safety', 'a-real-password-now')).length).toBeGreaterThan(20);
      } finally {
        await production.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
