// The map as a bureau officer uses it, in Chromium at 1600×900 and 1280×720 against a real FireNet: a region's
// tooltip gives its name and figures (not its code), drilling down from the table brings the new map into view,
// a county's institutions are pins apart from each other, and a pin opens the institution's own page (#/sites/:id:
// devices and their state, online rate, alarms, hazards with who is responsible, checks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

/** 蛟河市's seat: inside 220281, so inside 220200 on the province's map too. */
const JIAOHE: [number, number] = [127.345, 43.724];
const SIZES = [[1600, 900], [1280, 720]] as const;
/** Four institutions of 蛟河市 within 2 km of each other: a few pixels apart on the county's whole map. */
const SITES = [
  ['jh-rmyy', '蛟河市人民医院', 43.736, 127.345],
  ['jh-zyy', '蛟河市中医院', 43.722, 127.36],
  ['jh-fy', '蛟河市妇幼保健院', 43.728, 127.35],
  ['jh-xz', '蛟河市新站镇卫生院', 43.731, 127.338],
] as const;

let fn: TestFireNet;
let browser: Browser;
let majorId: string;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  for (const [id, name, lat, lng] of SITES) {
    expect((await fn.api('/api/sites', { body: { id, name, regionCode: '220281', lat, lng, address: '蛟河市民主街 1 号' } })).status).toBe(201);
  }
  expect((await fn.api('/api/sites', { body: { id: 'cy-yy', name: '昌邑区医院', regionCode: '220202', lat: 43.88, lng: 126.57 } })).status).toBe(201);
  await fn.store.createUser({ username: 'map-bureau', passwordHash: await hashSecret('map-bureau-pw'), role: 'bureau', regionCode: '220000', siteIds: [] });
  await fn.store.createUser({ username: 'map-op', passwordHash: await hashSecret('map-op-pw'), role: 'operator', regionCode: null, siteIds: ['jh-rmyy'] });

  // 蛟河市人民医院: three detectors (two heard from, one never), one active alarm, a registered major hazard, a check
  for (const n of [1, 2, 3]) {
    const secret = await fn.provisionDevice({ id: `map-sd-${n}`, family: 'smoke_detector', siteId: 'jh-rmyy', zone: `住院楼 ${n}F` });
    if (n === 3) continue;
    const d = await fn.connectDevice(`map-sd-${n}`, secret);
    await d.publishAsync(deviceTopic(`map-sd-${n}`, 'telemetry'), JSON.stringify({ metrics: { battery_pct: 90 } }), { qos: 1 });
    if (n === 1) await d.publishAsync(deviceTopic('map-sd-1', 'events'), eventPayload('map-a-1', 'smoke.alarm'), { qos: 1 });
  }
  await eventually(async () => (await fn.api<unknown[]>('/api/alarms?status=active&deviceId=map-sd-1')).body.length === 1, 5000, 'alarm');
  // last-seen times are written in batches every 2 s: the map's figures count the two devices once written
  await eventually(async () => (await fn.api<{ children: { code: string; online: number }[] }>('/api/overview?region=220000')).body
    .children.find((c) => c.code === '220200')?.online === 2, 10_000, 'the two devices heard from counted online');
  const major = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: 'jh-rmyy', title: '危化品库房电气线路老化', level: 'major', grade: 'major', location: '后勤楼 1F' } });
  majorId = major.body.id;
  const five = { owner: '后勤保障科 王强', funds: '专项经费 2 万元', measures: '更换线路', deadline: '2030-06-30T17:00:00+08:00', contingencyPlan: '停用库房' };
  expect((await fn.api(`/api/tickets/${majorId}/transition`, { body: { to: 'registered', ...five, acceptanceCriteria: '线路更换完毕，绝缘检测合格' } })).status).toBe(200);
  expect((await fn.api('/api/tickets', { body: { siteId: 'jh-zyy', title: '疏散指示灯损坏', level: 'general' } })).status).toBe(201);
  expect((await fn.api('/api/inspections', { body: { siteId: 'jh-rmyy', kind: 'daily', inspector: '张三', findings: '消防通道畅通' } })).status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(width: number, height: number, username = 'map-bureau'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await signInAt(page, fn.httpUrl, username, `${username}-pw`);
  return page;
}

async function mapReady(page: Page, mapCode: string, focus = ''): Promise<void> {
  await page.waitForSelector(`[data-testid=overview-map][data-state=ready][data-map="${mapCode}"][data-focus="${focus}"]`);
}

/** Where a longitude/latitude is drawn, in page coordinates. */
async function pagePoint(page: Page, lngLat: readonly number[]): Promise<{ x: number; y: number }> {
  const [x, y] = await page.evaluate((point) => {
    const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { convertToPixel(finder: object, value: number[]): number[] } };
    return el.__echarts!.convertToPixel({ geoIndex: 0 }, point);
  }, [...lngLat]);
  const box = (await page.locator('[data-testid=overview-map]').boundingBox())!;
  return { x: box.x + x!, y: box.y + y! };
}

