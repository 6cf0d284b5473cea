// The dashboard's lists under the paging contract: a list longer than a page says how many there are in all
// (from X-Total-Count) and loads the rest on request, instead of stopping silently at the page's end; a picker
// reads every page, so it offers every institution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Site } from '../../contracts/records.js';
import { ADMIN_PASSWORD, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

const SITE = 'lists-jh';
const TICKETS = 505; // the view loads 500 at a time
const WORK_ORDERS = 505; // the work orders view loads 500 at a time
const DEVICES = 105; // an institution's page lists 100 at a time
/** More institutions than the API's default page of sites (1,000): a picker must still offer the last one. */
const MANY_SITES = 1005;

let fn: TestFireNet;
let browser: Browser;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
  const site = (await fn.store.getSite(SITE))!;
  const now = Date.now();
  for (let i = 0; i < TICKETS; i++) {
    await fn.store.tickets.report({
      deviceId: null, siteId: SITE, regionCode: site.regionCode, title: `灭火器过期 ${i + 1}`, description: '', location: `${(i % 9) + 1}F`,
      level: 'low', grade: 'general', data: {}, reportedBy: '安全员', at: now - i * 60_000,
    });
  }
  for (let i = 0; i < WORK_ORDERS; i++) {
    await fn.store.transaction((tx) => fn.store.workorders.raise(tx, {
      ruleId: 'device.offline', subject: `wo-dev-${i}`, deviceId: `wo-dev-${i}`, siteId: SITE, regionCode: site.regionCode, category: 'offline', data: {}, at: now - i * 60_000,
    }));
  }
  const devices = Array.from({ length: DEVICES }, (_, i) => ({ id: `lst-sd-${String(i).padStart(3, '0')}`, family: 'smoke_detector' as const, siteId: SITE, model: null, building: null, floor: null, zone: null, heartbeatSec: 300 }));
  await fn.store.createDevices(devices.map((device) => ({ device, secretHash: 'hmac-sha256$unused' })));
  // the one needing attention most (disabled) sorts last by id, and is listed first
  await fn.store.setDeviceDisabled(`lst-sd-${DEVICES - 1}`, true);
  for (let i = 0; i < MANY_SITES; i++) {
    const id = `pick-${String(i).padStart(4, '0')}`;
    await fn.store.upsertSite(Site.parse({ id, name: `桦甸市第${i + 1}卫生院`, regionCode: '220282' }), { regionCode: '220282', cityCode: '220200', provinceCode: '220000' });
  }
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signInAt(page, `${fn.httpUrl}/#${path}`, 'admin', ADMIN_PASSWORD, { until: null });
  return page;
}

describe('lists longer than a page', () => {
  it('tells the hazard list\'s total and loads the rest on request', async () => {
    const page = await signIn('/tickets');
    const count = page.getByTestId('tickets-count');
    await expect.poll(() => count.getAttribute('data-total'), { timeout: 10_000 }).toBe(String(TICKETS));
    expect(await count.innerText()).toBe(`显示 500 条，共 ${TICKETS} 条`);
    expect(await page.locator('[data-testid=ticket-table] [data-ticket-id]').count()).toBe(500);
    await page.getByTestId('tickets-more').click();
    await expect.poll(() => page.locator('[data-testid=ticket-table] [data-ticket-id]').count(), { timeout: 10_000 }).toBe(TICKETS);
    expect(await count.innerText()).toBe(`共 ${TICKETS} 条`);
    expect(await page.getByTestId('tickets-more').count()).toBe(0);
    // the oldest, from the second page, is there
    await page.locator('[data-testid=ticket-table]').getByText(`灭火器过期 ${TICKETS}`, { exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}tickets-paged.png` });

    // the audit log says how long it is in all, as the API counts it
    await page.goto(`${fn.httpUrl}/#/admin?section=audit`);
    const total = page.getByTestId('audit-total');
    const res = await fetch(`${fn.httpUrl}/api/audit?limit=1`, { headers: { authorization: `Bearer ${fn.adminToken}` } });
    await expect.poll(() => total.getAttribute('data-total'), { timeout: 10_000 }).toBe(res.headers.get('x-total-count'));
    await page.close();
  });

  it('tells the work orders\' total and loads the rest on request, in both languages', async () => {
    const page = await signIn('/workorders');
    const count = page.getByTestId('workorder-total');
    await expect.poll(() => count.getAttribute('data-total'), { timeout: 10_000 }).toBe(String(WORK_ORDERS));
    expect(await count.innerText()).toBe(`显示 500 条，共 ${WORK_ORDERS} 条`);
    const rows = page.locator('[data-testid=workorder-table] tr[data-workorder-id]');
    expect(await rows.count()).toBe(500);
    await page.locator('.lang-switch button[lang=en]').click();
    await expect.poll(() => count.innerText()).toBe(`500 of ${WORK_ORDERS} shown`);
    expect(await page.getByTestId('workorders-more').innerText()).toBe('Load 5 more');
    await page.getByTestId('workorders-more').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(WORK_ORDERS);
    expect(await count.innerText()).toBe(`${WORK_ORDERS} in all`);
    expect(await page.getByTestId('workorders-more').count()).toBe(0);
    // the oldest one is reachable
    expect(await page.locator('[data-testid=workorder-table] tr[data-workorder-id]', { hasText: `wo-dev-${WORK_ORDERS - 1}` }).count()).toBe(1);
    await page.locator('.lang-switch button[lang=zh-CN]').click();
    await page.close();
  });

  it('lists every device of an institution, those needing attention first, with the total', async () => {
    const page = await signIn(`/sites/${SITE}`);
    const count = page.getByTestId('site-devices-count');
    await expect.poll(() => count.getAttribute('data-total'), { timeout: 10_000 }).toBe(String(DEVICES));
    const rows = page.locator('[data-testid=site-devices] [data-device-id]');
    expect(await rows.count()).toBe(100);
    expect(await count.innerText()).toBe(`显示 100 条，共 ${DEVICES} 条`);
    expect(await rows.first().getAttribute('data-device-id')).toBe(`lst-sd-${DEVICES - 1}`);
    // the families table counts them all
    expect(await page.locator('[data-testid=site-devices] tr[data-family=smoke_detector] td').first().innerText()).toBe(String(DEVICES));
    await page.getByTestId('site-devices-more').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(DEVICES);
    expect(await count.innerText()).toBe(`共 ${DEVICES} 条`);
    await page.close();
  });

  it('offers every institution in the admin\'s scope picker, past the API\'s default page of sites', async () => {
    // the institution the API lists last, as a picker reading only the first page would miss it
    const all = await fetch(`${fn.httpUrl}/api/sites?limit=1`, { headers: { authorization: `Bearer ${fn.adminToken}` } });
    const total = Number(all.headers.get('x-total-count'));
    expect(total).toBeGreaterThan(1000);
    const last = ((await (await fetch(`${fn.httpUrl}/api/sites?limit=1&offset=${total - 1}`, { headers: { authorization: `Bearer ${fn.adminToken}` } })).json()) as { id: string; name: string }[])[0]!;
    const page = await signIn('/admin');
    await page.waitForSelector('[data-testid=view-AdminView][data-section=users]');
    await page.getByTestId('user-new').click();
    const form = page.getByTestId('user-create-form');
    await form.getByTestId('scope-role').selectOption('operator');
    await form.getByTestId('site-filter').fill(last.name);
    await form.locator(`input[data-site-id="${last.id}"]`).waitFor({ timeout: 10_000 });
    await page.close();
  });
});
