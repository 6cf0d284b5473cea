// API tokens for integrations, and revocation reaching live connections: a real FireNet, real MQTT devices, real socket.io.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let seq = 0;

/** 蛟河市 220281 and 桦甸市 220282. */
const JH = 'tok-jh';
const HD = 'tok-hd';

beforeAll(async () => {
  fn = await startTestFireNet({ LOGIN_RATE_PER_MIN: '1000', REFRESH_REUSE_GRACE_SEC: '0' });
  await fn.provisionSite(JH, '220281', '蛟河市令牌测试医院');
  await fn.provisionSite(HD, '220282', '桦甸市令牌测试医院');
});
afterAll(() => fn?.stop());

async function alarmAt(siteId: string): Promise<{ deviceId: string; alarmId: string }> {
  const deviceId = `tok-sd-${siteId}-${++seq}`;
  const client = await fn.connectDevice(deviceId, await fn.provisionDevice({ id: deviceId, family: 'smoke_detector', siteId, zone: '门诊楼' }));
  await client.publishAsync(deviceTopic(deviceId, 'events'), eventPayload(`${deviceId}-1`, 'smoke.alarm'), { qos: 1 });
  const alarmId = await eventually(async () => (await fn.api<any[]>(`/api/alarms?deviceId=${deviceId}`)).body[0]?.id as string | undefined, 5000, 'the alarm');
  return { deviceId, alarmId };
}

const issue = (body: Record<string, unknown>, token?: string | null) => fn.api<any>('/api/tokens', { body, token });

