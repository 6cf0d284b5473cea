// The dashboard's lists under the paging contract: a list longer than a page says how many there are in all
// (from X-Total-Count) and loads the rest on request, instead of stopping silently at the page's end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestFireNet, type TestFireNet } from './helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR } from './helpers/browser.js';

const SITE = 'lists-jh';
const TICKETS = 505; // the view loads 500 at a time

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
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

describe('lists longer than a page', () => {
  it('tells the hazard list\'s total and loads the rest on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${fn.httpUrl}/#/tickets`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
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
});
