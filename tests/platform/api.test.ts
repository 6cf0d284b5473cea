// The HTTP API against a real FireNet: sign-in, validation errors naming the field, region filters, provisioning, OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite('jh-1', '220281', '蛟河市人民医院');
  await fn.provisionSite('jh-2', '220281', '蛟河市中医院');
  await fn.provisionSite('hd-1', '220282', '桦甸市人民医院');
  await fn.provisionSite('cc-1', '220104', '吉林大学第一医院');
  await fn.provisionDevice({ id: 'jh-1-sd', family: 'smoke_detector', siteId: 'jh-1' });
  await fn.provisionDevice({ id: 'jh-2-fp', family: 'fire_panel', siteId: 'jh-2' });
  await fn.provisionDevice({ id: 'hd-1-cs', family: 'charging_station', siteId: 'hd-1' });
  await fn.provisionDevice({ id: 'cc-1-hc', family: 'hazmat_cabinet', siteId: 'cc-1' });
  await fn.store.createUser({ username: 'jilinshi', passwordHash: await hashSecret('pw-jilinshi'), role: 'bureau', regionCode: '220200', siteIds: [] });
  await fn.store.createUser({ username: 'op-jh1', passwordHash: await hashSecret('pw-op'), role: 'operator', regionCode: null, siteIds: ['jh-1'] });
});
afterAll(() => fn?.stop());

describe('sign-in', () => {
  it('issues a bearer token for the right password and 401 for a wrong one', async () => {
    const ok = await fn.api('/api/auth/login', { body: { username: 'admin', password: 'test-admin-password' }, token: null });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect((await fn.api('/api/auth/me', { token: ok.body.token })).body.username).toBe('admin');
    const bad = await fn.api('/api/auth/login', { body: { username: 'admin', password: 'nope' }, token: null });
    expect(bad.status).toBe(401);
    // a stable code for programs and for the dashboard's words; the English message for API users, no Chinese in it
    expect(bad.body).toMatchObject({ statusCode: 401, code: 'auth.wrong_credentials', message: 'wrong username or password' });
    const disabled = await fn.api('/api/auth/refresh', { body: { refreshToken: 'nope' }, token: null });
    expect(disabled.body).toMatchObject({ statusCode: 401, code: 'auth.refresh_refused' });
    expect(disabled.body.message).not.toMatch(/[\u4e00-\u9fff]/);
    // an error without a code of its own carries its status's
    expect((await fn.api('/api/alarms/nope')).body).toMatchObject({ statusCode: 404, code: 'not_found' });
    expect((await fn.api('/api/alarms?limit=0')).body).toMatchObject({ statusCode: 400, code: 'invalid_field', fields: [{ field: 'querystring.limit' }] });
  });

  it('refuses the API without a token, and with a forged one', async () => {
    expect((await fn.api('/api/devices', { token: null })).status).toBe(401);
    const forged = fn.adminToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await fn.api('/api/devices', { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/token invalid or expired/);
  });

  it('names the field in a 400 for a bad body or query', async () => {
    const missing = await fn.api('/api/auth/login', { body: { username: 'admin' }, token: null });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/^body\.password: /);
    const badQuery = await fn.api('/api/alarms?status=burning');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.message).toMatch(/^querystring\.status: /);
    const badFamily = await fn.api('/api/devices', { body: { id: 'x-1', family: 'toaster', siteId: 'jh-1' } });
    expect(badFamily.status).toBe(400);
    expect(badFamily.body.fields.map((f: { field: string }) => f.field)).toContain('body.family');
  });
});

