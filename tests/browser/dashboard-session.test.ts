// The dashboard's session in a real browser against a real FireNet: short-lived access tokens renewed with
// single-use refresh tokens (in one tab and across tabs), logout that ends the session on the server, and a
// revoked session dropping the open dashboard to the login form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectFailedRequest, expectHttpError, expectSessionEnd, fillSignIn, launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

const SITE = 'jh-session';
const SESSION_KEY = 'firenet.session';
const TTL_SEC = 4;

interface StoredPair { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string; user: { id: string; username: string } }

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A page (in `context`, else a new one) that records its uncaught errors; `before` runs before it loads. */
async function openPage(fn: TestFireNet, context?: BrowserContext, before?: (page: Page) => void): Promise<Page> {
  const page = context ? await context.newPage() : await browser.newPage({ viewport: { width: 1440, height: 900 } });
  before?.(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(fn.httpUrl);
  return page;
}

function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

function storedPair(page: Page): Promise<StoredPair | null> {
  return page.evaluate((key) => {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as StoredPair) : null;
  }, SESSION_KEY);
}

/** The refresh tokens a browser context spends, in order, and the status each renewal got. */
function watchRenewals(target: Page | BrowserContext): { spent: string[]; statuses: number[] } {
  const seen = { spent: [] as string[], statuses: [] as number[] };
  target.on('request', (request: Request) => {
    if (!request.url().endsWith('/api/auth/refresh')) return;
    seen.spent.push((JSON.parse(request.postData() ?? '{}') as { refreshToken: string }).refreshToken);
    void request.response().then((response) => seen.statuses.push(response?.status() ?? 0));
  });
  return seen;
}

async function status(fn: TestFireNet, path: string, init: { token: string; body?: unknown }): Promise<number> {
  return (await fn.api(path, init)).status;
}

