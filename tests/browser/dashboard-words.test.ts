// Words come from the dashboard, in the viewer's language, never from the server: notifications (a kind and data),
// API refusals (a code), device faults (a code), rules (both languages), the audit log (actions in words, records
// by name), and one product name. zh-CN first; the English switch shows English with no Chinese of ours in it
// (names people gave to institutions and hazards are data, and stay as typed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { ADMIN_PASSWORD, eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

const SITE = 'words-jh';
const SITE_NAME = '蛟河市人民医院';
/** Chinese characters, to find any that leaked into an English screen. */
const HAN = /[\u4e00-\u9fff]/;

let fn: TestFireNet;
let browser: Browser;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite(SITE, '220281', SITE_NAME);
  await fn.store.createUser({ username: 'words-safety', passwordHash: await hashSecret('words-safety-pw'), role: 'safety_manager', regionCode: null, siteIds: [SITE] });
  await fn.store.createUser({ username: 'words-fixer', passwordHash: await hashSecret('words-fixer-pw'), role: 'logistics', regionCode: null, siteIds: [SITE] });
  await fn.store.createUser({ username: 'words-bureau', passwordHash: await hashSecret('words-bureau-pw'), role: 'bureau', regionCode: '220281', siteIds: [] });
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(username: string, password: string, path = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signInAt(page, `${fn.httpUrl}/${path ? `#${path}` : ''}`, username, password);
  return page;
}

const switchTo = (page: Page, lang: 'en' | 'zh-CN') => page.locator(`.lang-switch button[lang=${lang}]`).click();

/** The text without the data people typed (institution names, hazard titles), to look for our own words only. */
const ours = (text: string, ...data: string[]) => data.reduce((t, d) => t.replaceAll(d, ''), text);

describe('one product name', () => {
  it('calls itself FireNet 医安云 on the sign-in page and in the title; FireNet in English', async () => {
    const page = await browser.newPage();
    await page.goto(fn.httpUrl);
    expect(await page.locator('[data-testid=login-form] h1').innerText()).toBe('FireNet 医安云');
    expect(await page.title()).toBe('FireNet 医安云');
    expect(await page.content()).not.toContain('智慧消防云');
    await switchTo(page, 'en');
    await expect.poll(() => page.locator('[data-testid=login-form] h1').innerText()).toBe('FireNet');
    await switchTo(page, 'zh-CN');
    await page.close();
  });
});

describe('API refusals are worded from their code', () => {
  it('words a wrong password in Chinese, and in English after the switch, without the server\'s English', async () => {
    const page = await browser.newPage();
    await page.goto(fn.httpUrl);
    await page.fill('input[name=username]', 'words-safety');
    await page.fill('input[name=password]', 'not-the-password');
    expectHttpError(page, 401, /\/api\/auth\/login$/);
    await page.click('button[type=submit]');
    const alert = page.locator('[data-testid=login-form] [role=alert]');
    await expect.poll(() => alert.innerText()).toBe('用户名或密码错误');
    await switchTo(page, 'en');
    await expect.poll(() => alert.innerText()).toBe('Wrong username or password');
    await page.screenshot({ path: `${SCREENSHOT_DIR}login-refused-en.png` });
    await switchTo(page, 'zh-CN');
    await page.close();
  });
});

describe('notifications: a kind and data, worded by the dashboard', () => {
  it('shows a rule\'s notification and a confirmed fire in Chinese, and re-words them in English', async () => {
    const page = await signIn('words-safety', 'words-safety-pw');
    const charger = await fn.connectDevice('cs-words', await fn.provisionDevice({ id: 'cs-words', family: 'charging_station', siteId: SITE }));
    await charger.publishAsync(deviceTopic('cs-words', 'events'), eventPayload('w-hot', 'charger.overtemp', { port: 2 }), { qos: 1 });
    const rule = page.locator('[data-testid=toasts] [data-kind="rule.notify"]');
    await rule.waitFor({ timeout: 10_000 });
    expect(await rule.locator('.text').innerText()).toBe(`${SITE_NAME}：充电桩端口过热，已下发断电指令（cs-words）`);

    const detector = await fn.connectDevice('sd-words', await fn.provisionDevice({ id: 'sd-words', family: 'smoke_detector', siteId: SITE, zone: '门诊楼 2F' }));
    await detector.publishAsync(deviceTopic('sd-words', 'events'), eventPayload('w-fire', 'smoke.alarm'), { qos: 1 });
    const alarm = await eventually(async () => (await fn.api<{ id: string; deviceId: string }[]>('/api/alarms?status=active')).body.find((a) => a.deviceId === 'sd-words'), 5000, 'alarm');
    expect((await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'fire' } })).status).toBe(200);
    const fire = page.locator('[data-testid=toasts] [data-kind="fire.confirmed"]');
    await fire.waitFor({ timeout: 10_000 });
    expect(await fire.locator('.text').innerText()).toBe(`${SITE_NAME}：确认火警（门诊楼 2F）`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}toasts-zh.png` });
    for (const text of await page.locator('[data-testid=toasts] .text').allInnerTexts()) expect(ours(text, 'cs-words')).not.toMatch(/[A-Za-z]{2,}/);

    await switchTo(page, 'en');
    await expect.poll(() => rule.locator('.text').innerText()).toBe(`${SITE_NAME}: Charging port overheating: power cut sent (cs-words)`);
    expect(await fire.locator('.text').innerText()).toBe(`${SITE_NAME}: fire confirmed (门诊楼 2F)`);
    for (const text of await page.locator('[data-testid=toasts] .text').allInnerTexts()) expect(ours(text, SITE_NAME, '门诊楼 2F')).not.toMatch(HAN);
    await page.screenshot({ path: `${SCREENSHOT_DIR}toasts-en.png` });
    await switchTo(page, 'zh-CN');
    await charger.endAsync();
    await detector.endAsync();
    await page.close();
  });
});

describe('hazard tickets: a rule\'s worded by the dashboard, a person\'s as written', () => {
  it('shows a rule\'s ticket title, description and notifications in the viewer\'s language, and a person\'s title as typed', async () => {
    const charger = await fn.connectDevice('cs-hazard-words', await fn.provisionDevice({ id: 'cs-hazard-words', family: 'charging_station', siteId: SITE, zone: '车棚' }));
    await charger.publishAsync(deviceTopic('cs-hazard-words', 'events'), eventPayload('w-smoke', 'charger.smoke', { port: 1 }), { qos: 1 });
    const ruleTicket = await eventually(async () => (await fn.api<{ id: string; deviceId: string | null }[]>('/api/tickets')).body.find((t) => t.deviceId === 'cs-hazard-words'), 5000, 'rule ticket');
    const person = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: SITE, title: '楼道堆放纸箱', description: '住院楼 3F 楼道', level: 'low' } });
    expect(person.status).toBe(201);

    const page = await signIn('words-safety', 'words-safety-pw', '/tickets');
    const row = (id: string) => page.locator(`[data-testid=ticket-table] [data-ticket-id="${id}"]`);
    await row(ruleTicket.id).waitFor({ timeout: 10_000 });
    expect(await row(ruleTicket.id).innerText()).toContain('充电桩冒烟');
    await switchTo(page, 'en');
    await expect.poll(() => row(ruleTicket.id).innerText()).toContain('Smoke at a charging station');
    expect(ours(await row(ruleTicket.id).innerText(), SITE_NAME, '车棚')).not.toMatch(HAN);
    // what a person wrote stays as written
    expect(await row(person.body.id).innerText()).toContain('楼道堆放纸箱');

    // the ticket's own page: title and description (the rule's name) in English, the trail without the platform's stored words
    await page.goto(`${fn.httpUrl}/#/tickets/${ruleTicket.id}`);
    await expect.poll(() => page.getByTestId('ticket-title').innerText()).toBe('Smoke at a charging station');
    expect(await page.getByTestId('ticket-description').innerText()).toBe('Smoke at a charging station');
    expect(ours(await page.getByTestId('view-ticket').innerText(), SITE_NAME, '车棚')).not.toMatch(HAN);

    // a bureau puts it under supervision: the toast names the hazard in English for this viewer
    const bureau = await fn.login('words-bureau', 'words-bureau-pw');
    expect((await fn.api(`/api/tickets/${ruleTicket.id}/escalate`, { body: { note: '限期整改' }, token: bureau })).status).toBe(200);
    const toast = page.locator('[data-testid=toasts] [data-kind="ticket.escalated"]');
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.locator('.text').innerText()).toBe(`${SITE_NAME}: hazard put under supervision (words-bureau): Smoke at a charging station`);
    await switchTo(page, 'zh-CN');
    await expect.poll(() => toast.locator('.text').innerText()).toBe(`${SITE_NAME}：隐患挂牌督办（words-bureau）：充电桩冒烟`);
    expect(await page.getByTestId('ticket-title').innerText()).toBe('充电桩冒烟');
    expect(await page.getByTestId('ticket-description').innerText()).toBe('充电桩冒烟');
    await charger.endAsync();
    await page.close();
  });
});

