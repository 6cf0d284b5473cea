// Who may do what, as the dashboard shows it, in Chromium against FireNet in demo mode with the demo users: every
// page each role has opens at 1600×900 and 1280×720 without a console error, CSP refusal or failed request
// (tests/helpers/browser.ts fails the test on any); a view a role does not have is not opened by its URL; the
// navigation stays on one line at 1280×720 in both languages; a county bureau sees no region control it cannot use;
// an institution's staff see their own region, not the country; and steps are offered only to who may take them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deviceTopic } from '../../contracts/topics.js';
import { viewsByRole, type ViewKey } from '../../dashboard/src/access.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { DEMO_ROLES, open, pagesOf, passwordOf, signIn, type ViewPage } from '../helpers/demo-views.js';

const SIZES = [{ width: 1600, height: 900 }, { width: 1280, height: 720 }] as const;
const ALL_VIEWS: ViewKey[] = ['overview', 'desk', 'workorders', 'tickets', 'reports', 'rules', 'admin', 'risks', 'control-room', 'preparedness'];
const ROLE_OF: Record<string, string> = {
  admin: 'admin', 'jilin-bureau': 'bureau', 'jilinshi-bureau': 'bureau', 'jiaohe-bureau': 'bureau',
  'jiaohe-operator': 'operator', 'jiaohe-safety': 'safety_manager', 'jiaohe-logistics': 'logistics',
};
const RMYY = 'site-220281-rmyy';

let fn: TestFireNet;
let browser: Browser;
const pages = new Map<string, ViewPage[]>();