/** Each marker's id and where its pin is drawn (px in the map). */
function pins(page: Page): Promise<{ id: string; value: number[]; px: number[] }[]> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { getOption(): { series: { data: { id: string; value: number[] }[] }[] }; convertToPixel(finder: object, value: number[]): number[] } };
    return el.__echarts!.getOption().series[0]!.data.map((d) => ({ id: d.id, value: d.value, px: el.__echarts!.convertToPixel({ geoIndex: 0 }, d.value) }));
  });
}

const mapTop = (page: Page) => page.getByTestId('overview-map').evaluate((el) => el.getBoundingClientRect().top);
/** ECharts' tooltip: the last child of the chart's element. */
const TOOLTIP = '[data-testid=overview-map] > div:last-child';

describe.each(SIZES)('the map at %i×%i', (width, height) => {
  it('names a region and gives its figures on hover, not its code', async () => {
    const page = await signIn(width, height);
    await mapReady(page, '220000');
    const at = await pagePoint(page, JIAOHE);
    await page.mouse.move(at.x, at.y);
    const tooltip = page.locator(TOOLTIP);
    await expect.poll(() => tooltip.innerText(), { timeout: 5000 }).toContain('吉林市');
    const text = await tooltip.innerText();
    expect(text).not.toContain('220200');
    expect(text).toContain('机构 5');
    expect(text).toMatch(/设备在线 2\/3/);
    expect(text).toContain('活动警情 1');
    expect(text).toMatch(/未整改隐患 2：重大 1 · 较大 0 · 一般 1 · 低 0/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}overview-tooltip-${width}x${height}.png` });
    await page.close();
  });

  it('brings the new map into view after drilling down from the table', async () => {
    const page = await signIn(width, height);
    await mapReady(page, '220000');
    const row = page.locator('[data-testid=overview-children] [data-region-code="220200"]');
    await row.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await mapTop(page)).toBeLessThan(0);
    await row.click();
    await mapReady(page, '220200');
    await expect.poll(() => mapTop(page)).toBeGreaterThanOrEqual(0);
    expect(await mapTop(page)).toBeLessThan(height / 2);

    // and once more, from the city's table to the county
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.locator('[data-testid=overview-children] [data-region-code="220281"]').click();
    await mapReady(page, '220200', '220281');
    await expect.poll(() => mapTop(page)).toBeGreaterThanOrEqual(0);
    expect(await mapTop(page)).toBeLessThan(height / 2);
    await page.close();
  });

  it('spreads a county\'s institutions apart and opens an institution\'s own page from its pin', async () => {
    const page = await signIn(width, height);
    await page.goto(`${fn.httpUrl}/#/overview?region=220281`);
    await mapReady(page, '220200', '220281');
    await expect.poll(async () => (await pins(page)).length).toBe(SITES.length);
    const drawn = await pins(page);
    // zoomed in on the institutions: every pin well apart from every other (a pin is 26 px tall)
    for (let i = 0; i < drawn.length; i++) {
      for (let j = i + 1; j < drawn.length; j++) {
        const [a, b] = [drawn[i]!.px, drawn[j]!.px];
        expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!), `${drawn[i]!.id}–${drawn[j]!.id}`).toBeGreaterThanOrEqual(40);
      }
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}overview-county-${width}x${height}.png` });

    // point at the pin as a person would, where it is drawn now (the map settles its size and spreads its pins again
    // as the panel's foot finds its height): under the sticky top bar or below the fold, scrolled to the middle first
    let at = { x: 0, y: 0 };
    // anywhere on the pin's body (26 px tall): its centre first, then a little above and below
    const offsets = [0, -6, 6, -10, 3];
    let attempt = 0;
    await expect.poll(async () => {
      const pin = (await pins(page)).find((p) => p.id === 'jh-rmyy')!;
      at = await pagePoint(page, pin.value);
      if (at.y < 120 || at.y > height - 40) {
        await page.evaluate((dy) => window.scrollBy(0, dy), at.y - height / 2);
        at = await pagePoint(page, pin.value);
      }
      // from outside the map, so the county's tooltip is gone and cannot stand between the mouse and the pin
      at = { x: at.x, y: at.y + offsets[attempt++ % offsets.length]! };
      await page.mouse.move(1, height - 1);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      return page.locator(TOOLTIP).innerText();
    }, { timeout: 10_000 }).toContain('蛟河市人民医院');
    await page.mouse.click(at.x, at.y);
    await page.waitForURL(/#\/sites\/jh-rmyy$/);
    await page.waitForSelector('[data-testid=view-site][data-site-id=jh-rmyy] [data-testid=site-name]');
    expect(await page.getByTestId('site-name').innerText()).toBe('蛟河市人民医院');
    expect(await page.getByTestId('site-lineage').innerText()).toMatch(/吉林省.*吉林市.*蛟河市/);
    expect(await page.getByTestId('site-online').innerText()).toMatch(/66\.7%[\s\S]*2 \/ 3/);
    expect(await page.locator('[data-testid=site-devices] [data-device-id]').count()).toBe(3);
    // the one never heard from is listed first, offline
    expect(await page.locator('[data-testid=site-devices] [data-device-id]').first().getAttribute('data-device-id')).toBe('map-sd-3');
    expect(await page.getByTestId('site-alarm-list').innerText()).toContain('住院楼 1F');
    const hazards = await page.getByTestId('site-ticket-list').innerText();
    expect(hazards).toContain('危化品库房电气线路老化');
    expect(hazards).toContain('后勤保障科 王强');
    expect(hazards).not.toContain('疏散指示灯损坏');
    expect(await page.getByTestId('site-hazards').innerText()).toContain('重大 1');
    expect(await page.getByTestId('site-inspections').innerText()).toContain('消防通道畅通');
    expect(await page.getByTestId('site-checks').innerText()).toContain('日查 1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}site-${width}x${height}.png`, fullPage: true });

    // a hazard on it opens its ticket
    await page.getByTestId('site-ticket-list').getByText('危化品库房电气线路老化').click();
    await page.waitForURL(new RegExp(`#/tickets/${majorId}$`));
    await page.close();
  });
});

describe('an institution\'s page for its own staff', () => {
  it('opens for an operator of the institution, and not for another one', async () => {
    const page = await signIn(1280, 720, 'map-op');
    await page.goto(`${fn.httpUrl}/#/sites/jh-rmyy`);
    await page.waitForSelector('[data-testid=site-name]');
    // the operator has no overview: no way there from the page
    expect(await page.getByText('在总览中查看所在区县').count()).toBe(0);
    expectHttpError(page, 404, /\/api\/sites\/jh-zyy\/page$/);
    await page.goto(`${fn.httpUrl}/#/sites/jh-zyy`);
    await expect(page.locator('[role=alert]').innerText()).resolves.toMatch(/不存在|不在您的范围/);
    await page.close();
  });
});