describe('device faults: codes worded by the dashboard', () => {
  it('words a known fault code in the viewer\'s language on the work orders', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-fault-words', family: 'smoke_detector', siteId: SITE });
    const device = await fn.connectDevice('sd-fault-words', secret);
    await device.publishAsync(deviceTopic('sd-fault-words', 'events'), eventPayload('w-fault', 'fault', { code: 'E03' }), { qos: 1 });
    const order = await eventually(async () => (await fn.api<{ id: string; deviceId: string }[]>('/api/workorders?status=open')).body.find((o) => o.deviceId === 'sd-fault-words'), 5000, 'work order');
    const page = await signIn('words-fixer', 'words-fixer-pw', '/workorders');
    const row = page.locator(`[data-workorder-id="${order.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('迷宫污染');
    expect(await row.innerText()).not.toContain('E03');
    await switchTo(page, 'en');
    await expect.poll(() => row.innerText()).toContain('Chamber contaminated');
    expect(ours(await row.innerText(), SITE_NAME)).not.toMatch(HAN);
    await switchTo(page, 'zh-CN');
    await device.endAsync();
    await page.close();
  });
});

describe('rules in both languages', () => {
  it('shows each default rule\'s name and description in the viewer\'s language', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD, '/rules');
    await page.waitForSelector('[data-rule-id="charger.overtemp"]');
    await page.locator('[data-rule-id="charger.overtemp"]').click();
    expect(await page.getByTestId('rule-title').innerText()).toBe('充电桩端口过热');
    expect(await page.getByTestId('rule-description').innerText()).toMatch(/^充电桩端口温度高于 65 °C/);
    // no default rule's name has English words in the Chinese view (VOC is what Chinese calls it too)
    for (const name of await page.getByTestId('rule-name').allInnerTexts()) expect(ours(name, 'VOC')).not.toMatch(/[A-Za-z]{3,}/);
    await switchTo(page, 'en');
    await expect.poll(() => page.getByTestId('rule-title').innerText()).toBe('Charging port overheating');
    expect(await page.getByTestId('rule-description').innerText()).toMatch(/^Charging port above 65 °C/);
    for (const name of await page.getByTestId('rule-name').allInnerTexts()) expect(name).not.toMatch(HAN);
    await page.screenshot({ path: `${SCREENSHOT_DIR}rules-en.png`, fullPage: true });
    await switchTo(page, 'zh-CN');
    await page.close();
  });
});

describe('audit log in words', () => {
  it('shows a bureau\'s 挂牌督办 as words, with the hazard by its title and institution', async () => {
    const ticket = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: SITE, title: '配电室堆放可燃物', level: 'major', grade: 'major' } });
    const bureau = await fn.login('words-bureau', 'words-bureau-pw');
    expect((await fn.api(`/api/tickets/${ticket.body.id}/escalate`, { body: { note: '限期整改' }, token: bureau })).status).toBe(200);
    // the API names the object too, for any client
    const entry = (await fn.api<{ action: string; object: unknown }[]>('/api/audit?limit=5')).body.find((e) => e.action === 'POST /api/tickets/:id/escalate');
    expect(entry?.object).toEqual({ kind: 'ticket', id: ticket.body.id, name: '配电室堆放可燃物', nameEn: null, siteName: SITE_NAME });

    const page = await signIn('admin', ADMIN_PASSWORD, '/admin?section=audit');
    const row = page.locator(`[data-testid=audit-table] tr[data-target="/api/tickets/${ticket.body.id}/escalate"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('audit-action').innerText()).toBe('挂牌督办隐患');
    expect(await row.getByTestId('audit-target-name').innerText()).toBe(`隐患 配电室堆放可燃物 · ${SITE_NAME}`);
    const text = await row.innerText();
    expect(text).not.toContain('/api/');
    expect(text).not.toContain(ticket.body.id);
    await page.screenshot({ path: `${SCREENSHOT_DIR}audit-words.png`, fullPage: true });
    await switchTo(page, 'en');
    await expect.poll(() => row.getByTestId('audit-action').innerText()).toBe('Put hazard under supervision');
    expect(await row.getByTestId('audit-target-name').innerText()).toBe(`Hazard 配电室堆放可燃物 · ${SITE_NAME}`);
    await switchTo(page, 'zh-CN');
    await page.close();
  });
});