beforeAll(async () => {
  fn = await startTestFireNet({ FIRENET_DEMO: '1', FIRENET_DEMO_EVENT_RATE: '0', FIRENET_DEMO_DEVICES: '200', LOG_LEVEL: 'info', LOGIN_RATE_PER_MIN: '1000' });
  await fn.fleet!.ready;
  browser = await launchChromium();
  for (const user of DEMO_ROLES) pages.set(user, await pagesOf(fn, user));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

describe.each(DEMO_ROLES)('%s', (user) => {
  it.each(SIZES)('opens every page it has at $width×$height, cleanly', async (size) => {
    const page = await signIn(browser, fn, user, size);
    for (const view of pages.get(user)!) {
      await open(page, fn, view);
      await page.screenshot({ path: `${SCREENSHOT_DIR}role-${user}-${view.name}-${size.width}x${size.height}.png` });
    }
    await page.close();
  }, 180_000);

  it('is sent to its own first view from the address of a view it does not have, without asking the server for it', async () => {
    const role = ROLE_OF[user]!;
    const own = viewsByRole[role]!;
    const page = await signIn(browser, fn, user, SIZES[1]);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    for (const view of ALL_VIEWS.filter((v) => role !== 'admin' && !own.includes(v))) {
      await page.goto(`${fn.httpUrl}/#/${view}`);
      await page.waitForURL(new RegExp(`#/${own[0]}$`));
      expect(await page.getByTestId(`nav-${view}`).count()).toBe(0);
    }
    expect(asked.filter((p) => p === '/api/overview' && !own.includes('overview'))).toEqual([]);
    await page.close();
  });

  it.each(['zh-CN', 'en'] as const)('keeps its navigation on one line at 1280×720 (%s)', async (lang) => {
    const page = await signIn(browser, fn, user, SIZES[1], lang);
    const box = await page.evaluate(() => {
      const rect = (el: Element | null) => el!.getBoundingClientRect();
      const links = [...document.querySelectorAll('[data-testid=nav] a')].map(rect);
      return {
        bar: rect(document.querySelector('.top-bar')).height,
        tops: [...new Set(links.map((l) => Math.round(l.top)))],
        navRight: Math.max(...links.map((l) => l.right)),
        clockLeft: rect(document.querySelector('.top-bar .clock')).left,
        overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
    expect(box.tops).toHaveLength(1);
    expect(box.bar).toBeLessThan(70);
    expect(box.navRight).toBeLessThanOrEqual(box.clockLeft);
    expect(box.overflow).toBe(false);
    if (user === 'jiaohe-safety') await page.screenshot({ path: `${SCREENSHOT_DIR}nav-safety-1280x720-${lang}.png`, clip: { x: 0, y: 0, width: 1280, height: 80 } });
    await page.close();
  });
});

describe('what does not apply is not shown', () => {
  it.each(SIZES)('a county bureau has no region control on the ticket list or the report ($width×$height)', async (size) => {
    const page = await signIn(browser, fn, 'jiaohe-bureau', size);
    await open(page, fn, { name: 'tickets', path: '/tickets', ready: '[data-testid=view-tickets] .panel' });
    expect(await page.getByTestId('region-picker').count()).toBe(0);
    expect(await page.locator('[data-testid=view-tickets] .filters').innerText()).not.toContain('区域');
    await page.screenshot({ path: `${SCREENSHOT_DIR}county-bureau-tickets-${size.width}x${size.height}.png` });
    await open(page, fn, { name: 'reports', path: '/reports', ready: '[data-testid=report-sheet]' });
    expect(await page.getByTestId('region-picker').count()).toBe(0);
    expect(await page.locator('[data-testid=view-report] .controls').innerText()).not.toContain('区域');
    await page.screenshot({ path: `${SCREENSHOT_DIR}county-bureau-report-${size.width}x${size.height}.png` });
    await page.close();
    // a city bureau has counties to choose from
    const city = await signIn(browser, fn, 'jilinshi-bureau', size);
    await open(city, fn, { name: 'reports', path: '/reports', ready: '[data-testid=report-sheet]' });
    await city.getByTestId('region-picker').locator('select').first().waitFor();
    await city.close();
  });

  it.each(SIZES)('a safety manager\'s report is of the county of its institution, not the country ($width×$height)', async (size) => {
    const page = await signIn(browser, fn, 'jiaohe-safety', size);
    await open(page, fn, { name: 'reports', path: '/reports', ready: '[data-testid=report-sheet]' });
    const heading = await page.locator('[data-testid=report-sheet] h1').innerText();
    expect(heading).toContain('蛟河市');
    expect(heading).not.toContain('全国');
    expect(await page.locator('[data-testid=report-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')))).toEqual([RMYY]);
    expect(await page.getByTestId('region-picker').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}safety-report-${size.width}x${size.height}.png` });
    await page.close();
  });
});

describe('steps offered only to who may take them', () => {
  let order: string;
  let ticket: string;

  beforeAll(async () => {
    // a fault at 蛟河市人民医院, fixed by the demo's logistics
    const secret = await fn.provisionDevice({ id: 'roles-sd', family: 'smoke_detector', siteId: RMYY, zone: '门诊楼 2F' });
    const device = await fn.connectDevice('roles-sd', secret);
    await device.publishAsync(deviceTopic('roles-sd', 'events'), eventPayload('roles-f', 'fault', { code: 'E07' }), { qos: 1 });
    order = await eventually(async () => (await fn.api<{ id: string; category: string }[]>('/api/workorders?deviceId=roles-sd')).body.find((o) => o.category === 'fault')?.id, 5000, 'work order');
    const logistics = await fn.login('jiaohe-logistics', passwordOf('jiaohe-logistics'));
    expect((await fn.api(`/api/workorders/${order}/transition`, { body: { action: 'fix' }, token: logistics })).status).toBe(200);
    // a hazard the demo's safety manager registered and rectified itself
    const safety = await fn.login('jiaohe-safety', passwordOf('jiaohe-safety'));
    ticket = (await fn.api<{ id: string }>('/api/tickets', { body: { siteId: RMYY, title: '配电室门未上锁', level: 'general' }, token: safety })).body.id;
    const five = { owner: '保卫科', funds: '无', measures: '加锁', deadline: new Date(Date.now() + 86_400_000).toISOString(), contingencyPlan: '专人巡查' };
    for (const body of [{ to: 'registered', ...five }, { to: 'rectifying' }, { to: 'pending_verification', note: '已加锁' }]) {
      expect((await fn.api(`/api/tickets/${ticket}/transition`, { body, token: safety })).status).toBe(200);
    }
  });

  async function workOrderRow(user: string, size: { width: number; height: number }): Promise<Page> {
    const page = await signIn(browser, fn, user, size, 'zh-CN');
    await page.goto(`${fn.httpUrl}/#/workorders`);
    await page.locator(`[data-workorder-id="${order}"]`).waitFor();
    return page;
  }

  it.each(SIZES)('logistics is not offered 验证通过 on its own fix; the safety manager is ($width×$height)', async (size) => {
    const fixer = await workOrderRow('jiaohe-logistics', size);
    await fixer.getByTestId(`wo-awaits-${order}`).waitFor();
    expect(await fixer.getByTestId(`wo-verify-${order}`).count()).toBe(0);
    expect(await fixer.getByTestId(`wo-reject-${order}`).count()).toBe(0);
    await fixer.screenshot({ path: `${SCREENSHOT_DIR}workorders-own-fix-${size.width}x${size.height}.png` });
    await fixer.close();
    const manager = await workOrderRow('jiaohe-safety', size);
    await manager.getByTestId(`wo-verify-${order}`).waitFor();
    await manager.close();
  });

  it.each(SIZES)('a safety manager is not offered 验收 on a rectification it submitted ($width×$height)', async (size) => {
    const page = await signIn(browser, fn, 'jiaohe-safety', size);
    await page.goto(`${fn.httpUrl}/#/tickets/${ticket}`);
    await page.waitForSelector('[data-testid=view-ticket][data-state=pending_verification]');
    await page.getByTestId('ticket-awaits-verifier').waitFor();
    expect(await page.locator('button[data-action=verify]').count()).toBe(0);
    expect(await page.locator('button[data-action=reject]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}ticket-own-rectification-${size.width}x${size.height}.png`, fullPage: true });
    await page.close();
  });
});
