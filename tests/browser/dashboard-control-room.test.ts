// The alarm desk as a control room uses it, in Chromium at 1600×900 and 1280×720 against a real FireNet with real MQTT
// devices: 600 active alarms all reachable (the true count, a list that renders only the rows in view, the oldest at
// the bottom), at least eight compact rows on a 1280×720 screen, escalated and overdue alarms first and coloured
// apart, 确认火警 asked once more with the location repeated, and readings charts that open on the span with data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

const MAIN = 'cr-main';
/** Deadlines of seconds: an alarm there is overdue at once; at ESCALATES it is escalated too. */
const LATE = 'cr-late';
const ESCALATES = 'cr-esc';
const ALARMS = 600;
const SIZES = [[1600, 900], [1280, 720]] as const;

let fn: TestFireNet;
let browser: Browser;
let seq = 0;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  const site = (body: Record<string, unknown>) => fn.api('/api/sites', { body }).then((r) => expect(r.status, JSON.stringify(r.body)).toBe(201));
  // the longest deadlines there are: the 600 alarms must not turn overdue (60 s by default) and bury the newer ones
  // below them on a slow machine
  await site({ id: MAIN, name: '蛟河市人民医院', regionCode: '220281', ackSec: 3600, confirmSec: 7200, escalateSec: 7200 });
  await site({ id: LATE, name: '蛟河市中医院', regionCode: '220281', ackSec: 1, confirmSec: 2, escalateSec: 3600 });
  await site({ id: ESCALATES, name: '蛟河市妇幼保健院', regionCode: '220281', ackSec: 1, confirmSec: 2, escalateSec: 3 });
  await fn.store.createUser({ username: 'cr-op', passwordHash: await hashSecret('cr-op-pw'), role: 'operator', regionCode: null, siteIds: [MAIN, LATE, ESCALATES] });

  // 600 fire alarms from one panel: one per loop and point
  const secret = await fn.provisionDevice({ id: 'cr-panel', family: 'fire_panel', siteId: MAIN, zone: '住院楼 3F 内科病房 走廊东侧 靠近护士站' });
  const panel = await fn.connectDevice('cr-panel', secret);
  for (let start = 0; start < ALARMS; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, ALARMS - start) }, (_, k) => {
      const i = start + k;
      return panel.publishAsync(deviceTopic('cr-panel', 'events'), eventPayload(`p-${i}`, 'fire.alarm', { loop: 1 + Math.floor(i / 200), point: i % 200, zone: `${i + 1}床` }, Date.now()), { qos: 1 });
    }));
  }
  await eventually(async () => (await fn.api<unknown[]>(`/api/alarms?status=active&deviceId=cr-panel&limit=1000`)).body.length === ALARMS, 20_000, '600 alarms');
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await signInAt(page, fn.httpUrl, 'cr-op', 'cr-op-pw', { until: '[data-testid=view-AlarmDeskView]' });
  await page.waitForSelector('[data-testid=connection][data-state=live]');
  return page;
}

async function detector(site: string, zone: string): Promise<{ id: string; client: MqttClient }> {
  const id = `cr-sd-${++seq}`;
  const secret = await fn.provisionDevice({ id, family: 'smoke_detector', siteId: site, zone });
  return { id, client: await fn.connectDevice(id, secret) };
}

async function alarmOf(d: { id: string; client: MqttClient }): Promise<string> {
  await d.client.publishAsync(deviceTopic(d.id, 'events'), eventPayload(`${d.id}-a`, 'smoke.alarm'), { qos: 1 });
  return eventually(async () => (await fn.api<{ id: string }[]>(`/api/alarms?deviceId=${d.id}`)).body[0]?.id, 5000, `alarm of ${d.id}`);
}

/** Rows wholly inside the list's visible box. */
function rowsInView(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid=alarm-scroller]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid=alarm-list] > li')].filter((li) => {
      const r = li.getBoundingClientRect();
      return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.bottom <= window.innerHeight;
    }).length;
  });
}

describe('every active alarm within reach', () => {
  it.each(SIZES)('at %i×%i: the badge counts all 600, the list renders only what is in view, and the oldest is at the bottom', async (width, height) => {
    const page = await signIn(width, height);
    await expect.poll(() => page.getByTestId('alarm-total').innerText(), { timeout: 15_000 }).toBe(String(ALARMS));
    // a virtualised list: a screenful of rows in the page, not 600
    const rendered = await page.locator('[data-testid=alarm-list] > li').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // compact rows: at least eight whole alarms on screen, each location on one line
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(8);
    const lineHeights = await page.locator('[data-testid=alarm-list] > li .location').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
    for (const h of lineHeights) expect(h).toBeLessThan(32);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-600-${width}x${height}.png` });

    // the oldest of the 600 (the API's last, newest first) is reached by scrolling to the end
    const [oldest] = (await fn.api<{ id: string; location: string }[]>(`/api/alarms?status=active&deviceId=cr-panel&limit=1&offset=${ALARMS - 1}`)).body;
    expect(oldest!.location).toContain('1床');
    await page.getByTestId('alarm-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const row = page.locator(`[data-alarm-id="${oldest!.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('aria-posinset')).toBe(String(ALARMS));
    await row.click();
    await page.waitForSelector(`[data-testid=alarm-detail][data-detail-for="${oldest!.id}"]`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-600-oldest-${width}x${height}.png` });
    await page.close();
  });
});

describe('urgency first', () => {
  let escalated: string;
  let overdue: string;
  let fresh: string;

  beforeAll(async () => {
    escalated = await alarmOf(await detector(ESCALATES, '门诊楼 1F 药房'));
    overdue = await alarmOf(await detector(LATE, '住院楼 2F 配电间'));
    await eventually(async () => (await fn.api<{ escalatedAt: string | null }>(`/api/alarms/${escalated}`)).body.escalatedAt !== null, 15_000, 'escalation');
    await eventually(async () => (await fn.api<{ confirmOverdueAt: string | null }>(`/api/alarms/${overdue}`)).body.confirmOverdueAt !== null, 15_000, 'overdue');
    // the newest alarm of all comes after them
    fresh = await alarmOf(await detector(MAIN, '住院楼 4F 护士站'));
  }, 60_000);

  it.each(SIZES)('at %i×%i: escalated, then overdue, then the newest; each coloured apart from a new alarm', async (width, height) => {
    const page = await signIn(width, height);
    await expect.poll(() => page.locator('[data-testid=alarm-list] > li').evaluateAll((lis) => lis.slice(0, 3).map((li) => li.getAttribute('data-alarm-id'))), { timeout: 10_000 })
      .toEqual([escalated, overdue, fresh]);
    const look = (id: string) => page.locator(`[data-alarm-id="${id}"]`).evaluate((li) => ({
      urgency: li.getAttribute('data-urgency'),
      background: getComputedStyle(li).backgroundColor,
      border: getComputedStyle(li).borderLeftColor,
    }));
    const [e, o, n] = [await look(escalated), await look(overdue), await look(fresh)];
    expect([e.urgency, o.urgency, n.urgency]).toEqual(['escalated', 'overdue', 'normal']);
    // colour, not only a tag: three different backgrounds and left bands
    expect(new Set([e.background, o.background, n.background]).size).toBe(3);
    expect(new Set([e.border, o.border, n.border]).size).toBe(3);
    await page.getByTestId(`escalated-${escalated}`).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-urgent-${width}x${height}.png` });
    await page.close();
  });
});

