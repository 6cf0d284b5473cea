// The administration pages in a real browser against a real FireNet with real MQTT devices: users, API tokens,
// CSV device import, the audit log (admins; bureaus read their region's), and disabling a device or rotating
// its secret on the device page.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { ADMIN_PASSWORD, eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, expectSessionEnd, launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

let fn: TestFireNet;
let browser: Browser;
/** The admin's page, signed in once and used by every test. */
let admin: Page;
const contexts: BrowserContext[] = [];

const JIAOHE = 'adm-jh'; // 蛟河市 220281
const JIAOHE_2 = 'adm-jh2'; // 蛟河市 220281
const HUADIAN = 'adm-hd'; // 桦甸市 220282
const XSS = '<img src=x onerror=window.__xss=1>';

beforeAll(async () => {
  // A per-device rate cap, so that the device page has dropped messages to show.
  fn = await startTestFireNet({ MQTT_DEVICE_RATE: '1', MQTT_DEVICE_BURST: '2' });
  browser = await launchChromium();
  await fn.provisionSite(JIAOHE, '220281', '蛟河市人民医院');
  await fn.provisionSite(JIAOHE_2, '220281', '蛟河市中医院');
  await fn.provisionSite(HUADIAN, '220282', '桦甸市中医院');
  const bureau = await fn.api('/api/users', { body: { username: 'jh-bureau', password: 'jiaohe-bureau-pw', role: 'bureau', regionCode: '220281' } });
  expect(bureau.status).toBe(201);
  admin = await signIn('admin', ADMIN_PASSWORD, '/admin');
  await admin.waitForSelector('[data-testid=view-AdminView]');
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await fn?.stop();
});

/** Signs in on the login form in a browser context of its own; with `path`, the page was opened there first (a bookmark). */
async function signIn(username: string, password: string, path?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  await signInAt(page, path ? `${fn.httpUrl}/#${path}` : fn.httpUrl, username, password, { timeout: 15_000 });
  return page;
}

async function openSection(page: Page, section: 'users' | 'tokens' | 'import' | 'audit'): Promise<void> {
  await page.goto(`${fn.httpUrl}/#/admin${section === 'users' ? '' : `?section=${section}`}`);
  await page.waitForSelector(`[data-testid=view-AdminView][data-section=${section}]`);
}

/** A full-page screenshot from the top (the top bar is sticky: taken scrolled, it would sit mid-page). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** Publishes a smoke alarm from a new device at `siteId`; returns the alarm's id. */
async function alarmAt(deviceId: string, siteId: string): Promise<string> {
  const secret = await fn.provisionDevice({ id: deviceId, family: 'smoke_detector', siteId, zone: '住院楼 3F' });
  const device = await fn.connectDevice(deviceId, secret);
  await device.publishAsync(deviceTopic(deviceId, 'events'), eventPayload(`${deviceId}-alarm`, 'smoke.alarm'), { qos: 1 });
  await device.endAsync();
  const alarm = (await fn.api<{ id: string; deviceId: string }[]>('/api/alarms?status=active')).body.find((a) => a.deviceId === deviceId);
  expect(alarm).toBeTruthy();
  return alarm!.id;
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));
}

/** The CONNACK return code a connection with this secret gets (undefined: it connected). */
async function refusal(id: string, password: string): Promise<number | undefined> {
  const outcome = await mqtt.connectAsync(fn.mqttUrl, { clientId: id, username: id, password, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 }).catch((e: { code?: number }) => e);
  if ('end' in outcome) {
    await outcome.endAsync();
    return undefined;
  }
  return outcome.code;
}

