// Who may do what, and how hard it is to pretend: security headers, closed CORS, sign-in throttling.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../platform/auth/hash.js';
import { LoginThrottle } from '../../platform/auth/throttle.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet({ LOGIN_RATE_PER_MIN: '1000', REFRESH_REUSE_GRACE_SEC: '1' });
  await fn.store.createUser({ username: 'victim', passwordHash: await hashSecret('victim-password'), role: 'admin', regionCode: null, siteIds: [] });
  await fn.store.createUser({ username: 'forgetful', passwordHash: await hashSecret('forgetful-password'), role: 'admin', regionCode: null, siteIds: [] });
});
afterAll(() => fn?.stop());

const signIn = (username: string, password: string) => fn.api('/api/auth/login', { body: { username, password }, token: null });

describe('HTTP hardening', () => {
  it('sends security headers on the API and the dashboard, with a CSP that allows only same-origin scripts', async () => {
    for (const path of ['/api/health', '/']) {
      const res = await fetch(fn.httpUrl + path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('gives a foreign origin no CORS grant, neither on a request nor on a preflight', async () => {
    const res = await fetch(`${fn.httpUrl}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${fn.httpUrl}/api/auth/login`, {
      method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await fetch(`${fn.httpUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
  });

  it('answers an internal failure with 500 and no stack trace or error text', async () => {
    const original = fn.store.listSites;
    fn.store.listSites = async () => { throw new Error('secret-internal-detail at /srv/firenet/store.ts:42'); };
    try {
      const res = await fetch(`${fn.httpUrl}/api/sites`, { headers: { authorization: `Bearer ${fn.adminToken}` } });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).not.toContain('secret-internal-detail');
      expect(text).not.toContain('store.ts');
      expect(JSON.parse(text)).toMatchObject({ statusCode: 500, message: 'internal error; see the server log' });
    } finally {
      fn.store.listSites = original;
    }
  });
});

describe('sign-in throttling', () => {
  it('locks a username for the address that failed 5 times, with 429 even for the right password, while other users still sign in', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('victim', `guess-${i}`)).status).toBe(401);
    const locked = await signIn('victim', 'victim-password');
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/too many failed sign-ins for this user/);
    expect((await signIn('forgetful', 'forgetful-password')).status).toBe(200);
  });

  it('clears a username’s failures on a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('forgetful', `guess-${i}`)).status).toBe(401);
    expect((await signIn('forgetful', 'forgetful-password')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn('forgetful', `guess-${i}`)).status).toBe(401);
    expect((await signIn('forgetful', 'forgetful-password')).status).toBe(200);
  });

  it('limits sign-in attempts per address per minute (LOGIN_RATE_PER_MIN), whatever the usernames', async () => {
    const strict = await startTestFireNet({ LOGIN_RATE_PER_MIN: '4' }); // its own admin sign-in is the first attempt
    try {
      const attempt = (username: string, password: string) => strict.api('/api/auth/login', { body: { username, password }, token: null });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt(`nobody-${i}`, 'whatever')).status);
      expect(statuses).toEqual([401, 401, 401]);
      const limited = await attempt('admin', 'test-admin-password');
      expect(limited.status).toBe(429);
      expect(limited.body.message).toMatch(/too many sign-in attempts from this address/);
      // without TRUST_PROXY a forged X-Forwarded-For does not buy a fresh address
      const forged = await fetch(`${strict.httpUrl}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ username: 'admin', password: 'test-admin-password' }),
      });
      expect(forged.status).toBe(429);
      // only sign-in is limited, not the API
      expect((await strict.api('/api/auth/me')).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('behind a trusted proxy (TRUST_PROXY), limits each client address: the right password from another address still works', async () => {
    const proxied = await startTestFireNet({ LOGIN_RATE_PER_MIN: '3', TRUST_PROXY: '127.0.0.1' });
    try {
      const attempt = (from: string, username: string, password: string) => fetch(`${proxied.httpUrl}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username, password }),
      });
      for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.5', `nobody-${i}`, 'guess')).status).toBe(401);
      expect((await attempt('203.0.113.5', 'admin', 'test-admin-password')).status).toBe(429);
      expect((await attempt('198.51.100.7', 'admin', 'test-admin-password')).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });

  it('lets no one lock the admin out: guesses from one address get that address 429, the right password from another signs in at once', async () => {
    const proxied = await startTestFireNet({ LOGIN_RATE_PER_MIN: '1000', TRUST_PROXY: 'loopback' });
    try {
      const attempt = (from: string, password: string) => fetch(`${proxied.httpUrl}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username: 'admin', password }),
      });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt('203.0.113.66', `guess-${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const started = Date.now();
      expect((await attempt('198.51.100.20', 'test-admin-password')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      // the guessing address stays locked out of this account, whatever it sends
      const again = await attempt('203.0.113.66', 'test-admin-password');
      expect(again.status).toBe(429);
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await proxied.stop();
    }
  });

  it('locks a username for an address once its oldest failure there is older than the window, other addresses untouched', () => {
    const throttle = new LoginThrottle(3, 60_000);
    for (const at of [0, 10_000, 20_000]) throttle.fail('u', '203.0.113.1', at);
    expect(throttle.lockedFor('u', '203.0.113.1', 30_000)).toBe(30_000);
    expect(throttle.lockedFor('u', '203.0.113.1', 60_001)).toBe(0);
    expect(throttle.lockedFor('u', '198.51.100.2', 30_000)).toBe(0);
    expect(throttle.lockedFor('other', '203.0.113.1', 30_000)).toBe(0);
  });

  it('holds failed answers for a username back longer as failures from every address add up, up to a cap', () => {
    const throttle = new LoginThrottle(3, 60_000, 100, { baseMs: 250, capMs: 2000 });
    const delays = Array.from({ length: 9 }, (_, i) => throttle.fail('admin', `203.0.113.${i}`, i));
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 2000, 2000]);
    expect(throttle.fail('someone-else', '203.0.113.1', 10)).toBe(0);
    // once the failures age out, the first ones cost nothing again
    expect(throttle.fail('admin', '203.0.113.1', 70_000)).toBe(0);
  });

  it('keeps its memory bounded: the stalest addresses and usernames are forgotten first', () => {
    const throttle = new LoginThrottle(2, 60_000, 3);
    for (const name of ['a', 'b', 'c', 'd']) { throttle.fail(name, 'x', 0); throttle.fail(name, 'x', 1); }
    expect(throttle.lockedFor('a', 'x', 2)).toBe(0);
    expect(throttle.lockedFor('d', 'x', 2)).toBeGreaterThan(0);
    expect(throttle.tracked()).toBeLessThanOrEqual(3);
  });
});

describe('sessions', () => {
  const signedIn = async () => {
    const res = await signIn('admin', 'test-admin-password');
    expect(res.status).toBe(200);
    return res.body as { token: string; refreshToken: string; expiresAt: string; refreshExpiresAt: string };
  };
  const refresh = (refreshToken: string) => fn.api('/api/auth/refresh', { body: { refreshToken }, token: null });

  it('spends a refresh token once for a new pair that works', async () => {
    const first = await signedIn();
    const next = await refresh(first.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(first.refreshToken);
    expect(next.body.user.username).toBe('admin');
    expect((await fn.api('/api/auth/me', { token: next.body.token })).status).toBe(200);
    expect((await refresh(next.body.refreshToken)).status).toBe(200);
    expect((await refresh('not-a-token')).status).toBe(401);
  });

  it('refuses a spent refresh token that comes back at once (a second tab) without ending the session', async () => {
    const first = await signedIn();
    const second = (await refresh(first.refreshToken)).body;
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/refresh token invalid, expired or already used/);
    expect((await fn.api('/api/auth/me', { token: second.token })).status).toBe(200);
    expect((await refresh(second.refreshToken)).status).toBe(200);
  });

  it('revokes the whole session when a spent refresh token comes back after the grace window', async () => {
    const first = await signedIn();
    const second = (await refresh(first.refreshToken)).body;
    await new Promise((r) => setTimeout(r, 1100)); // REFRESH_REUSE_GRACE_SEC is 1 here
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    // the thief's replay also ends the rightful holder's session: both must sign in again
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await fn.api('/api/auth/me', { token: second.token })).status).toBe(401);
    expect((await fn.api('/api/auth/me', { token: first.token })).status).toBe(401);
  });

  it('logs out: the access token is refused with 401 at once and the refresh token no longer works', async () => {
    const mine = await signedIn();
    const other = await signedIn();
    expect((await fn.api('/api/auth/logout', { method: 'POST', token: mine.token })).status).toBe(204);
    const refused = await fn.api('/api/auth/me', { token: mine.token });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/token invalid or expired/);
    expect((await refresh(mine.refreshToken)).status).toBe(401);
    // another session of the same user is untouched
    expect((await fn.api('/api/auth/me', { token: other.token })).status).toBe(200);
    expect((await fn.api('/api/auth/logout', { method: 'POST', token: null })).status).toBe(401);
  });

  it('refuses an expired access token with 401, and the refresh token still renews it', async () => {
    const short = await startTestFireNet({ TOKEN_TTL_SEC: '1' });
    try {
      const res = await short.api('/api/auth/login', { body: { username: 'admin', password: 'test-admin-password' }, token: null });
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await short.api('/api/auth/me', { token: res.body.token });
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/token invalid or expired/);
      const renewed = await short.api('/api/auth/refresh', { body: { refreshToken: res.body.refreshToken }, token: null });
      expect(renewed.status).toBe(200);
      expect((await short.api('/api/auth/me', { token: renewed.body.token })).status).toBe(200);
    } finally {
      await short.stop();
    }
  });
});

describe('users API (admin)', () => {
  let jiaohe: string; // a county bureau
  let operator: string;

  beforeAll(async () => {
    await fn.provisionSite('sec-jh', '220281', '蛟河市人民医院');
    await fn.provisionSite('sec-hd', '220282', '桦甸市人民医院');
    const bureau = await fn.api('/api/users', { body: { username: 'sec-jiaohe', password: 'jiaohe-password', role: 'bureau', regionCode: '220281' } });
    expect(bureau.status).toBe(201);
    const op = await fn.api('/api/users', { body: { username: 'sec-op', password: 'operator-password', role: 'operator', siteIds: ['sec-jh'] } });
    expect(op.status).toBe(201);
    expect(op.body).toEqual({ id: expect.any(String), username: 'sec-op', role: 'operator', regionCode: null, siteIds: ['sec-jh'], disabled: false });
    jiaohe = await fn.login('sec-jiaohe', 'jiaohe-password');
    operator = await fn.login('sec-op', 'operator-password');
  });

  it('lists users without password hashes', async () => {
    const res = await fn.api<any[]>('/api/users');
    expect(res.status).toBe(200);
    expect(res.body.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'sec-jiaohe', 'sec-op']));
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/i);
  });

  it('refuses a short password, a bureau without a known region, site roles without known sites, and a taken name', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ username: 'u1', password: 'short', role: 'admin' }, 400, /body\.password/],
      [{ username: 'u2', password: 'long-enough-pw', role: 'bureau' }, 400, /body\.regionCode: a bureau needs a region code/],
      [{ username: 'u3', password: 'long-enough-pw', role: 'bureau', regionCode: '999999' }, 400, /unknown region 999999/],
      [{ username: 'u4', password: 'long-enough-pw', role: 'logistics' }, 400, /body\.siteIds: role logistics needs at least one institution/],
      [{ username: 'u5', password: 'long-enough-pw', role: 'safety_manager', siteIds: ['no-such-site'] }, 400, /unknown institution no-such-site/],
      [{ username: 'u6', password: 'long-enough-pw', role: 'king' }, 400, /body\.role/],
      [{ username: 'sec-op', password: 'long-enough-pw', role: 'admin' }, 409, /already exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await fn.api('/api/users', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message).toMatch(message);
    }
  });

  it('gives non-admins 403 on every users route', async () => {
    for (const token of [jiaohe, operator]) {
      expect((await fn.api('/api/users', { token })).status).toBe(403);
      expect((await fn.api('/api/users', { token, body: { username: 'x1', password: 'long-enough-pw', role: 'admin' } })).status).toBe(403);
      expect((await fn.api('/api/users/whoever', { token, method: 'PATCH', body: { role: 'admin' } })).status).toBe(403);
    }
  });

  it('changes a user’s scope and password with PATCH, ending their sessions', async () => {
    const created = await fn.api('/api/users', { body: { username: 'sec-mover', password: 'mover-password', role: 'operator', siteIds: ['sec-jh'] } });
    const before = await fn.login('sec-mover', 'mover-password');
    const moved = await fn.api(`/api/users/${created.body.id}`, { method: 'PATCH', body: { role: 'safety_manager', siteIds: ['sec-hd'], password: 'new-mover-password' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ role: 'safety_manager', siteIds: ['sec-hd'], regionCode: null });
    expect((await fn.api('/api/auth/me', { token: before })).status).toBe(401);
    expect((await signIn('sec-mover', 'mover-password')).status).toBe(401);
    const after = await fn.login('sec-mover', 'new-mover-password');
    expect((await fn.api<any[]>('/api/sites', { token: after })).body.map((s) => s.id)).toEqual(['sec-hd']);
    expect((await fn.api(`/api/users/${created.body.id}`, { method: 'PATCH', body: { role: 'bureau' } })).status).toBe(400);
    expect((await fn.api('/api/users/no-such-user', { method: 'PATCH', body: { role: 'admin' } })).status).toBe(404);
  });

  it('disables a user who left: sessions and sockets end, sign-in refused with 403 once the password is right, enabled again later', async () => {
    const created = await fn.api<{ id: string }>('/api/users', { body: { username: 'sec-leaver', password: 'leaver-password', role: 'operator', siteIds: ['sec-jh'] } });
    const signedIn = (await signIn('sec-leaver', 'leaver-password')).body as { token: string; refreshToken: string };
    const socket = await fn.viewer(signedIn.token);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const disabled = await fn.api(`/api/users/${created.body.id}`, { method: 'PATCH', body: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ username: 'sec-leaver', disabled: true, role: 'operator', siteIds: ['sec-jh'] });
    expect(await closed).toBe('io server disconnect');
    expect((await fn.api('/api/auth/me', { token: signedIn.token })).status).toBe(401);
    expect((await fn.api('/api/auth/refresh', { body: { refreshToken: signedIn.refreshToken }, token: null })).status).toBe(401);
    const refused = await signIn('sec-leaver', 'leaver-password');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/this account is disabled/);
    // a wrong password does not tell that the account exists, let alone that it is disabled
    expect((await signIn('sec-leaver', 'not-the-password')).status).toBe(401);
    expect((await fn.api<any[]>('/api/users')).body.find((u) => u.id === created.body.id).disabled).toBe(true);

    expect((await fn.api(`/api/users/${created.body.id}`, { method: 'PATCH', body: { disabled: false } })).status).toBe(200);
    expect((await signIn('sec-leaver', 'leaver-password')).status).toBe(200);

    const me = (await fn.api<{ id: string }>('/api/auth/me')).body;
    const self = await fn.api(`/api/users/${me.id}`, { method: 'PATCH', body: { disabled: true } });
    expect(self.status).toBe(409);
    expect(self.body.message).toMatch(/body\.disabled: an admin cannot disable their own account/);
  });

  it('lets FIRENET_ADMIN_PASSWORD bring a disabled admin account back at the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-admin-back-'));
    try {
      const first = await startTestFireNet({ DATA_DIR: dataDir });
      await first.store.createUser({ username: 'second-admin', passwordHash: await hashSecret('second-admin-pw'), role: 'admin', regionCode: null, siteIds: [] });
      const second = await first.login('second-admin', 'second-admin-pw');
      const admin = (await first.api<{ id: string }>('/api/auth/me')).body;
      expect((await first.api(`/api/users/${admin.id}`, { method: 'PATCH', body: { disabled: true }, token: second })).status).toBe(200);
      expect((await first.api('/api/auth/login', { body: { username: 'admin', password: 'test-admin-password' }, token: null })).status).toBe(403);
      await first.stop();
      const again = await startTestFireNet({ DATA_DIR: dataDir }); // signs in as admin with FIRENET_ADMIN_PASSWORD
      expect((await again.api<{ disabled: boolean }>('/api/auth/me')).body.disabled).toBe(false);
      await again.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('records changes in the audit log: admins read all, a bureau only its region, others 403', async () => {
    await fn.provisionDevice({ id: 'sec-hd-sd', family: 'smoke_detector', siteId: 'sec-hd' });
    await fn.provisionDevice({ id: 'sec-jh-sd', family: 'smoke_detector', siteId: 'sec-jh' });
    // an admin's step on an item names only the item: the entry is tagged with the item's institution's regions
    const ticketAt = async (siteId: string) => {
      const ticket = await fn.api<{ id: string }>('/api/tickets', { body: { siteId, title: '安全出口上锁', level: 'general' } });
      const step = await fn.api(`/api/tickets/${ticket.body.id}/transition`, { body: { to: 'registered', owner: '保卫科', funds: '无需', measures: '开锁', deadline: '2030-01-01T00:00:00Z', contingencyPlan: '专人值守' } });
      expect(step.status, JSON.stringify(step.body)).toBe(200);
      return ticket.body.id;
    };
    const jhTicket = await ticketAt('sec-jh');
    const hdTicket = await ticketAt('sec-hd');
    const all = await eventually(async () => {
      const res = await fn.api<any[]>('/api/audit?limit=500');
      return res.body.filter((e) => e.action === 'POST /api/devices' && e.details.fields.includes('siteId')).length === 2
        && res.body.filter((e) => e.action === 'POST /api/tickets/:id/transition').length === 2 && res.body;
    }, 5000, 'the device creations and ticket steps audited');
    const created = all.find((e) => e.action === 'POST /api/users')!;
    // a creation is named by what it created; the values that say what it was are kept, passwords never
    expect(created).toMatchObject({ actor: 'admin', target: expect.stringMatching(/^\/api\/users\/.+/), ip: expect.any(String), details: { status: 201 } });
    expect(created.details.created).toBe(created.target.split('/').at(-1));
    const jiaoheCreated = all.find((e) => e.action === 'POST /api/users' && e.details.values.username === 'sec-jiaohe')!;
    expect(jiaoheCreated.details.values).toEqual({ username: 'sec-jiaohe', role: 'bureau', regionCode: '220281' });
    expect(jiaoheCreated.details.fields).toContain('password');
    expect(JSON.stringify(all)).not.toMatch(/jiaohe-password|operator-password|mover-password/);
    // a provisioned device is named by its id; its secret, in the same reply, is not kept
    const device = all.find((e) => e.action === 'POST /api/devices' && e.details.created === 'sec-jh-sd')!;
    expect(device.target).toBe('/api/devices/sec-jh-sd');
    expect(JSON.stringify(device)).not.toMatch(/secret/);
    expect(all.some((e) => e.action === 'PATCH /api/users/:id' && e.details.params.id)).toBe(true);
    expect(all.some((e) => e.action === 'POST /api/sites')).toBe(true);
    // reads are not audited
    expect(all.some((e) => e.action.startsWith('GET '))).toBe(false);

    const county = await fn.api<any[]>('/api/audit?limit=500', { token: jiaohe });
    expect(county.status).toBe(200);
    const targets = county.body.map((e) => `${e.action} ${JSON.stringify(e.details.params)}`);
    expect(county.body.length).toBeGreaterThan(0);
    expect(county.body.length).toBeLessThan(all.length);
    // 蛟河's site registration is there, 桦甸's is not
    expect(county.body.filter((e) => e.action === 'POST /api/sites')).toHaveLength(1);
    expect(county.body.filter((e) => e.action === 'POST /api/devices')).toHaveLength(1);
    expect(targets.join('\n')).not.toMatch(/sec-hd/);
    // a user moved out of 蛟河: its bureau reads the move, with the scope it replaced
    const moved = county.body.find((e) => e.action === 'PATCH /api/users/:id' && e.details.values.siteIds?.includes('sec-hd'));
    expect(moved?.details.before).toMatchObject({ role: 'operator', siteIds: ['sec-jh'], disabled: false });
    expect(moved?.details.values).toMatchObject({ role: 'safety_manager', siteIds: ['sec-hd'] });
    const steps = county.body.filter((e) => e.action === 'POST /api/tickets/:id/transition').map((e) => e.details.params.id);
    expect(steps).toEqual([jhTicket]);
    expect(steps).not.toContain(hdTicket);
    expect((await fn.api('/api/audit', { token: operator })).status).toBe(403);
    expect((await fn.api('/api/audit?limit=0')).status).toBe(400);
  });
});
