// A major hazard's end in a real browser against a real FireNet: the county bureau sees a verified major hazard under
// 挂牌督办 with the deadline of its state, rejects it once with a reason, approves its closing (销号) once verified
// again, and lifts its 挂牌督办 (摘牌); a 通报 issued by the county bureau is acknowledged by the institution's safety
// manager. What people typed is shown as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

const XSS = '<img src=x onerror="window.__xss=1">';
const SITE = 'mhb-jh';
const USERS = {
  'mhb-county': { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  'mhb-safety': { role: 'safety_manager', regionCode: null, siteIds: [SITE] },
  'mhb-deputy': { role: 'safety_manager', regionCode: null, siteIds: [SITE] },
  'mhb-fixer': { role: 'logistics', regionCode: null, siteIds: [SITE] },
};

let fn: TestFireNet;
let browser: Browser;
let token: Record<keyof typeof USERS, string>;
let majorId: string;

const move = async (who: keyof typeof USERS, body: Record<string, unknown>) => {
  const res = await fn.api(`/api/tickets/${majorId}/transition`, { token: token[who], body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院（督办）');
  token = await signInUsers(fn, USERS);
  const opened = await fn.api<{ id: string }>('/api/tickets', { token: token['mhb-safety'], body: { siteId: SITE, title: '住院楼安全出口上锁', level: 'major', criterion: 'evacuation_blocked', location: '住院楼 3F 东侧' } });
  expect(opened.status).toBe(201);
  majorId = opened.body.id;
  await move('mhb-safety', {
    to: 'registered', owner: '院长 王明', funds: '专项经费', measures: '拆除门锁，更换推杠门', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    contingencyPlan: '专人值守', acceptanceCriteria: `安全出口全部开启 ${XSS}`,
  });
  const up = await fn.api(`/api/tickets/${majorId}/supervision`, { token: token['mhb-county'], body: { deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(), note: '县卫生健康局挂牌督办' } });
  expect(up.status).toBe(200);
  await move('mhb-fixer', { to: 'rectifying' });
  await move('mhb-fixer', { to: 'pending_verification', note: '门锁已拆除' });
  await move('mhb-safety', { to: 'verified', note: '院内验收合格' });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(page: Page, username: keyof typeof USERS, path: string): Promise<void> {
  await signInAt(page, `${fn.httpUrl}/#${path}`, username, `${username}-pw`, { until: '[data-testid=current-user]' });
}

describe('the county bureau closes a major hazard', () => {
  it('rejects it once with a reason, approves its closing once verified again, and lifts its 挂牌督办', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    await signIn(page, 'mhb-county', `/tickets/${majorId}`);
    await page.waitForSelector('[data-testid=view-ticket][data-state=verified]');
    await page.getByTestId('ticket-supervised').waitFor();
    await expect(page.getByTestId('state-deadline').innerText()).resolves.toContain('销号审批期限');
    await expect(page.getByTestId('acceptance-criteria').innerText()).resolves.toBe(`安全出口全部开启 ${XSS}`);
    await expect(page.getByTestId('reported-upward').innerText()).resolves.toContain('已于');
    // the lift waits for the closing
    expect(await page.getByTestId('supervision-lift').count()).toBe(0);

    const approval = page.getByTestId('closing-approval');
    expect(await approval.locator('[data-action=reject]').isDisabled()).toBe(true);
    await approval.locator('textarea[name=note]').fill('现场复查：东侧出口仍上锁');
    await approval.locator('[data-action=reject]').click();
    await page.waitForSelector('[data-testid=view-ticket][data-state=rectifying]');

    await move('mhb-fixer', { to: 'pending_verification', note: '东侧出口门锁已拆除' });
    await move('mhb-deputy', { to: 'verified' });
    await page.waitForSelector('[data-testid=view-ticket][data-state=verified]', { timeout: 10_000 });
    await approval.locator('textarea[name=note]').fill('现场复查合格，同意销号');
    await approval.locator('[data-action=approve]').click();
    await page.waitForSelector('[data-testid=view-ticket][data-state=closed]');

    await page.locator('textarea[name=liftNote]').fill(`整改到位，予以摘牌 ${XSS}`);
    await page.getByTestId('supervision-lift').click();
    await expect.poll(() => page.getByTestId('supervision-lifted').innerText(), { timeout: 10_000 }).toContain(`整改到位，予以摘牌 ${XSS}`);
    expect(await page.getByTestId('ticket-supervised').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.screenshot({ path: `${SCREENSHOT_DIR}major-hazard-closed-1440x1100.png`, fullPage: true });

    const ticket = (await fn.api<any>(`/api/tickets/${majorId}`)).body;
    expect(ticket).toMatchObject({ state: 'closed', supervision: { liftedBy: 'mhb-county', liftNote: `整改到位，予以摘牌 ${XSS}` } });
    expect(ticket.events.filter((e: any) => e.actor === 'mhb-county').map((e: any) => [e.action, e.to])).toEqual([
      ['escalated', null], ['rejected', 'rectifying'], ['transition', 'closed'], ['supervision_lifted', null],
    ]);
    await page.close();
  });
});

describe('通报', () => {
  it('is issued by the county bureau to an institution, and acknowledged there by its safety manager', async () => {
    const bureau = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(bureau, 'mhb-county', '/supervision');
    await bureau.getByTestId('issue-notice').click();
    const form = bureau.getByTestId('notice-form');
    await form.locator('input[name=title]').fill('十一月消防安全检查情况通报');
    await form.locator(`input[name=siteIds][value="${SITE}"]`).check();
    await form.locator('textarea[name=findings]').fill(`1. 疏散通道堆放杂物 ${XSS}`);
    await form.locator('button[type=submit]').click();
    const record = bureau.locator('[data-testid=supervision-records] > li[data-kind=notice]');
    await record.waitFor();
    await expect(record.locator(`[data-site-id="${SITE}"]`).getAttribute('data-acknowledged')).resolves.toBe('false');
    await bureau.close();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'mhb-safety', '/supervision');
    const mine = page.locator('[data-testid=supervision-records] > li[data-kind=notice]');
    await expect(mine.locator('.pre').first().innerText()).resolves.toBe(`1. 疏散通道堆放杂物 ${XSS}`);
    await mine.getByTestId('acknowledge').click();
    await expect.poll(() => mine.locator(`[data-site-id="${SITE}"]`).getAttribute('data-acknowledged'), { timeout: 10_000 }).toBe('true');
    await expect(mine.locator(`[data-site-id="${SITE}"]`).innerText()).resolves.toContain('mhb-safety');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const [notice] = (await fn.api<any[]>('/api/supervision?kind=notice')).body;
    expect(notice.targets).toEqual([expect.objectContaining({ siteId: SITE, acknowledgedBy: 'mhb-safety' })]);
    await page.close();
  });
});