describe('registry and region filters', () => {
  it('lists provinces, a province\'s cities and a city\'s counties', async () => {
    const provinces = (await fn.api('/api/regions')).body;
    expect(provinces).toContainEqual({ code: '220000', name: '吉林省', level: 'province', parentCode: '000000' });
    const cities = (await fn.api('/api/regions?parent=220000')).body;
    expect(cities).toContainEqual({ code: '220200', name: '吉林市', level: 'city', parentCode: '220000' });
    const counties = (await fn.api('/api/regions?parent=220200')).body;
    expect(counties).toContainEqual({ code: '220281', name: '蛟河市', level: 'county', parentCode: '220200' });
    expect((await fn.api('/api/regions?parent=999999')).status).toBe(404);
  });

  it('matches a region filter against the region and everything below it', async () => {
    const ids = async (q: string) => (await fn.api<{ id: string }[]>(`/api/sites${q}`)).body.map((s) => s.id).sort();
    expect(await ids('?region=220000')).toEqual(['cc-1', 'hd-1', 'jh-1', 'jh-2']);
    expect(await ids('?region=220200')).toEqual(['hd-1', 'jh-1', 'jh-2']);
    expect(await ids('?region=220281')).toEqual(['jh-1', 'jh-2']);
    expect(await ids('?region=110000')).toEqual([]);
    const devices = (await fn.api<{ id: string }[]>('/api/devices?region=220200')).body.map((d) => d.id).sort();
    expect(devices).toEqual(['hd-1-cs', 'jh-1-sd', 'jh-2-fp']);
  });

  it('refuses a site in a region that is not a county', async () => {
    const res = await fn.api('/api/sites', { body: { id: 'bad', name: 'x', regionCode: '220200' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^regionCode: /);
  });

  it('keeps a user to their scope: a city bureau, an institution\'s operator', async () => {
    const city = await fn.login('jilinshi', 'pw-jilinshi');
    expect((await fn.api<{ id: string }[]>('/api/sites', { token: city })).body.map((s) => s.id).sort()).toEqual(['hd-1', 'jh-1', 'jh-2']);
    expect((await fn.api('/api/devices/cc-1-hc', { token: city })).status).toBe(404);
    const op = await fn.login('op-jh1', 'pw-op');
    expect((await fn.api<{ id: string }[]>('/api/devices', { token: op })).body.map((d) => d.id)).toEqual(['jh-1-sd']);
    expect((await fn.api('/api/devices', { token: op, body: { id: 'op-made', family: 'smoke_detector', siteId: 'jh-1' } })).status).toBe(403);
    // the overview is the bureaus' view (and the admins'): an operator is refused it, whatever the region
    for (const path of ['/api/overview', '/api/overview?region=220281', '/api/overview?region=000000']) {
      const refused = await fn.api(path, { token: op });
      expect(refused.status, path).toBe(403);
      expect(refused.body.code).toBe('role.forbidden');
    }
    // an institution's staff start the report at the region of their institutions, not the country
    expect((await fn.api('/api/reports/monthly', { token: op })).body.region.code).toBe('220281');
    // institutions in two counties of one city: the city; in two cities: the province
    await fn.store.createUser({ username: 'sm-two', passwordHash: await hashSecret('pw-two'), role: 'safety_manager', regionCode: null, siteIds: ['jh-1', 'hd-1'] });
    expect((await fn.api('/api/reports/monthly', { token: await fn.login('sm-two', 'pw-two') })).body.region.code).toBe('220200');
    await fn.store.createUser({ username: 'sm-far', passwordHash: await hashSecret('pw-far'), role: 'safety_manager', regionCode: null, siteIds: ['jh-1', 'cc-1'] });
    const far = await fn.login('sm-far', 'pw-far');
    expect((await fn.api('/api/reports/monthly', { token: far })).body.region.code).toBe('220000');
    // the country's report lists only where the caller has institutions, and counts only theirs
    await fn.store.createUser({ username: 'sm-jh1', passwordHash: await hashSecret('pw-sm-jh1'), role: 'safety_manager', regionCode: null, siteIds: ['jh-1'] });
    const manager = await fn.login('sm-jh1', 'pw-sm-jh1');
    const country = (await fn.api('/api/reports/monthly?region=000000', { token: manager })).body;
    expect(country.rows).toEqual([expect.objectContaining({ code: '220000', devices: 1 })]);
    const cityReport = (await fn.api('/api/reports/monthly?region=220200', { token: manager })).body;
    expect(cityReport.rows.map((c: { code: string }) => c.code)).toEqual(['220281']);
  });
});

describe('provisioning', () => {
  it('returns the device secret once; the device then connects with it', async () => {
    const created = await fn.api('/api/devices', { body: { id: 'new-sd', family: 'smoke_detector', siteId: 'jh-1', zone: '门诊楼 1F' } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const shown = await fn.api('/api/devices/new-sd');
    expect(JSON.stringify(shown.body)).not.toContain(created.body.secret);
    expect(shown.body).toMatchObject({ id: 'new-sd', family: 'smoke_detector', siteId: 'jh-1', online: false, lastSeenAt: null, badMessages: 0 });
    const client = await fn.connectDevice('new-sd', created.body.secret);
    expect(client.connected).toBe(true);
    await client.endAsync();
    const again = await fn.api('/api/devices', { body: { id: 'new-sd', family: 'smoke_detector', siteId: 'jh-1' } });
    expect(again.status).toBe(409);
    const orphan = await fn.api('/api/devices', { body: { id: 'orphan', family: 'smoke_detector', siteId: 'nowhere' } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.message).toMatch(/^siteId: /);
  });
});

describe('overview', () => {
  it('counts institutions, devices, online devices and active alarms per child region', async () => {
    const secret = await fn.provisionDevice({ id: 'jh-2-sd', family: 'smoke_detector', siteId: 'jh-2' });
    const client = await fn.connectDevice('jh-2-sd', secret);
    await client.publishAsync(deviceTopic('jh-2-sd', 'events'), eventPayload('ov-1', 'smoke.alarm'), { qos: 1 });
    await client.endAsync();

    // last-seen times are written in batches every few seconds
    const province = await eventually(async () => {
      const body = (await fn.api('/api/overview?region=220000')).body;
      return body.children.find((c: { code: string; online: number }) => c.code === '220200' && c.online > 0) ? body : null;
    }, 5000, 'the device counted online');
    expect(province.region).toMatchObject({ code: '220000', name: '吉林省', level: 'province' });
    const jilinshi = province.children.find((c: { code: string }) => c.code === '220200');
    expect(jilinshi).toMatchObject({ name: '吉林市', level: 'city', institutions: 3, activeAlarms: 1 });
    expect(jilinshi.devices).toBeGreaterThanOrEqual(4);
    expect(jilinshi.online).toBeGreaterThanOrEqual(1);
    expect(jilinshi.onlineRate).toBeCloseTo(jilinshi.online / jilinshi.devices);

    const county = (await fn.api('/api/overview?region=220281')).body;
    expect(county.children.map((c: { code: string }) => c.code).sort()).toEqual(['jh-1', 'jh-2']);
    expect(county.children.find((c: { code: string }) => c.code === 'jh-2')).toMatchObject({ level: 'site', activeAlarms: 1 });

    const city = await fn.login('jilinshi', 'pw-jilinshi');
    expect((await fn.api('/api/overview', { token: city })).body.region.code).toBe('220200');
    expect((await fn.api('/api/overview?region=220100', { token: city })).status).toBe(403);
  });
});

describe('health and documentation', () => {
  it('reports each part on /api/health', async () => {
    const health = (await fn.api('/api/health', { token: null })).body;
    expect(health).toMatchObject({ status: 'ok', database: { kind: 'pglite', ok: true } });
    expect(health.gateway.mqttPort).toBeGreaterThan(0);
  });
  it('serves the OpenAPI document and its page', async () => {
    const spec = (await fn.api('/openapi.json', { token: null })).body;
    for (const path of ['/api/health', '/api/auth/login', '/api/regions', '/api/sites', '/api/devices', '/api/devices/{id}', '/api/alarms', '/api/overview']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    const page = await fetch(`${fn.httpUrl}/docs/`);
    expect(page.status).toBe(200);
  });
  it('answers an unknown route with a 404 that names it', async () => {
    const res = await fn.api('/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('no route GET /api/nothing');
  });
});