describe('short-lived access tokens (TOKEN_TTL_SEC=4)', () => {
  let fn: TestFireNet;
  let orderId: string;
  const deviceSecrets = new Map<string, string>();

  /** The admin's own token lives 4 s too: sign in again before each admin call. */
  async function asAdmin(): Promise<void> {
    fn.adminToken = await fn.login();
  }

  beforeAll(async () => {
    // Several sign-ins a minute from one address (the admin's included): above the default cap of 20.
    fn = await startTestFireNet({ TOKEN_TTL_SEC: String(TTL_SEC), LOGIN_RATE_PER_MIN: '200' });
    await fn.store.createUser({ username: 'keeper', passwordHash: await hashSecret('keeper-pw-1'), role: 'safety_manager', regionCode: null, siteIds: [SITE] });
    await asAdmin();
    await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
    for (const id of ['sd-sess-1', 'sd-sess-2']) deviceSecrets.set(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE, zone: '门诊楼 2层' }));
    // A work order that exists before anyone signs in: a view can only show it by fetching it.
    const device = await fn.connectDevice('sd-sess-1', deviceSecrets.get('sd-sess-1')!);
    await device.publishAsync(deviceTopic('sd-sess-1', 'events'), eventPayload('sess-f-1', 'fault', { code: 'E01' }), { qos: 1 });
    await device.endAsync();
    orderId = await eventually(async () => {
      await asAdmin();
      return (await fn.api<{ id: string; deviceId: string }[]>('/api/workorders?status=open')).body.find((o) => o.deviceId === 'sd-sess-1')?.id;
    }, 10_000, 'work order');
  });
  afterAll(async () => {
    await fn?.stop();
  });

  it('keeps the dashboard signed in past several token lifetimes: views load and alarms arrive live', async () => {
    const page = await openPage(fn);
    const renewals = watchRenewals(page);
    await fillSignIn(page, 'keeper', 'keeper-pw-1');
    const first = (await storedPair(page))!;
    expect(first.user.username).toBe('keeper');

    // Several lifetimes pass; the stored pair is replaced again and again, and the first token is dead.
    const seen = new Set([first.token]);
    await eventually(async () => {
      const pair = await storedPair(page);
      if (pair) seen.add(pair.token);
      return seen.size >= 4;
    }, 40_000, 'three renewals');
    await eventually(async () => (await status(fn, '/api/auth/me', { token: first.token })) === 401, 10_000, 'the first token to run out');

    // Data a view can only have fetched with a renewed token.
    await page.click('[data-testid=nav-workorders]');
    await page.waitForSelector(`[data-workorder-id="${orderId}"]`, { timeout: 10_000 });
    await page.click('[data-testid=nav-desk]');
    await page.waitForSelector('[data-testid=alarm-list]', { state: 'attached' });
    await page.waitForSelector('[data-testid=connection][data-state=live]');

    // An alarm published now reaches the open desk without a reload.
    const device = await fn.connectDevice('sd-sess-2', deviceSecrets.get('sd-sess-2')!);
    await device.publishAsync(deviceTopic('sd-sess-2', 'events'), eventPayload('sess-a-1', 'smoke.alarm'), { qos: 1 });
    await device.endAsync();
    await asAdmin();
    const alarm = (await fn.api<{ id: string; deviceId: string }[]>('/api/alarms?status=active')).body.find((a) => a.deviceId === 'sd-sess-2')!;
    expect(alarm).toBeTruthy();
    await page.locator(`[data-alarm-id="${alarm.id}"]`).waitFor({ timeout: 10_000 });

    const now = (await storedPair(page))!;
    expect(now.token).not.toBe(first.token);
    expect(now.refreshToken).not.toBe(first.refreshToken);
    expect(await page.locator('[data-testid=login-form]').count()).toBe(0);
    // Each refresh token was spent once, and every renewal was granted.
    expect(new Set(renewals.spent).size).toBe(renewals.spent.length);
    expect(renewals.statuses.every((s) => s === 200)).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}session-renewed.png` });
    await page.close();
  });

  it('renews once when the server refuses a token the page thought valid, and retries the calls and the socket', async () => {
    // A pair whose token has run out on the server while the page believes it has an hour left (a PC whose
    // clock is behind, or a tab that slept): only the server's 401s and the refused handshake can tell.
    const login = await fn.api<StoredPair>('/api/auth/login', { body: { username: 'keeper', password: 'keeper-pw-1' }, token: null });
    expect(login.status).toBe(200);
    const stale = { ...login.body, expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    await eventually(async () => (await status(fn, '/api/auth/me', { token: stale.token })) === 401, 10_000, 'the token to run out');

    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      storageState: { cookies: [], origins: [{ origin: fn.httpUrl, localStorage: [{ name: SESSION_KEY, value: JSON.stringify(stale) }] }] },
    });
    const renewals = watchRenewals(context);
    // the calls made with the refused token are answered 401 (then renewed and made again)
    const page = await openPage(fn, context, (p) => expectHttpError(p, 401, /\/api\//, 10));
    await page.waitForSelector('[data-testid=connection][data-state=live]', { timeout: 10_000 });
    await page.click('[data-testid=nav-workorders]');
    await page.waitForSelector(`[data-workorder-id="${orderId}"]`, { timeout: 10_000 });

    expect((await storedPair(page))!.token).not.toBe(stale.token);
    // The views' refused calls and the refused handshake shared one renewal: the refresh token went out once.
    expect(renewals.spent.filter((t) => t === stale.refreshToken)).toHaveLength(1);
    expect(await page.locator('[data-testid=login-form]').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  for (const locks of [true, false]) {
    it(`keeps two tabs signed in across renewals without ending each other's session (${locks ? 'with' : 'without'} Web Locks)`, async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      // A plain-HTTP LAN address (FireNet's usual one) is no secure context: no navigator.locks there.
      if (!locks) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true }));
      const renewals = watchRenewals(context);
      // Without the lock two tabs may renew with one refresh token: the later one is refused (401) within the grace
      // window, and that tab takes the pair the other stored. The session stands; that refusal is expected.
      // With the lock too, on a loaded machine a tab may present the pair the other has just renewed: refused within
      // the grace, the session kept (what this test checks below), so those refusals are tolerated in both cases.
      const tolerateReuse = (page: Page) => { expectHttpError(page, 401, /\/api\/auth\/refresh$/, locks ? 5 : 20); };
      const one = await openPage(fn, context, tolerateReuse);
      expect(await one.evaluate(() => typeof navigator.locks?.request === 'function')).toBe(locks);
      await fillSignIn(one, 'keeper', 'keeper-pw-1');
      const two = await openPage(fn, context, tolerateReuse);
      await two.waitForSelector('[data-testid=connection][data-state=live]');

      const seen = new Set<string>();
      await eventually(async () => {
        const pair = await storedPair(one);
        if (pair) seen.add(pair.token);
        return seen.size >= 5;
      }, 40_000, 'four renewals');

      // Both tabs still work: each loads data with the session's current token and stays live.
      for (const page of [one, two]) {
        expect(await page.locator('[data-testid=login-form]').count()).toBe(0);
        await page.click('[data-testid=nav-workorders]');
        await page.waitForSelector(`[data-workorder-id="${orderId}"]`, { timeout: 10_000 });
        await page.waitForSelector('[data-testid=connection][data-state=live]');
      }
      const current = (await storedPair(two))!;
      expect(await status(fn, '/api/auth/me', { token: current.token })).toBe(200);
      // Renewals came from both tabs' timers; none was refused as a reuse that ends the session.
      expect(renewals.spent.length).toBeGreaterThanOrEqual(4);
      if (locks) {
        // Under the lock a tab re-reads the stored pair first: no refresh token is ever spent twice.
        expect(new Set(renewals.spent).size).toBe(renewals.spent.length);
        expect(renewals.statuses.every((s) => s === 200)).toBe(true);
      }

      // Logging out in one tab logs out the other.
      await one.click('[data-testid=logout]');
      await one.waitForSelector('[data-testid=login-form]');
      await two.waitForSelector('[data-testid=login-form]', { timeout: 10_000 });
      expect([...pageErrors(one), ...pageErrors(two)]).toEqual([]);
      await context.close();
    }, 90_000);
  }
});

