// The dashboard's first page in a real browser against a real FireNet: sign in, watch an alarm arrive live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, launchChromium, LIVE, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

let fn: TestFireNet;
let browser: Browser;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  await fn.store.createUser({ username: 'duty', passwordHash: await hashSecret('duty-room-pw'), role: 'operator', regionCode: null, siteIds: ['jh-rmyy'] });
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

describe('duty room screen', () => {
  it('shows an alarm published over MQTT without a reload, with its location as text', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-ward-3', family: 'smoke_detector', siteId: 'jh-rmyy', zone: '<img src=x onerror="window.__xss=1">内科病房' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInAt(page, fn.httpUrl, 'duty', 'duty-room-pw', { until: null });
    await page.waitForSelector('[data-testid=alarm-list]', { state: 'attached' });
    await page.waitForSelector(LIVE);

    const device = await fn.connectDevice('sd-ward-3', secret);
    await device.publishAsync(deviceTopic('sd-ward-3', 'events'), eventPayload('ui-1', 'smoke.alarm'), { qos: 1 });
    const alarm = (await fn.api<{ id: string; deviceId: string }[]>('/api/alarms?status=active')).body.find((a) => a.deviceId === 'sd-ward-3')!;
    const row = page.locator(`[data-alarm-id="${alarm.id}"]`);
    await row.waitFor({ timeout: 5000 });
    expect(await row.innerText()).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // the desk shows the selected alarm's place (its institution too) and readings beside the list
    await page.waitForSelector(`[data-testid=alarm-detail][data-detail-for="${alarm.id}"]`);
    expect(await page.getByTestId('alarm-detail').innerText()).toContain('蛟河市人民医院');
    await page.screenshot({ path: `${SCREENSHOT_DIR}duty-room.png`, fullPage: true });
    await device.endAsync();
    await page.close();
  });

  it('refuses a wrong password on the login form, worded by the dashboard from the server\'s code', async () => {
    const page = await browser.newPage();
    await page.goto(fn.httpUrl);
    await page.fill('input[name=username]', 'duty');
    await page.fill('input[name=password]', 'wrong');
    expectHttpError(page, 401, /\/api\/auth\/login$/);
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').innerText()).resolves.toBe('用户名或密码错误');
    await page.close();
  });
});