describe('users (admin)', () => {
  it('creates an operator for one institution, who then sees only that institution’s alarms; a new password signs them out', async () => {
    const ours = await alarmAt('sd-adm-jh', JIAOHE);
    const other = await alarmAt('sd-adm-jh2', JIAOHE_2);
    const elsewhere = await alarmAt('sd-adm-hd', HUADIAN);

    await openSection(admin, 'users');
    const nav = admin.getByTestId('nav-admin');
    expect((await nav.innerText()).trim()).toBe('管理');
    expect(await nav.getAttribute('class')).toContain('active');
    // scopes are shown by name: the bureau's region, not only its code
    const bureauRow = admin.locator('tr[data-username="jh-bureau"]');
    await expect.poll(() => bureauRow.getByTestId('user-scope').innerText(), { timeout: 10_000 }).toContain('蛟河市');

    await admin.getByTestId('user-new').click();
    const form = admin.getByTestId('user-create-form');
    await form.locator('input[name=username]').fill('op-jiaohe');
    await form.locator('input[name=password]').fill('operator-pass-1');
    await form.getByTestId('scope-role').selectOption('operator');
    await form.getByTestId('site-filter').fill('蛟河市人民');
    await form.locator(`input[data-site-id="${JIAOHE}"]`).check();
    await expect(form.locator(`input[data-site-id="${HUADIAN}"]`).count()).resolves.toBe(0); // filtered out
    await screenshot(admin, 'admin-user-create');
    await form.getByTestId('user-create-submit').click();
    const row = admin.locator('tr[data-username="op-jiaohe"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('消防控制室');
    await expect.poll(() => row.getByTestId('user-scope').innerText(), { timeout: 10_000 }).toBe('蛟河市人民医院');
    const created = (await fn.api<{ username: string; role: string; siteIds: string[] }[]>('/api/users')).body.find((u) => u.username === 'op-jiaohe');
    expect(created).toMatchObject({ role: 'operator', siteIds: [JIAOHE] });

    // the operator, in a browser of their own, sees the alarm of their institution and no other
    const operator = await signIn('op-jiaohe', 'operator-pass-1');
    await operator.waitForSelector('[data-testid=view-AlarmDeskView]');
    await operator.locator(`[data-alarm-id="${ours}"]`).waitFor({ timeout: 10_000 });
    expect(await operator.locator(`[data-alarm-id="${other}"]`).count()).toBe(0);
    expect(await operator.locator(`[data-alarm-id="${elsewhere}"]`).count()).toBe(0);
    expect(await operator.locator('[data-testid=alarm-list] [data-alarm-id]').count()).toBe(1);

    // a new password, set on the page, ends the operator's session at once
    await row.getByTestId('user-edit-op-jiaohe').click();
    const edit = admin.getByTestId('user-edit');
    expect(await edit.innerText()).toContain('所有设备上的登录都会立即失效');
    await edit.locator('input[name=new-password]').fill('operator-pass-2');
    expectSessionEnd(operator);
    await edit.getByTestId('user-save-password').click();
    await admin.getByTestId('users-done').waitFor();
    await operator.waitForSelector('[data-testid=login-form]', { timeout: 20_000 });
    expect((await fn.api('/api/auth/login', { body: { username: 'op-jiaohe', password: 'operator-pass-1' }, token: null })).status).toBe(401);

    // and the scope can be widened on the page
    await edit.getByTestId('site-filter').fill('蛟河市中医');
    await edit.locator(`input[data-site-id="${JIAOHE_2}"]`).check();
    await edit.getByTestId('user-save-scope').click();
    await expect.poll(() => row.getByTestId('user-scope').innerText(), { timeout: 10_000 }).toContain('蛟河市中医院');
    expect((await fn.api<{ username: string; siteIds: string[] }[]>('/api/users')).body.find((u) => u.username === 'op-jiaohe')?.siteIds.sort()).toEqual([JIAOHE, JIAOHE_2].sort());

    // someone who left: disabled on the page, their open dashboard drops to the sign-in form and the right password gets 403
    const back = await signIn('op-jiaohe', 'operator-pass-2');
    await back.waitForSelector('[data-testid=view-AlarmDeskView]');
    expectSessionEnd(back);
    await edit.getByTestId('user-toggle-disabled').click();
    await row.getByTestId('user-disabled').waitFor({ timeout: 10_000 });
    expect(await admin.getByTestId('users-done').innerText()).toContain('已停用 op-jiaohe');
    await back.waitForSelector('[data-testid=login-form]', { timeout: 20_000 });
    expect((await fn.api('/api/auth/login', { body: { username: 'op-jiaohe', password: 'operator-pass-2' }, token: null })).status).toBe(403);
    await screenshot(admin, 'admin-users');
    await edit.getByTestId('user-toggle-disabled').click();
    await expect.poll(() => row.getByTestId('user-disabled').count(), { timeout: 10_000 }).toBe(0);
    expect((await fn.api('/api/auth/login', { body: { username: 'op-jiaohe', password: 'operator-pass-2' }, token: null })).status).toBe(200);
  });
});

describe('API tokens (admin)', () => {
  it('issues a read-only county token shown once, which reads but cannot change, and is refused once revoked; its name is text', async () => {
    const inCounty = await alarmAt('sd-tok-jh', JIAOHE);
    const outside = await alarmAt('sd-tok-hd', HUADIAN);

    await openSection(admin, 'tokens');
    await admin.getByTestId('token-new').click();
    const form = admin.getByTestId('token-issue-form');
    await form.locator('input[name=token-name]').fill(XSS);
    await form.getByTestId('scope-role').selectOption('bureau');
    await form.locator('select[data-parent="000000"]').selectOption('220000');
    await form.locator('select[data-parent="220000"]').selectOption('220200');
    await form.locator('select[data-parent="220200"]').selectOption('220281');
    expect(await form.getByTestId('token-read-only').isChecked()).toBe(true);
    await form.getByTestId('token-issue-submit').click();

    const once = admin.getByTestId('secret-once');
    await once.waitFor({ timeout: 10_000 });
    expect(await once.innerText()).toContain('只显示这一次');
    const token = await once.getByTestId('secret-value').inputValue();
    expect(token).toMatch(/^fnt_/);
    await screenshot(admin, 'admin-tokens');

    // the name is shown as the text it is
    const row = admin.locator('tr[data-token-id]', { hasText: XSS });
    await row.waitFor();
    expect(await row.getByTestId('token-name').innerText()).toBe(XSS);
    expect(await row.innerText()).toContain('吉林省 吉林市 蛟河市');
    expect(await row.innerText()).toContain('只读');
    expect(await admin.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // once closed, the secret is gone from the page
    await once.getByTestId('secret-done').click();
    expect(await admin.getByTestId('secret-once').count()).toBe(0);
    expect(await admin.content()).not.toContain(token);

    const call = (path: string, init: RequestInit = {}) =>
      fetch(fn.httpUrl + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    const read = await call('/api/alarms');
    expect(read.status).toBe(200);
    const ids = ((await read.json()) as { id: string }[]).map((a) => a.id);
    expect(ids).toContain(inCounty);
    expect(ids).not.toContain(outside);
    const change = await call('/api/tickets', { method: 'POST', body: JSON.stringify({ siteId: JIAOHE, title: '疏散通道堵塞', level: 'general' }) });
    expect(change.status).toBe(403);
    expect(((await change.json()) as { message: string }).message).toContain('read-only');

    const id = await row.getAttribute('data-token-id');
    await row.getByTestId(`token-revoke-${id}`).click();
    const confirm = admin.getByTestId('confirm-box');
    expect(await confirm.innerText()).toContain('立即被拒绝');
    expect((await call('/api/alarms')).status).toBe(200); // not before it is confirmed
    await confirm.getByTestId('confirm-yes').click();
    await admin.locator(`tr[data-token-id="${id}"][data-state=revoked]`).waitFor({ timeout: 10_000 });
    expect((await call('/api/alarms')).status).toBe(401);
    expect(await admin.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});

describe('device import (admin)', () => {
  const header = 'id,family,model,institution,building,floor,zone,heartbeat_sec';

  it('lists each bad row and imports nothing; a good file provisions every device and downloads their secrets', async () => {
    await openSection(admin, 'import');
    const bad = [header, `imp-1,smoke_detector,JTY-GD,${JIAOHE},住院楼,3F,内科病房,300`, `imp-2,smoke_alarm_x,JTY-GD,${JIAOHE},住院楼,3F,外科病房,300`].join('\n');
    expectHttpError(admin, 400, /\/api\/devices\/import$/);
    await admin.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await admin.getByTestId('import-submit').click();
    const failed = admin.getByTestId('import-failed');
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.innerText()).toContain('没有导入任何设备');
    const badRow = failed.locator('tr[data-line="3"][data-field="family"]');
    expect(await badRow.count()).toBe(1);
    expect(await failed.locator('tbody tr').count()).toBe(1);
    // worded by the dashboard from the problem's code and values, in the viewer's language, not the server's English
    expect(await badRow.getAttribute('data-code')).toBe('value.unknown_family');
    const problem = badRow.locator('td').nth(2);
    expect(await problem.innerText()).toBe('未知的设备类型“smoke_alarm_x”；可填：smoke_detector（独立式感烟探测器）、fire_panel（火灾报警控制器）、charging_station（电动自行车充电设施）、hazmat_cabinet（危化品柜）、transmission_device（用户信息传输装置）');
    expect(await failed.getByTestId('import-summary').innerText()).toBe('共 1 个问题，在第 3 行');
    expect(await failed.innerText()).not.toMatch(/nothing imported|Invalid option|expected one of/);
    await admin.locator('.lang-switch button[lang=en]').click();
    await expect.poll(() => problem.innerText()).toBe('Unknown device type "smoke_alarm_x"; one of: smoke_detector (Smoke detector), fire_panel (Fire alarm control panel), charging_station (E-bike charging station), hazmat_cabinet (Hazardous-chemical cabinet), transmission_device (User information transmission device)');
    expect(await failed.getByTestId('import-summary').innerText()).toBe('1 problem(s), on line(s) 3');
    expect(await failed.innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    await admin.locator('.lang-switch button[lang=zh-CN]').click();
    await expect.poll(() => problem.innerText()).toContain('未知的设备类型');
    expect((await fn.api('/api/devices/imp-1')).status).toBe(404);
    expect((await fn.api('/api/devices/imp-2')).status).toBe(404);
    await screenshot(admin, 'admin-import-failed');

    const good = [header, `imp-1,smoke_detector,JTY-GD,${JIAOHE},住院楼,3F,内科病房,300`, `imp-2,charging_station,,${JIAOHE},,,车棚,60`].join('\r\n');
    await admin.getByTestId('import-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${good}\r\n`) });
    const [download] = await Promise.all([admin.waitForEvent('download', { timeout: 15_000 }), admin.getByTestId('import-submit').click()]);
    expect(download.suggestedFilename()).toMatch(/^firenet-device-secrets-.*\.csv$/);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,secret');
    const secrets = new Map(lines.slice(1).map((line) => line.split(',') as [string, string]));
    expect([...secrets.keys()].sort()).toEqual(['imp-1', 'imp-2']);
    const done = admin.getByTestId('import-done');
    await done.waitFor();
    expect(await done.getAttribute('data-devices')).toBe('2');
    expect(await done.innerText()).toContain('只在这一次提供');

    for (const id of ['imp-1', 'imp-2']) expect((await fn.api(`/api/devices/${id}`)).status).toBe(200);
    // the secrets in the file are the devices' own
    const device = await fn.connectDevice('imp-2', secrets.get('imp-2')!);
    expect(device.connected).toBe(true);
    await device.endAsync();
    await screenshot(admin, 'admin-import');
  });
});

describe('device page (admin)', () => {
  it('shows dropped messages; disabling closes the device’s connection; a rotated secret connects and the old one is refused', async () => {
    const id = 'sd-manage-1';
    const oldSecret = await fn.provisionDevice({ id, family: 'smoke_detector', siteId: JIAOHE, zone: '门诊楼 1F' });
    const client = await fn.connectDevice(id, oldSecret);
    // over its rate (1/s, burst 2): some of these are dropped and counted
    for (let i = 0; i < 8; i++) await client.publishAsync(deviceTopic(id, 'telemetry'), JSON.stringify({ metrics: { battery_pct: 90 } }), { qos: 1 });
    await eventually(async () => (await fn.api<{ throttled: number }>(`/api/devices/${id}`)).body.throttled > 0, 10_000, 'throttled count');

    await admin.goto(`${fn.httpUrl}/#/devices/${id}`);
    await admin.waitForSelector('[data-testid=device-admin]');
    const throttled = admin.getByTestId('device-throttled');
    expect(Number(await throttled.getAttribute('data-throttled'))).toBeGreaterThan(0);
    expect(await throttled.innerText()).toContain('最近');
    expect(await admin.getByTestId('device-disabled').getAttribute('data-disabled')).toBe('false');

    // disable, after a confirmation that says the connection closes at once
    const gone = closed(client);
    await admin.getByTestId('device-disable').click();
    const confirm = admin.getByTestId('confirm-box');
    expect(await confirm.innerText()).toContain('立即断开');
    expect(client.connected).toBe(true); // nothing happens before it is confirmed
    await confirm.getByTestId('confirm-yes').click();
    await gone;
    await admin.locator('[data-testid=device-disabled][data-disabled=true]').waitFor({ timeout: 10_000 });
    expect((await fn.api<{ disabled: boolean }>(`/api/devices/${id}`)).body.disabled).toBe(true);
    expect(await refusal(id, oldSecret)).toBe(5); // not authorised: disabled

    // enable again
    await admin.getByTestId('device-enable').click();
    await admin.getByTestId('confirm-yes').click();
    await admin.locator('[data-testid=device-disabled][data-disabled=false]').waitFor({ timeout: 10_000 });
    const again = await fn.connectDevice(id, oldSecret);

    // rotate: the new secret is shown once; it connects, the old one no longer does
    const dropped = closed(again);
    await admin.getByTestId('device-rotate').click();
    expect(await admin.getByTestId('confirm-box').innerText()).toContain('旧密钥立即失效');
    await admin.getByTestId('confirm-yes').click();
    const once = admin.getByTestId('secret-once');
    await once.waitFor({ timeout: 10_000 });
    expect(await once.innerText()).toContain('只显示这一次');
    const newSecret = await once.getByTestId('secret-value').inputValue();
    expect(newSecret).not.toBe(oldSecret);
    await dropped;
    expect(await refusal(id, oldSecret)).toBe(4); // bad user name or password
    const renewed = await fn.connectDevice(id, newSecret);
    expect(renewed.connected).toBe(true);
    await screenshot(admin, 'device-manage');
    await renewed.endAsync();
  });
});

describe('audit log', () => {
  it('shows the admin every change, newest first, with a text filter', async () => {
    await openSection(admin, 'audit');
    const table = admin.getByTestId('audit-table');
    await table.locator('tr[data-target="/api/devices/sd-manage-1/rotate-secret"]').waitFor({ timeout: 10_000 });
    const times = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-id')));
    expect(times.length).toBeGreaterThan(5);
    // newest first: the rotation (the latest change) leads
    expect(await table.locator('tbody tr').first().getAttribute('data-target')).toBe('/api/devices/sd-manage-1/rotate-secret');
    expect(await table.locator('tbody tr').first().innerText()).toContain('更换设备密钥');
    // the action in words and the object by name (a device with its institution); no route, no raw id on screen
    expect(await table.locator('tbody tr').first().getByTestId('audit-target-name').innerText()).toMatch(/^设备 sd-manage-1 · \S+/);
    for (const text of await table.locator('tbody tr').allInnerTexts()) expect(text).not.toMatch(/\/api\/|POST |PATCH |DELETE /);

    await admin.getByTestId('audit-filter').fill('/api/tokens');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2); // issued, revoked
    for (const text of await table.locator('tbody tr').allInnerTexts()) expect(text).toMatch(/签发 API 令牌|吊销 API 令牌/);
    // the issued and the revoked token are named, as text
    expect(await table.getByTestId('audit-target-name').allInnerTexts()).toEqual([`API 令牌 ${XSS}`, `API 令牌 ${XSS}`]);
    expect(await admin.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await admin.getByTestId('audit-filter').fill('op-jiaohe 修改用户');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4); // new password, wider scope, disabled, enabled again
    await admin.getByTestId('audit-filter').fill('');
    await screenshot(admin, 'admin-audit');
  });

  it('shows a bureau only the audit section, with its region’s entries only', async () => {
    // one change in the bureau's county, one outside it
    expect((await fn.api('/api/devices/sd-adm-jh', { method: 'PATCH', body: { disabled: true } })).status).toBe(200);
    expect((await fn.api('/api/devices/sd-adm-hd', { method: 'PATCH', body: { disabled: true } })).status).toBe(200);

    const bureau = await signIn('jh-bureau', 'jiaohe-bureau-pw');
    await bureau.getByTestId('nav-admin').click();
    await bureau.waitForSelector('[data-testid=view-AdminView][data-section=audit]');
    expect(await bureau.getByTestId('nav-admin').innerText()).toContain('审计');
    const table = bureau.getByTestId('audit-table');
    // its provisioning and its disabling (a creation is named by the id it created)
    await expect.poll(() => table.locator('tr[data-target="/api/devices/sd-adm-jh"]').count(), { timeout: 10_000 }).toBe(2);
    expect(await table.locator('tr[data-target="/api/devices/sd-adm-hd"]').count()).toBe(0);
    // what the page lists is what the API gives this bureau, and that holds nothing of 桦甸市
    const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-id')));
    const token = await fn.login('jh-bureau', 'jiaohe-bureau-pw');
    const own = (await fn.api<{ id: string; target: string }[]>('/api/audit?limit=500', { token })).body;
    expect([...shown].sort()).toEqual(own.map((e) => e.id).sort());
    expect(own.some((e) => e.target.includes('sd-adm-hd') || e.target.includes('sd-tok-hd'))).toBe(false);
    for (const section of ['users', 'tokens', 'import']) {
      expect(await bureau.getByTestId(`admin-${section}`).count()).toBe(0);
      expect(await bureau.getByTestId(`admin-tab-${section}`).count()).toBe(0);
    }
    // asking for another section by URL still shows the audit log
    await bureau.goto(`${fn.httpUrl}/#/admin?section=users`);
    await bureau.waitForSelector('[data-testid=view-AdminView][data-section=audit]');
    expect(await bureau.getByTestId('admin-users').count()).toBe(0);
    await screenshot(bureau, 'admin-audit-bureau');
  });

  it('sends an operator who opens #/admin to their own view, bookmarked or typed', async () => {
    const operator = await signIn('op-jiaohe', 'operator-pass-2', '/admin');
    await operator.waitForSelector('[data-testid=view-AlarmDeskView]', { timeout: 10_000 });
    expect(new URL(operator.url()).hash).toBe('#/desk');
    expect(await operator.getByTestId('nav-admin').count()).toBe(0);
    await operator.goto(`${fn.httpUrl}/#/admin`);
    await operator.waitForSelector('[data-testid=view-AlarmDeskView]');
    expect(new URL(operator.url()).hash).toBe('#/desk');
    expect(await operator.getByTestId('view-AdminView').count()).toBe(0);
  });
});
