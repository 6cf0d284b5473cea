// Bad input at the HTTP edge gets a 400 that names the field, never a 500; and a change cannot escape the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet({ LOGIN_RATE_PER_MIN: '1000' });
  await fn.provisionSite('http-jh', '220281', '蛟河市输入测试医院');
});
afterAll(() => fn?.stop());

/** A request with a raw path (already percent-encoded) and a raw JSON text body. */
async function raw(method: string, path: string, body?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${fn.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(fn.httpUrl + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const audit = async () => (await fn.api<any[]>('/api/audit?limit=1000')).body;

describe('bad input is a 400 naming the field', () => {
  it('refuses a NUL in a path id on every route that takes one', async () => {
    const note = JSON.stringify({ note: 'x' });
    const cases: [string, string, string?][] = [
      ['GET', '/api/alarms/%00'],
      ['POST', '/api/alarms/%00/ack', note],
      ['POST', '/api/alarms/%00/confirm', JSON.stringify({ outcome: 'test' })],
      ['POST', '/api/alarms/%00/close', note],
      ['GET', '/api/workorders/%00'],
      ['POST', '/api/workorders/%00/transition', JSON.stringify({ action: 'fix' })],
      ['GET', '/api/tickets/%00'],
      ['POST', '/api/tickets/%00/transition', JSON.stringify({ to: 'rectifying' })],
      ['POST', '/api/tickets/%00/comments', note],
      ['POST', '/api/tickets/%00/escalate', note],
      ['GET', '/api/tickets/x/photos/%00'],
      ['GET', '/api/tickets/%00/photos/x'],
      ['PUT', '/api/periods/%00', JSON.stringify({ label: '春节', from: '2030-01-01T00:00:00Z', to: '2030-01-08T00:00:00Z' })],
      ['DELETE', '/api/periods/%00'],
      ['PATCH', '/api/users/%00', JSON.stringify({ disabled: true })],
      ['DELETE', '/api/tokens/%00'],
      ['GET', '/api/devices/%00'],
      ['PATCH', '/api/devices/%00', JSON.stringify({ disabled: true })],
      ['POST', '/api/devices/%00/rotate-secret'],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of cases) {
      const res = await raw(method, path, body);
      if (res.status !== 400 || !/params\.(id|name|photoId)/.test(res.body?.message)) wrong.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses NUL and lone surrogates in queries and JSON bodies, nested too, with the field in the message and in fields', async () => {
    const query = await raw('GET', '/api/alarms?x=a%00b');
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ statusCode: 400, error: 'Bad Request', fields: [{ field: 'querystring.x' }] });
    expect(query.body.message).toMatch(/^querystring\.x: /);

    const title = await raw('POST', '/api/tickets', JSON.stringify({ siteId: 'http-jh', title: 'a\u0000b', level: 'general' }));
    expect(title.status).toBe(400);
    expect(title.body.fields).toEqual([{ field: 'body.title', message: expect.stringMatching(/NUL/) }]);

    // a lone surrogate is well-formed JSON ("\ud800") but no text: it would be stored as U+FFFD
    const lone = await raw('POST', '/api/tickets', '{"siteId":"http-jh","title":"\\ud800","level":"general"}');
    expect(lone.status).toBe(400);
    expect(lone.body.message).toMatch(/^body\.title: .*surrogate/);

    const nested = await raw('POST', '/api/users', JSON.stringify({ username: 'nested-bad', password: 'long-enough-pw', role: 'operator', siteIds: ['http-jh', 'x\u0000'] }));
    expect(nested.status).toBe(400);
    expect(nested.body.message).toMatch(/^body\.siteIds\.1: /);

    const key = await raw('POST', '/api/tickets', JSON.stringify({ siteId: 'http-jh', title: 'ok', level: 'general', ['k\u0000']: 1 }));
    expect(key.status).toBe(400);
    expect(key.body.message).toMatch(/^body\.k\\u0000: .*name/);
  });

  it('bounds times in queries to plausible ones (epoch ms or ISO-8601, 2000-2100)', async () => {
    for (const from of ['1000000000000000', '-5', '1e3', '', '0000-01-01T00:00:00Z', '9999-01-01T00:00:00Z']) {
      const res = await raw('GET', `/api/inspections?from=${encodeURIComponent(from)}`);
      expect(res.status, `from=${from}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.message).toMatch(/querystring\.from: .*2000/);
    }
    await fn.provisionDevice({ id: 'http-time-sd', family: 'smoke_detector', siteId: 'http-jh' });
    const telemetry = await raw('GET', '/api/devices/http-time-sd/telemetry?metric=battery_pct&to=1000000000000000');
    expect(telemetry.status).toBe(400);
    expect(telemetry.body.message).toMatch(/querystring\.to: /);
    for (const ok of [String(Date.UTC(2024, 0, 1)), '2024-01-01T00:00:00Z', '2024-01-01T08:00:00+08:00']) {
      expect((await raw('GET', `/api/inspections?from=${encodeURIComponent(ok)}`)).status, ok).toBe(200);
    }
  });
});

describe('bad times in bodies are 400s too', () => {
  it('refuses times outside 2000-2100 in periods, rectification deadlines and token expiries, naming the field', async () => {
    const ticket = (await fn.api<{ id: string }>('/api/tickets', { body: { siteId: 'http-jh', title: '消防通道堵塞', level: 'general' } })).body.id;
    const five = { owner: '保卫科', funds: '无需', measures: '清理', contingencyPlan: '专人值守' };
    const cases: [string, string, unknown, RegExp][] = [
      ['PUT', '/api/periods/ancient', { label: '公元零年', from: '0000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }, /^body\.from: /],
      ['PUT', '/api/periods/far', { label: '远期', from: '2030-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' }, /^body\.to: /],
      ['POST', `/api/tickets/${ticket}/transition`, { to: 'registered', ...five, deadline: '0000-01-01T00:00:00Z' }, /^body\.deadline: /],
      ['POST', '/api/tokens', { name: '万年令牌', role: 'admin', expiresAt: '9999-12-31T23:59:59Z' }, /^body\.expiresAt: /],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await fn.api(path, { method, body });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.message).toMatch(message);
      expect(res.body.message).toMatch(/2000-01-01 and 2100-01-01/);
    }
  });
});

describe('a change and its audit entry commit together', () => {
  it('does not let a change with a NUL in its query escape the audit log', async () => {
    await fn.provisionDevice({ id: 'http-audit-sd', family: 'smoke_detector', siteId: 'http-jh' });
    for (const [action, path, body] of [
      ['POST /api/devices/:id/rotate-secret', '/api/devices/http-audit-sd/rotate-secret?x=%00', undefined],
      ['PATCH /api/devices/:id', '/api/devices/http-audit-sd?x=%00', JSON.stringify({ disabled: true })],
    ] as const) {
      const [method] = action.split(' ') as [string];
      const res = await raw(method, path, body);
      if (res.status === 400) continue;
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      const entries = (await audit()).filter((e) => e.action === action && e.target === path.split('?')[0]);
      expect(entries, `${method} ${path} took effect (${res.status}) with no audit entry`).not.toHaveLength(0);
    }
  });

  it('has the entry, with its status, by the time the answer arrives', async () => {
    const res = await fn.api('/api/devices/http-audit-sd', { method: 'PATCH', body: { disabled: false } });
    expect(res.status).toBe(200);
    const [latest] = await audit();
    expect(latest).toMatchObject({ action: 'PATCH /api/devices/:id', target: '/api/devices/http-audit-sd', details: { status: 200, values: { disabled: false } } });
  });

  it('rolls the change back when its audit entry cannot be written', async () => {
    await fn.provisionDevice({ id: 'http-rollback-sd', family: 'smoke_detector', siteId: 'http-jh' });
    const secret = (await fn.api<{ secret: string }>('/api/devices/http-rollback-sd/rotate-secret', { method: 'POST' })).body.secret;
    const before = (await audit()).length;
    // a constraint that refuses every new audit row stands in for a failing audit write
    await fn.store.transaction((tx) => tx.query('alter table audit_log add constraint audit_refused check (false) not valid'));
    try {
      const disable = await fn.api('/api/devices/http-rollback-sd', { method: 'PATCH', body: { disabled: true } });
      expect(disable.status).toBe(500);
      const rotate = await fn.api('/api/devices/http-rollback-sd/rotate-secret', { method: 'POST' });
      expect(rotate.status).toBe(500);
      const user = await fn.api('/api/users', { body: { username: 'http-unaudited', password: 'long-enough-pw', role: 'admin' } });
      expect(user.status).toBe(500);
    } finally {
      await fn.store.transaction((tx) => tx.query('alter table audit_log drop constraint audit_refused'));
    }
    expect((await fn.api<{ disabled: boolean }>('/api/devices/http-rollback-sd')).body.disabled).toBe(false);
    expect((await fn.api<any[]>('/api/users')).body.map((u) => u.username)).not.toContain('http-unaudited');
    // the secret from before the failed rotation still signs the device in
    const client = await fn.connectDevice('http-rollback-sd', secret);
    expect(client.connected).toBe(true);
    expect((await audit()).length).toBe(before);
  });
});