describe('a real fire is confirmed twice', () => {
  it.each(SIZES)('at %i×%i: 确认火警 asks again with the location; cancel leaves it new; a false alarm is still one click', async (width, height) => {
    const page = await signIn(width, height);
    const id = await alarmOf(await detector(MAIN, `住院楼 5F 手术室 ${width}`));
    await page.locator(`[data-alarm-id="${id}"]`).waitFor({ timeout: 10_000 });

    await page.getByTestId(`confirm-fire-${id}`).click();
    const dialog = page.getByTestId('fire-confirm');
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-alarm-id')).toBe(id);
    const where = await page.getByTestId('fire-confirm-location').innerText();
    expect(where).toContain('蛟河市人民医院');
    expect(where).toContain(`住院楼 5F 手术室 ${width}`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-fire-confirm-${width}x${height}.png` });
    await page.getByTestId('fire-confirm-no').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await fn.api(`/api/alarms/${id}`)).body).toMatchObject({ status: 'new', outcome: null });

    await page.getByTestId(`confirm-fire-${id}`).click();
    await page.getByTestId('fire-confirm-yes').click();
    await page.getByTestId(`outcome-${id}`).waitFor();
    expect((await fn.api(`/api/alarms/${id}`)).body).toMatchObject({ status: 'confirmed', outcome: 'fire', confirmedBy: 'cr-op' });

    // 误报 stays one click: no dialog
    const other = await alarmOf(await detector(MAIN, `门诊楼 2F ${width}`));
    await page.getByTestId(`confirm-false_alarm-${other}`).click();
    await page.getByTestId(`outcome-${other}`).waitFor();
    expect(await dialog.count()).toBe(0);
    expect((await fn.api(`/api/alarms/${other}`)).body).toMatchObject({ status: 'confirmed', outcome: 'false_alarm' });
    await page.close();
  });
});

describe('readings charts open where the data is', () => {
  it.each(SIZES)('at %i×%i: a detector with four minutes of readings fills the desk\'s chart and its page\'s', async (width, height) => {
    const d = await detector(MAIN, `住院楼 6F 库房 ${width}`);
    const now = Date.now();
    for (let m = 4; m >= 0; m--) {
      await d.client.publishAsync(deviceTopic(d.id, 'telemetry'), JSON.stringify({ ts: now - m * 60_000, metrics: { smoke_db_m: 0.1 + m / 10, battery_pct: 90 } }), { qos: 1 });
    }
    const id = await alarmOf(d);
    const page = await signIn(width, height);
    await page.locator(`[data-alarm-id="${id}"]`).click();
    const deskChart = page.locator(`[data-testid=alarm-detail][data-detail-for="${id}"] [data-testid=telemetry-chart]`);
    await expect.poll(async () => Number(await deskChart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(0);
    // the axis starts shortly before the first reading, not an hour back
    const deskFrom = Number(await deskChart.getAttribute('data-axis-from'));
    expect(deskFrom).toBeGreaterThan(now - 10 * 60_000);
    expect(deskFrom).toBeLessThanOrEqual(now - 4 * 60_000);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-chart-${width}x${height}.png` });

    // the device's page: its chart opens on the span with data too (not 24 h)
    await page.goto(`${fn.httpUrl}/#/devices/${d.id}`);
    const chart = page.locator('[data-testid=device-telemetry] [data-testid=telemetry-chart]');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('range-picker').inputValue()).toBe('0');
    const from = Number(await chart.getAttribute('data-axis-from'));
    expect(from).toBeGreaterThan(now - 10 * 60_000);
    expect(from).toBeLessThanOrEqual(now - 4 * 60_000);
    await page.screenshot({ path: `${SCREENSHOT_DIR}device-span-${width}x${height}.png`, fullPage: true });
    // 24 h is a choice away
    await page.getByTestId('range-picker').selectOption('24');
    await expect.poll(async () => Number(await chart.getAttribute('data-axis-from')), { timeout: 10_000 }).toBeLessThan(now - 23 * 3_600_000);
    await page.close();
  });
});
