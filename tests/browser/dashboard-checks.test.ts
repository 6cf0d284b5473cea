// The safety manager's 日周月 check in Chromium against a real FireNet (#/sites/:id/checks, from the institution's
// page): the institution's kind and persons in words, the checklist's items in words, one item failed and fixed on
// the spot, one failed as a hazard; the check is recorded with its ticket, and the page counts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { ADMIN_PASSWORD, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, pageProblems } from '../helpers/browser.js';

const SITE = 'checks-jh';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082', 'hex');
let fn: TestFireNet;
let browser: Browser;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  expect((await fn.api('/api/sites', { body: {
    id: SITE, name: '蛟河市人民医院', regionCode: '220281', kind: 'general_hospital', grade: 'grade2', keyUnit: true,
    fireSafetyResponsible: { name: '王建国', post: '院长', phone: '0432-62345678' },
  } })).status).toBe(201);
  await fn.store.createUser({ username: 'checks-safety', passwordHash: await hashSecret('checks-safety-pw'), role: 'safety_manager', regionCode: null, siteIds: [SITE] });
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

describe('the checks page', () => {
  it('lets a safety manager tick the daily checklist, fix one item on the spot and report another as a hazard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = pageProblems(page);
    await page.goto(fn.httpUrl);
    await page.fill('input[name=username]', 'checks-safety');
    await page.fill('input[name=password]', 'checks-safety-pw');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection][data-state=live]');
    await page.goto(`${fn.httpUrl}/#/sites/${SITE}`);
    await page.click('[data-testid=site-checks-link]');
    await page.waitForSelector('[data-testid=check-form]');

    const profile = await page.getByTestId('checks-profile').innerText();
    expect(profile).toContain('综合医院');
    expect(profile).toContain('二级');
    expect(profile).toContain('消防安全重点单位');
    expect(profile).toContain('王建国 · 院长 · 0432-62345678');
    const publicPath = await page.getByTestId('public-link').innerText();
    expect(publicPath).toMatch(/^\/public\/institutions\/\S{40,}$/);
    // the QR code to print is an image the browser really loaded, and the page its link opens shows who answers for it
    const qr = page.getByTestId('public-qr-image');
    await qr.evaluate((img: HTMLImageElement) => img.decode());
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await qr.getAttribute('src')).toBe(`${publicPath}/qr.svg`);
    const [publicPage] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('public-link').click()]);
    await publicPage.waitForLoadState();
    expect(publicPage.url()).toBe(`${fn.httpUrl}${publicPath}`);
    expect(await publicPage.locator('body').innerText()).toContain('王建国 · 院长 · 0432-62345678');
    expect(await publicPage.locator('.qr img').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBeGreaterThan(0);
    await publicPage.close();

    const exits = page.locator('[data-item=exits_evacuation_routes]');
    expect(await exits.locator('.text').innerText()).toBe('安全出口、疏散通道畅通');
    await exits.locator('input[value=fail]').check();
    await exits.locator('input.field').first().fill('二楼东侧通道堆放纸箱');
    await exits.locator('input[type=checkbox]').check();
    await exits.locator('input.field').nth(1).fill('李明');
    await exits.locator('input[type=file]').setInputFiles({ name: 'exit.png', mimeType: 'image/png', buffer: PNG });
    const doors = page.locator('[data-item=fire_doors]');
    await doors.locator('input[value=fail]').check();
    await doors.locator('input.field').first().fill('3号楼防火门闭门器损坏');
    await doors.locator('select').selectOption('significant');
    await page.click('[data-testid=check-form] button[type=submit]');
    expect(await page.getByTestId('check-done').innerText()).toMatch(/不合格 2 项（当场整改 1 项，生成隐患工单 1 个）/);

    const [check] = (await fn.api<any[]>(`/api/checks?siteId=${SITE}`)).body;
    expect(check).toMatchObject({ rhythm: 'daily', performedBy: 'checks-safety', failed: 2, fixedOnSpot: 1, hazardsOpened: 1 });
    const ticketId = check.items.find((i: any) => i.code === 'fire_doors').ticketId;
    expect(check.items.find((i: any) => i.code === 'exits_evacuation_routes').photos).toHaveLength(1);
    expect((await fn.api(`/api/tickets/${ticketId}`)).body).toMatchObject({ title: '3号楼防火门闭门器损坏', level: 'significant' });
    await page.waitForSelector(`[data-testid=checks-recent] [data-check-id="${check.id}"]`);
    expect(await page.getByTestId('checks-completion').innerText()).toContain('当场整改 1 项');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lets an admin change what the institution is and who answers for it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = pageProblems(page);
    await page.goto(fn.httpUrl);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection][data-state=live]');
    await page.goto(`${fn.httpUrl}/#/sites/${SITE}/checks`);
    const form = page.getByTestId('institution-form');
    await form.locator('select[name=grade]').selectOption('grade3');
    await form.locator('input[name=highRisk]').check();
    await form.locator('input[name="manager.name"]').fill('李明');
    await form.locator('input[name="manager.post"]').fill('保卫科科长');
    await form.locator('button[type=submit]').click();
    await page.getByTestId('institution-saved').waitFor();
    const site = (await fn.api<any[]>(`/api/sites?highRisk=true`)).body.find((s) => s.id === SITE);
    expect(site).toMatchObject({ grade: 'grade3', highRisk: true, keyUnit: true, fireSafetyManager: { name: '李明', post: '保卫科科长', phone: '' },
      fireSafetyResponsible: { name: '王建国', post: '院长', phone: '0432-62345678' } });
    expect(await page.getByTestId('checks-profile').innerText()).toContain('火灾高危单位');

    // the admin edits the daily checklist: the smoking item off, an item of their own in; saved as version 2
    const before = (await fn.api<any[]>('/api/check-templates?institutionKind=general_hospital&rhythm=daily')).body[0];
    await page.getByTestId('template-edit').click();
    const editor = page.getByTestId('template-form');
    await editor.locator('[data-item=smoking] [data-testid=template-remove]').click();
    await editor.locator('input[name=new-item]').fill('配电室门上锁、无杂物');
    await editor.getByTestId('template-add').click();
    await editor.getByTestId('template-save').click();
    await page.getByTestId('template-form').waitFor({ state: 'detached' });
    const versions = (await fn.api<any[]>(`/api/check-templates/${before.id}/versions`)).body;
    expect(versions.map((v) => v.version)).toEqual([before.version + 1, before.version]);
    expect(versions[0].items.map((i: any) => i.code)).not.toContain('smoking');
    expect(versions[0].items.at(-1)).toMatchObject({ label: '配电室门上锁、无杂物' });
    // the check to do follows the new version; the check done before keeps its own
    const checkForm = page.getByTestId('check-form');
    await checkForm.locator('.text', { hasText: '配电室门上锁、无杂物' }).waitFor();
    expect(await checkForm.locator('[data-item=smoking]').count()).toBe(0);
    expect(await checkForm.innerText()).toContain(`检查表第 ${before.version + 1} 版`);
    expect(await page.locator('[data-testid=checks-recent] [data-testid=check-version]').first().innerText()).toBe(`检查表第 ${before.version} 版`);

    // the admin sets the institution's rhythm: two daily checks owed, so today's one check is half of the day's
    const completion = page.getByTestId('checks-completion');
    expect(await completion.innerText()).toMatch(/日查 100(\.0)?%/);
    await page.getByTestId('rhythm-edit').click();
    await page.locator('[data-testid=rhythm-form] input[name=rhythm-daily]').fill('2');
    await page.getByTestId('rhythm-save').click();
    await page.getByTestId('rhythm-form').waitFor({ state: 'detached' });
    expect((await fn.api(`/api/sites/${SITE}/check-rhythm`)).body).toEqual({ daily: 2, weekly: 1, monthly: 1 });
    await expect.poll(() => completion.innerText()).toMatch(/日查 50(\.0)?%/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
