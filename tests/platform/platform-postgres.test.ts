// The whole alarm path with PostgreSQL as the store (DATABASE_URL), not only the store's own suite.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

let fn: TestFireNet;

beforeAll(async () => {
  const url = await createDatabase(inject('postgresUrl'), `platform_${randomUUID().replaceAll('-', '')}`);
  fn = await startTestFireNet({ DATABASE_URL: url });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
});
afterAll(() => fn?.stop());

describe('FireNet on PostgreSQL', () => {
  it('runs the migrations, stores an MQTT alarm, de-duplicates concurrent repeats and pushes it live', async () => {
    expect((await fn.api('/api/health')).body.database).toEqual({ kind: 'postgres', ok: true });
    const secret = await fn.provisionDevice({ id: 'sd-pg', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const viewer = await fn.viewer(fn.adminToken);
    const device = await fn.connectDevice('sd-pg', secret);
    const first = nextEvent<{ deviceId: string }>(viewer, 'alarm', (a) => a.deviceId === 'sd-pg');
    // 50 alarm messages at once (same millisecond, distinct ids): one alarm, count 50
    const ts = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      device.publishAsync(deviceTopic('sd-pg', 'events'), eventPayload(`burst-${i}`, 'smoke.alarm', {}, ts), { qos: 1 })));
    await first;
    const alarms = (await fn.api<{ deviceId: string; count: number; status: string }[]>('/api/alarms?status=active')).body.filter((a) => a.deviceId === 'sd-pg');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ count: 50, status: 'new' });
    expect(await fn.store.countEvents('sd-pg')).toBe(50);
  });

  it('keeps sessions, refresh tokens, API tokens and the audit log in PostgreSQL', async () => {
    const signIn = await fn.api<{ token: string; refreshToken: string }>('/api/auth/login', { body: { username: 'admin', password: 'test-admin-password' }, token: null });
    const renewed = await fn.api<{ token: string }>('/api/auth/refresh', { body: { refreshToken: signIn.body.refreshToken }, token: null });
    expect(renewed.status).toBe(200);
    const issued = await fn.api<{ id: string; token: string }>('/api/tokens', { body: { name: 'PG 对接', role: 'operator', siteIds: ['jh-rmyy'] } });
    expect(issued.status).toBe(201);
    expect((await fn.api<{ siteId: string }[]>('/api/alarms', { token: issued.body.token })).body.every((a) => a.siteId === 'jh-rmyy')).toBe(true);
    expect((await fn.api(`/api/tokens/${issued.body.id}`, { method: 'DELETE', token: renewed.body.token })).status).toBe(204);
    expect((await fn.api('/api/alarms', { token: issued.body.token })).status).toBe(401);
    expect((await fn.api('/api/auth/logout', { method: 'POST', token: renewed.body.token })).status).toBe(204);
    expect((await fn.api('/api/auth/me', { token: renewed.body.token })).status).toBe(401);
    const audit = (await fn.api<{ action: string; target: string }[]>('/api/audit')).body;
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['POST /api/tokens', 'DELETE /api/tokens/:id']));
    expect(audit.find((e) => e.action === 'POST /api/tokens')!.target).toBe(`/api/tokens/${issued.body.id}`);
  });

  it('commits a change with its audit entry, or neither: a refused audit write rolls the change back', async () => {
    await fn.provisionDevice({ id: 'sd-pg-audit', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const ok = await fn.api('/api/devices/sd-pg-audit', { method: 'PATCH', body: { disabled: true } });
    expect(ok.status).toBe(200);
    const [latest] = (await fn.api<any[]>('/api/audit?limit=1')).body;
    expect(latest).toMatchObject({ action: 'PATCH /api/devices/:id', target: '/api/devices/sd-pg-audit', details: { status: 200 } });
    await fn.store.transaction((tx) => tx.query('alter table audit_log add constraint audit_refused check (false) not valid'));
    try {
      expect((await fn.api('/api/devices/sd-pg-audit', { method: 'PATCH', body: { disabled: false } })).status).toBe(500);
    } finally {
      await fn.store.transaction((tx) => tx.query('alter table audit_log drop constraint audit_refused'));
    }
    expect((await fn.api<{ disabled: boolean }>('/api/devices/sd-pg-audit')).body.disabled).toBe(true);
    expect((await fn.api<any[]>('/api/audit?limit=1')).body[0].id).toBe(latest.id);
  });
});