/** Resolves when the server closes `socket`; rejects after `ms`. */
function closedByServer(socket: Socket, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe('API tokens for integrations', () => {
  it('are issued by an admin, shown once, listed without the secret, and read their scope only', async () => {
    const own = await alarmAt(JH);
    const other = await alarmAt(HD);
    const res = await issue({ name: '蛟河市119联网平台', role: 'bureau', regionCode: '220281' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: '蛟河市119联网平台', role: 'bureau', regionCode: '220281', readOnly: true, createdBy: 'admin', revokedAt: null, expiresAt: null });
    const token: string = res.body.token;
    expect(token).toMatch(/^fnt_[0-9a-f]{16}_[\w-]{43}$/);

    const listed = (await fn.api<any[]>('/api/tokens')).body.find((t) => t.id === res.body.id);
    expect(listed).toMatchObject({ name: '蛟河市119联网平台', lastUsedAt: null });
    expect(listed).not.toHaveProperty('token');
    // the secret part (after `fnt_<id>_`, itself possibly holding `_`) is never listed
    expect(JSON.stringify(listed)).not.toContain(token.slice('fnt_'.length + 16 + 1));

    const alarms = await fn.api<any[]>('/api/alarms', { token });
    expect(alarms.status).toBe(200);
    expect(alarms.body.map((a) => a.id)).toContain(own.alarmId);
    expect(alarms.body.every((a) => a.siteId === JH)).toBe(true);
    expect((await fn.api(`/api/alarms/${other.alarmId}`, { token })).status).toBe(404);
    expect((await fn.api(`/api/devices/${other.deviceId}`, { token })).status).toBe(404);
    expect((await fn.api<any>('/api/auth/me', { token })).body).toMatchObject({ username: 'token:蛟河市119联网平台', role: 'bureau', regionCode: '220281' });
    await eventually(async () => (await fn.api<any[]>('/api/tokens')).body.find((t) => t.id === res.body.id)?.lastUsedAt, 3000, 'last use recorded');
  });

  it('is read-only unless issued otherwise; a writing token acts as its role, in its scope, and is audited by name', async () => {
    const { alarmId } = await alarmAt(JH);
    const elsewhere = await alarmAt(HD);
    const reader = (await issue({ name: 'BMS 只读', role: 'operator', siteIds: [JH] })).body.token as string;
    const refused = await fn.api(`/api/alarms/${alarmId}/ack`, { body: {}, token: reader });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('this API token is read-only');

    const writer = (await issue({ name: '楼宇自控系统', role: 'operator', siteIds: [JH], readOnly: false })).body.token as string;
    const acked = await fn.api<any>(`/api/alarms/${alarmId}/ack`, { body: { note: '联动确认' }, token: writer });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.status).toBe('acknowledged');
    expect((await fn.api(`/api/alarms/${elsewhere.alarmId}/ack`, { body: {}, token: writer })).status).toBe(404);
    // an operator's token may not close tickets any more than an operator may
    const ticket = (await fn.api<any>('/api/tickets', { body: { siteId: JH, title: '消防通道占用', level: 'general' }, token: writer })).body;
    expect((await fn.api(`/api/tickets/${ticket.id}/transition`, { body: { to: 'closed' }, token: writer })).status).toBe(403);

    const entry = await eventually(async () => (await fn.api<any[]>('/api/audit?limit=200')).body
      .find((e) => e.action === 'POST /api/alarms/:id/ack' && e.details.params.id === alarmId), 3000, 'the ack audited');
    expect(entry.actor).toBe('token:楼宇自控系统');
  });

  it('never manage people, tokens or sessions, even as admin; only a signed-in admin issues them', async () => {
    const adminToken = (await issue({ name: '运维脚本', role: 'admin', readOnly: false })).body.token as string;
    expect((await fn.api('/api/devices?limit=1', { token: adminToken })).status).toBe(200);
    for (const [path, init] of [
      ['/api/users', {}], ['/api/tokens', {}],
      ['/api/users', { body: { username: 'sneaky', password: 'sneaky-password', role: 'admin' } }],
      ['/api/tokens', { body: { name: 'child', role: 'admin', readOnly: false } }],
      ['/api/auth/logout', { method: 'POST' }],
    ] as const) {
      const res = await fn.api(path, { ...init, token: adminToken });
      expect(res.status, `${path} ${JSON.stringify(init)}`).toBe(403);
      expect(res.body.message).toMatch(/API tokens may not do this/);
    }
    await fn.store.createUser({ username: 'tok-bureau', passwordHash: await hashSecret('tok-bureau-pw'), role: 'bureau', regionCode: '220281', siteIds: [] });
    const bureau = await fn.login('tok-bureau', 'tok-bureau-pw');
    expect((await issue({ name: 'xx', role: 'bureau', regionCode: '220281' }, bureau)).status).toBe(403);
    expect((await issue({ name: 'xx', role: 'bureau', regionCode: '220281' }, null)).status).toBe(401);
  });

  it('refuses bad requests with the field named', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x1', role: 'bureau' }, /body\.regionCode/],
      [{ name: 'x2', role: 'bureau', regionCode: '999999' }, /body\.regionCode/],
      [{ name: 'x3', role: 'operator', siteIds: [] }, /body\.siteIds/],
      [{ name: 'x4', role: 'operator', siteIds: ['no-such-site'] }, /body\.siteIds: unknown institution/],
      [{ name: 'x5', role: 'robot' }, /body\.role/],
      [{ role: 'admin' }, /body\.name/],
      [{ name: 'x6', role: 'admin', expiresAt: '2001-01-01T00:00:00Z' }, /body\.expiresAt: must be in the future/],
      [{ name: 'x7', role: 'admin', expiresAt: 'tomorrow' }, /body\.expiresAt/],
    ];
    for (const [body, message] of cases) {
      const res = await issue(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
  });

  it('stop working when revoked or expired; forged or malformed ones are refused', async () => {
    const made = (await issue({ name: '短期对接', role: 'bureau', regionCode: '220281' })).body;
    expect((await fn.api('/api/alarms', { token: made.token })).status).toBe(200);
    expect((await fn.api(`/api/tokens/${made.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await fn.api('/api/alarms', { token: made.token });
    expect(revoked.status).toBe(401);
    expect((await fn.api(`/api/tokens/${made.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fn.api<any[]>('/api/tokens')).body.find((t) => t.id === made.id).revokedAt).toEqual(expect.any(String));

    const soon = (await issue({ name: '即将过期', role: 'bureau', regionCode: '220281', expiresAt: new Date(Date.now() + 1500).toISOString() })).body;
    expect((await fn.api('/api/alarms', { token: soon.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await fn.api('/api/alarms', { token: soon.token })).status).toBe(401);

    const live = (await issue({ name: '正常', role: 'bureau', regionCode: '220281' })).body.token as string;
    const [, id, secret] = live.split('_') as [string, string, string];
    const forged = `fnt_${id}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [forged, `fnt_${id}_`, 'fnt_', `fnt_0000000000000000_${secret}`, `${live}x`]) {
      expect((await fn.api('/api/alarms', { token: bad })).status, bad).toBe(401);
    }
  });

  it('open a socket.io feed of their scope, closed at once when revoked', async () => {
    const made = (await issue({ name: '蛟河市大屏', role: 'bureau', regionCode: '220281' })).body;
    const viewer = await fn.viewer(made.token);
    const heard = nextEvent<any>(viewer, 'alarm', (a) => a.siteId === JH, 5000);
    const { alarmId } = await alarmAt(JH);
    expect((await heard).id).toBe(alarmId);
    const closed = closedByServer(viewer);
    expect((await fn.api(`/api/tokens/${made.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    await expect(fn.viewer(made.token)).rejects.toThrow(/unauthorized/);
  });

  it('have their socket closed by the server when they expire, as HTTP starts refusing them', async () => {
    const expiresAt = Date.now() + 2000;
    const made = (await issue({ name: '两秒大屏', role: 'bureau', regionCode: '220281', expiresAt: new Date(expiresAt).toISOString() })).body;
    const viewer = await fn.viewer(made.token);
    const closed = closedByServer(viewer, 5000);
    expect(await closed).toBe('io server disconnect');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(Date.now()).toBeLessThan(expiresAt + 1500);
    expect((await fn.api('/api/alarms', { token: made.token })).status).toBe(401);
  });
});

describe('revoking a session closes its live connections', () => {
  const person = async (username: string) => {
    await fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role: 'operator', regionCode: null, siteIds: [JH] });
    return (await fn.api<any>('/api/auth/login', { body: { username, password: `${username}-pw` }, token: null })).body as { token: string; refreshToken: string; user: { id: string } };
  };

  it('logout closes that session’s sockets, not the user’s other sessions', async () => {
    const first = await person('tok-op-1');
    const second = (await fn.api<any>('/api/auth/login', { body: { username: 'tok-op-1', password: 'tok-op-1-pw' }, token: null })).body;
    const mine = await fn.viewer(first.token);
    const otherSession = await fn.viewer(second.token);
    const closed = closedByServer(mine);
    expect((await fn.api('/api/auth/logout', { method: 'POST', token: first.token })).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect(otherSession.connected).toBe(true);
    const heard = nextEvent<any>(otherSession, 'alarm', (a) => a.siteId === JH, 5000);
    await alarmAt(JH);
    await heard;
  });

  it('a changed password, role or scope closes every socket of that user', async () => {
    const signedIn = await person('tok-op-2');
    const socket = await fn.viewer(signedIn.token);
    const closed = closedByServer(socket);
    expect((await fn.api(`/api/users/${signedIn.user.id}`, { method: 'PATCH', body: { siteIds: [HD] } })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    await expect(fn.viewer(signedIn.token)).rejects.toThrow(/unauthorized/);
  });

  it('a stolen refresh token coming back ends the session and closes its sockets', async () => {
    const signedIn = await person('tok-op-3');
    const next = (await fn.api<any>('/api/auth/refresh', { body: { refreshToken: signedIn.refreshToken }, token: null })).body;
    const socket = await fn.viewer(next.token);
    const closed = closedByServer(socket);
    expect((await fn.api('/api/auth/refresh', { body: { refreshToken: signedIn.refreshToken }, token: null })).status).toBe(401);
    expect(await closed).toBe('io server disconnect');
  });
});