describe('ending a session (15-minute tokens)', () => {
  let fn: TestFireNet;
  let nurseId: string;

  beforeAll(async () => {
    fn = await startTestFireNet();
    await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
    await fn.store.createUser({ username: 'keeper', passwordHash: await hashSecret('keeper-pw-1'), role: 'safety_manager', regionCode: null, siteIds: [SITE] });
    nurseId = (await fn.store.createUser({ username: 'nurse', passwordHash: await hashSecret('nurse-pw-1'), role: 'operator', regionCode: null, siteIds: [SITE] })).id;
  });
  afterAll(async () => {
    await fn?.stop();
  });

  it('logs out on the server: the tokens stored before the click are refused afterwards', async () => {
    const page = await openPage(fn);
    await fillSignIn(page, 'keeper', 'keeper-pw-1');
    const pair = (await storedPair(page))!;
    // With 15-minute tokens, only the logout can make these stop working within the test.
    expect(await status(fn, '/api/auth/me', { token: pair.token })).toBe(200);

    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await storedPair(page)).toBeNull();
    await eventually(async () => (await status(fn, '/api/auth/me', { token: pair.token })) === 401, 5000, 'the access token to be refused');
    expect(await status(fn, '/api/auth/refresh', { token: '', body: { refreshToken: pair.refreshToken } })).toBe(401);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('logs out locally even when the server cannot be reached', async () => {
    const page = await openPage(fn);
    await fillSignIn(page, 'keeper', 'keeper-pw-1');
    const pair = (await storedPair(page))!;
    await page.route('**/api/auth/logout', (route) => route.abort('internetdisconnected'));
    expectFailedRequest(page, /\/api\/auth\/logout$/);
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await storedPair(page)).toBeNull();
    // The server never heard of it: that session stands until its tokens run out.
    expect(await status(fn, '/api/auth/me', { token: pair.token })).toBe(200);
    await page.close();
  });

  it('drops the open dashboard to the login form when an admin changes the user\'s password', async () => {
    const page = await openPage(fn);
    await fillSignIn(page, 'nurse', 'nurse-pw-1');
    await page.waitForSelector('[data-testid=view-AlarmDeskView]');

    // the revoked session's renewal is refused
    expectSessionEnd(page);
    const changed = await fn.api(`/api/users/${nurseId}`, { method: 'PATCH', body: { password: 'nurse-pw-new-1' } });
    expect(changed.status).toBe(200);
    // No call of the page's own is needed: the server closes the socket, the handshake and the renewal are refused.
    await page.waitForSelector('[data-testid=login-form]', { timeout: 10_000 });
    await expect(page.locator('[data-testid=login-form] [role=status]').innerText()).resolves.toContain('登录已失效');
    expect(await storedPair(page)).toBeNull();
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
