// A transmission device (GB/T 26875.3) in a real browser: its page shows its address, an operator sends a 查岗 and
// a read from it and sees the device's answers arrive; the desk names the alarming point's system and component
// type by the standard's tables, in Chinese and in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { COMPONENT_FIRE, TransmissionDevice } from '../../simulators/gb26875/device.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { freePort } from '../helpers/process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let fn: TestFireNet;
let browser: Browser;
let device: TransmissionDevice;
const contexts: BrowserContext[] = [];
const SITE = 'gbb-jh';

beforeAll(async () => {
  const port = await freePort();
  fn = await startTestFireNet({ GB26875_PORT: String(port) });
  browser = await launchChromium();
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
  expect((await fn.api('/api/devices', { body: { id: 'td-page', family: 'transmission_device', siteId: SITE, zone: '消防控制室', gbAddress: '000000000379' } })).status).toBe(201);
  expect((await fn.api('/api/users', { body: { username: 'gb-operator', password: 'gb-operator-pw', role: 'operator', siteIds: [SITE] } })).status).toBe(201);
  device = new TransmissionDevice({ host: '127.0.0.1', port, gbAddress: '000000000379', dutyAnswerMs: 1500 });
  await device.connect();
  await device.heartbeat();
});
afterAll(async () => {
  device?.destroy();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await fn?.stop();
});

async function signIn(username: string, password: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${fn.httpUrl}/#${path}`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection][data-state=live]', { timeout: 15_000 });
  return page;
}

describe('transmission device page', () => {
  it('shows the address; an operator\'s 查岗 and read are answered on the page', async () => {
    const page = await signIn('gb-operator', 'gb-operator-pw', '/devices/td-page');
    await page.waitForSelector('[data-testid=device-gb-commands]');
    expect(await page.getByTestId('device-gb-address').innerText()).toBe('000000000379');
    await page.getByTestId('duty-timeout').fill('5');
    await page.getByTestId('gb-command-duty_check').click();
    await page.getByTestId('gb-command-read_version').click();
    const rows = page.locator('[data-testid=device-commands] tbody tr');
    await eventually(async () => (await rows.count()) === 2, 10_000, 'two commands listed');
    // the answers come in by the live feed
    await page.locator('[data-testid=device-commands] tbody tr', { hasText: 'software version 1.1' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=device-commands] tbody tr', { hasText: 'answered by operator 1' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('device-commands').innerText()).toContain('查岗');
    const commands = (await fn.api<{ type: string; payload: { timeoutMin?: number } }[]>('/api/devices/td-page/commands')).body;
    expect(commands.find((c) => c.type === 'duty_check')!.payload.timeoutMin).toBe(5);
    await page.screenshot({ path: `${SCREENSHOT_DIR}device-gb26875.png`, fullPage: true });
  });

  it('the desk names a point by the standard\'s system and component types', async () => {
    await device.componentStatus([{ componentType: 42, componentAddress: 0x0002_0017, status: COMPONENT_FIRE, description: '住院楼3层东区护士站' }]);
    const page = await signIn('gb-operator', 'gb-operator-pw', '/desk');
    await page.locator('[data-testid=alarm-detail]').waitFor({ timeout: 10_000 });
    const component = page.getByTestId('detail-component');
    expect(await component.innerText()).toBe('火灾报警系统 #1 · 点型光电感烟火灾探测器');
    expect(await page.getByTestId('detail-location').innerText()).toContain('住院楼3层东区护士站');
    await page.evaluate(() => localStorage.setItem('firenet.lang', 'en'));
    await page.reload();
    await page.locator('[data-testid=alarm-detail]').waitFor({ timeout: 10_000 });
    await eventually(async () => (await page.getByTestId('detail-component').innerText()) === 'Fire alarm system #1 · Point photoelectric smoke detector', 5000, 'the English names');
  });
});
