// The bureau's one-network map, the hazard loop and the monthly report in a real browser against a real FireNet:
// a province bureau drills 220000 -> 220200 -> 220281 and sees the county red for its open major hazard; a safety
// manager walks a ticket through the whole loop (report, register with the five in place, rectify, submit, reject,
// submit, close; logistics rectifies, since nobody verifies their own); what people typed is shown as text; the
// report exports CSV and prints.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, launchChromium, SCREENSHOT_DIR, signInAt } from '../helpers/browser.js';

const XSS = '<img src=x onerror="window.__xss=1">';
/** 蛟河市's seat: inside 220281, so inside 220200 on the province's map too. */
const JIAOHE: [number, number] = [127.345, 43.724];
const MAJOR_RED = '#e53935';
/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let fn: TestFireNet;
let browser: Browser;
let majorId: string;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  const site = (id: string, regionCode: string, name: string, lat: number, lng: number) =>
    fn.api('/api/sites', { body: { id, name, regionCode, lat, lng } }).then((r) => expect(r.status).toBe(201));
  await site('jh-rmyy', '220281', '蛟河市人民医院', 43.736, 127.345);
  await site('jh-zyy', '220281', '蛟河市中医院', 43.722, 127.36);
  await site('cy-yy', '220202', '昌邑区医院', 43.88, 126.57);
  await site('cc-yy', '220102', '长春市南关区医院', 43.86, 125.35);
  const user = async (username: string, role: string, regionCode: string | null, siteIds: string[]) =>
    fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role: role as never, regionCode, siteIds });
  await user('prov-bureau', 'bureau', '220000', []);
  await user('jh-safety', 'safety_manager', null, ['jh-rmyy']);
  await user('jh-fixer', 'logistics', null, ['jh-rmyy']);
  // An open major hazard (重大事故隐患) at 蛟河市人民医院: 220281, 220200 and 220000 turn red.
  const major = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: 'jh-rmyy', title: '危化品库房电气线路老化', level: 'major', grade: 'major', location: '后勤楼 1F' } });
  expect(major.status).toBe(201);
  majorId = major.body.id;
  // A lower risk elsewhere: 长春市 is blue, not red.
  expect((await fn.api('/api/tickets', { body: { siteId: 'cc-yy', title: '疏散指示灯损坏', level: 'low' } })).status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(page: Page, username: string): Promise<void> {
  await signInAt(page, fn.httpUrl, username, `${username}-pw`, { until: '[data-testid=current-user]' });
}

/** A full-page screenshot from the top (the shell's bar is sticky). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** Waits until the overview shows `code`'s map drawn, and returns each area's colour from the ECharts instance. */
async function mapColours(page: Page, mapCode: string, focus = ''): Promise<Record<string, string>> {
  await page.waitForSelector(`[data-testid=overview-map][data-state=ready][data-map="${mapCode}"][data-focus="${focus}"]`);
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { getOption(): { geo: { regions: { name: string; itemStyle: { areaColor: string } }[] }[] } } };
    const option = el.__echarts!.getOption();
    return Object.fromEntries(option.geo[0]!.regions.map((r) => [r.name, r.itemStyle.areaColor]));
  });
}

/** Clicks the map where a longitude/latitude is drawn. */
async function clickMapAt(page: Page, lngLat: [number, number]): Promise<void> {
  const [x, y] = await page.evaluate((point) => {
    const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { convertToPixel(finder: object, value: number[]): number[] } };
    return el.__echarts!.convertToPixel({ geoIndex: 0 }, point);
  }, lngLat);
  const box = (await page.locator('[data-testid=overview-map]').boundingBox())!;
  await page.mouse.click(box.x + x!, box.y + y!);
}

describe('one-network overview (bureau)', () => {
  it('drills from the province to 蛟河市 and shows it red for its open major hazard', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(page, 'prov-bureau');
    await page.goto(`${fn.httpUrl}/#/overview`);

    // The province: its cities coloured by their worst open risk.
    const province = await mapColours(page, '220000');
    expect(province['220200']).toBe(MAJOR_RED);
    expect(province['220100']).toBe('#1e88e5');
    expect(await page.locator('[data-testid=overview-breadcrumb] [aria-current=page]').innerText()).toBe('吉林省');
    expect(await page.locator('[data-testid=dynamic-zero]').getAttribute('data-count')).toBe('1');
    await expect(page.locator(`[data-testid=major-hazards] [data-ticket-id="${majorId}"]`).innerText()).resolves.toContain('危化品库房电气线路老化');
    // the online rate here is the live one, and says so; alarms nobody has touched are told apart from those being handled
    expect(await page.getByTestId('figure-online').innerText()).toContain('实时');
    expect(await page.getByTestId('figure-alarms-split').innerText()).toMatch(/待受理 \d+ 起 · 处置中 \d+ 起/);
    await shot(page, 'overview-province');

    // Click 吉林市 on the map: its counties.
    await clickMapAt(page, JIAOHE);
    const city = await mapColours(page, '220200');
    expect(city['220281']).toBe(MAJOR_RED);
    expect(await page.locator('[data-testid=overview-breadcrumb] [aria-current=page]').innerText()).toBe('吉林市');
    expect(await page.locator('[data-testid=overview-children] [data-region-code="220281"]').getAttribute('data-risk')).toBe('major');
    await shot(page, 'overview-city');

    // Click 蛟河市: the county alone, red, with its institutions as markers.
    await clickMapAt(page, JIAOHE);
    const county = await mapColours(page, '220200', '220281');
    expect(county).toEqual({ '220281': MAJOR_RED });
    const markers = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { getOption(): { series: { data: { id: string; itemStyle: { color: string } }[] }[] } } };
      return el.__echarts!.getOption().series[0]!.data.map((d) => [d.id, d.itemStyle.color]);
    });
    expect(Object.fromEntries(markers)).toEqual({ 'jh-rmyy': MAJOR_RED, 'jh-zyy': expect.not.stringMatching(MAJOR_RED) });
    // the two hospitals are 1.5 km apart, a few pixels at county scale: their pins are spread so neither covers the other
    const [a, b] = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { getOption(): { series: { data: { value: number[] }[] }[] }; convertToPixel(finder: object, value: number[]): number[] } };
      return el.__echarts!.getOption().series[0]!.data.map((d) => el.__echarts!.convertToPixel({ geoIndex: 0 }, d.value));
    });
    expect(Math.hypot(a![0]! - b![0]!, a![1]! - b![1]!)).toBeGreaterThanOrEqual(29);
    expect(await page.locator('[data-testid=overview-children] [data-region-code="jh-rmyy"]').getAttribute('data-risk')).toBe('major');
    const crumbs = await page.locator('[data-testid=overview-breadcrumb] .crumb').allInnerTexts();
    expect(crumbs).toEqual(['吉林省', '吉林市', '蛟河市']);
    await shot(page, 'overview');

    // The breadcrumb leads back up.
    await page.click('[data-testid=overview-breadcrumb] button[data-region-code="220000"]');
    await mapColours(page, '220000');
    await page.close();
  });

  it('splits each region\'s open hazards into 待受理 and 处置中, in the table and the panel, in both languages', async () => {
    // 吉林市 gets one hazard registered (处置中) beside the reported major one (待受理); 长春市 keeps its reported one
    const registered = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: 'cy-yy', title: '配电箱未上锁', level: 'general' } });
    expect(registered.status).toBe(201);
    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect((await fn.api(`/api/tickets/${registered.body.id}/transition`, {
      body: { to: 'registered', owner: '总务科 赵敏', funds: '院内经费', measures: '加锁并张贴警示', deadline, contingencyPlan: '每日巡查' },
    })).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await signIn(page, 'prov-bureau');
    await page.goto(`${fn.httpUrl}/#/overview`);
    await mapColours(page, '220000');
    const cell = (code: string, col: string) => page.locator(`[data-testid=overview-children] [data-region-code="${code}"] td[data-col=${col}]`);
    const heads = () => page.locator('[data-testid=overview-children] thead th').allInnerTexts();
    await expect.poll(() => cell('220200', 'in-progress-hazards').innerText()).toBe('1');
    expect(await cell('220200', 'new-hazards').innerText()).toBe('1');
    expect(await cell('220100', 'new-hazards').innerText()).toBe('1');
    expect(await cell('220100', 'in-progress-hazards').innerText()).toBe('0');
    expect(await heads()).toEqual(expect.arrayContaining(['隐患待受理', '隐患处置中']));
    expect(await page.getByTestId('hazards-split').innerText()).toBe('待受理 2 项 · 处置中 1 项');

    await page.locator('.lang-switch button[lang=en]').click();
    await expect.poll(heads).toEqual(expect.arrayContaining(['New hazards', 'Hazards in progress']));
    expect(await page.getByTestId('hazards-split').innerText()).toBe('2 awaiting acceptance · 1 in progress');
    await page.locator('.lang-switch button[lang=zh-CN]').click();
    await page.close();
  });

  it('keeps a bureau inside its region', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'prov-bureau');
    expectHttpError(page, 403, /\/api\/overview\?region=110000$/);
    await page.goto(`${fn.httpUrl}/#/overview?region=110000`);
    await expect(page.locator('[role=alert]').first().innerText()).resolves.toContain('区域 110000 不在您的管辖范围（220000）内');
    await page.close();
  });
});

describe('supervision (bureau)', () => {
  it('puts the open major hazard under supervision (挂牌督办) with a note; the API shows it escalated, in the trail', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(page, 'prov-bureau');
    await page.goto(`${fn.httpUrl}/#/tickets/${majorId}`);
    await page.waitForSelector('[data-testid=view-ticket] [data-testid=ticket-title]');
    expect(await page.getByTestId('ticket-supervised').count()).toBe(0);
    await page.locator('textarea[name=supervisionNote]').fill(`省卫健委挂牌督办，限 7 日内整改 ${XSS}`);
    await page.getByTestId('supervision-put-up').click();
    await page.getByTestId('ticket-supervised').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('supervision-note').innerText(), { timeout: 10_000 }).toContain(`限 7 日内整改 ${XSS}`);
    const note = page.locator('[data-testid=ticket-comments] li[data-action=escalated]');
    await expect.poll(() => note.innerText(), { timeout: 10_000 }).toContain(`限 7 日内整改 ${XSS}`);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const api = (await fn.api<{ escalatedAt: string | null; supervision: { putUpBy: string } | null; events: { action: string; actor: string }[] }>(`/api/tickets/${majorId}`)).body;
    expect(api.escalatedAt).not.toBeNull();
    expect(api.supervision?.putUpBy).toBe('prov-bureau');
    expect(api.events.some((e) => e.action === 'escalated' && e.actor === 'prov-bureau')).toBe(true);
    await page.close();
  });
});

describe('hazard ticket loop (safety manager)', () => {
  it('reports, registers with the five in place; logistics rectifies, is rejected once; the safety manager closes; the API shows the trail', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(page, 'jh-safety');
    await page.goto(`${fn.httpUrl}/#/tickets`);
    await page.waitForSelector('[data-testid=ticket-table]');

    // 上报
    await page.click('[data-testid=report-hazard]');
    const form = page.locator('[data-testid=report-hazard-form]');
    await expect(form.locator('select[name=siteId]').inputValue()).resolves.toBe('jh-rmyy');
    await form.locator('input[name=title]').fill('充电车棚线路裸露');
    await form.locator('input[name=location]').fill(`住院楼北侧车棚 ${XSS}`);
    await form.locator('select[name=level]').selectOption('significant');
    await form.locator('textarea[name=description]').fill(`电动车充电线路裸露，雨天有漏电风险 ${XSS}`);
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/#\/tickets\/[^/]+$/);
    const id = decodeURIComponent(page.url().split('/tickets/')[1]!);
    const view = page.locator('[data-testid=view-ticket]');
    await page.waitForSelector('[data-testid=view-ticket][data-state=reported]');

    // Photo: sent raw, shown from an object URL fetched with the token.
    await page.setInputFiles('input[name=photo]', { name: 'site.png', mimeType: 'image/png', buffer: PNG });
    // it must display (decoded, not blocked by the CSP): an <img> that loaded has a natural width
    const photo = page.locator('[data-testid=ticket-photos] img[src^="blob:"]');
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);

    // 登记 with the five in place
    const five = page.locator('[data-testid=five-in-place-form]');
    await five.locator('input[name=owner]').fill('后勤保障科 王强');
    await five.locator('input[name=funds]').fill('专项经费 2 万元');
    await five.locator('input[name=deadline]').fill('2030-06-30T17:00');
    await five.locator('textarea[name=measures]').fill('更换阻燃线槽，加装漏电保护');
    await five.locator('textarea[name=contingencyPlan]').fill('整改期间停用车棚充电，配置灭火器两具');
    await five.locator('button[data-action=register]').click();
    await page.waitForSelector('[data-testid=view-ticket][data-state=registered]');
    await expect(page.locator('[data-testid=five-in-place]').innerText()).resolves.toContain('后勤保障科 王强');

    // 整改 (logistics) -> 提交验收
    await page.click('button[data-action=start]');
    await page.waitForSelector('[data-testid=view-ticket][data-state=rectifying]');
    const fixer = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(fixer, 'jh-fixer');
    await fixer.goto(`${fn.httpUrl}/#/tickets/${encodeURIComponent(id)}`);
    await fixer.fill('[data-testid=ticket-actions] textarea[name=note]', `已更换线槽 ${XSS}`);
    await fixer.click('button[data-action=submit]');
    await fixer.waitForSelector('[data-testid=view-ticket][data-state=pending_verification]');
    // logistics does not verify
    expect(await fixer.locator('button[data-action=verify]').count()).toBe(0);

    // 验收不通过，退回 (the safety manager, who did not rectify)
    await page.waitForSelector('[data-testid=view-ticket][data-state=pending_verification]');
    await page.fill('[data-testid=ticket-actions] textarea[name=note]', '漏电保护器未安装，退回整改');
    await page.click('button[data-action=reject]');
    await page.waitForSelector('[data-testid=view-ticket][data-state=rectifying]');
    await fixer.waitForSelector('[data-testid=view-ticket][data-state=rectifying]');
    await fixer.fill('[data-testid=ticket-actions] textarea[name=note]', '已加装漏电保护器');
    await fixer.click('button[data-action=submit]');
    await fixer.waitForSelector('[data-testid=view-ticket][data-state=pending_verification]');
    await fixer.close();
    await page.waitForSelector('[data-testid=view-ticket][data-state=pending_verification]');

    // A comment, then 销号
    await page.fill('textarea[name=comment]', `请保留整改前后照片 ${XSS}`);
    await page.click('.comment-form button[type=submit]');
    await page.waitForSelector('[data-testid=ticket-comments] li');
    await page.click('button[data-action=verify]');
    await page.waitForSelector('[data-testid=view-ticket][data-state=closed]');
    await page.waitForSelector('[data-testid=audit-trail] li[data-to=closed]');

    // What people typed is text, nowhere markup.
    const text = await view.innerText();
    expect(text).toContain(`住院楼北侧车棚 ${XSS}`);
    expect(text).toContain(`已更换线槽 ${XSS}`);
    expect(text).toContain(`请保留整改前后照片 ${XSS}`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot(page, 'ticket-detail');

    // The API agrees: closed, with every step in the audit trail.
    const ticket = await fn.api<{ state: string; photos: unknown[]; fiveInPlace: { owner: string }; events: { action: string; from: string | null; to: string | null; note: string | null }[] }>(`/api/tickets/${id}`);
    expect(ticket.body.state).toBe('closed');
    expect(ticket.body.photos).toHaveLength(1);
    expect(ticket.body.fiveInPlace.owner).toBe('后勤保障科 王强');
    const steps = ticket.body.events.filter((e) => e.action === 'transition' || e.action === 'rejected').map((e) => `${e.action}:${e.to}`);
    expect(steps).toEqual([
      'transition:registered', 'transition:rectifying', 'transition:pending_verification',
      'rejected:rectifying', 'transition:pending_verification', 'transition:closed',
    ]);
    expect(ticket.body.events.map((e) => e.action)).toEqual(expect.arrayContaining(['reported', 'photo', 'comment']));
    expect(ticket.body.events.find((e) => e.action === 'rejected')!.note).toBe('漏电保护器未安装，退回整改');

    // The list and the kanban show it closed.
    await page.goto(`${fn.httpUrl}/#/tickets`);
    await page.waitForSelector(`[data-testid=ticket-table] [data-ticket-id="${id}"][data-state=closed]`);
    await shot(page, 'tickets');
    await page.click('button[data-view=kanban]');
    await page.waitForSelector(`[data-testid=ticket-kanban] [data-state=closed] [data-ticket-id="${id}"]`);
    await expect(page.locator(`[data-testid=ticket-kanban] [data-state=reported] [data-ticket-id="${majorId}"]`).count()).resolves.toBe(1);
    await shot(page, 'tickets-kanban');
    await page.close();
  });

  it('shows the server\'s refusal as written', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'prov-bureau');
    expectHttpError(page, 404, /\/api\/tickets\/no-such-ticket$/);
    await page.goto(`${fn.httpUrl}/#/tickets/no-such-ticket`);
    await expect(page.locator('[role=alert]').innerText()).resolves.toMatch(/不存在|no ticket/);
    // A bureau supervises: it may comment on the major hazard, and sees no step to take.
    await page.goto(`${fn.httpUrl}/#/tickets/${majorId}`);
    await page.waitForSelector('[data-testid=view-ticket][data-state=reported]');
    expect(await page.locator('[data-testid=five-in-place-form]').count()).toBe(0);
    await page.fill('textarea[name=comment]', '请于月底前完成整改');
    await page.click('.comment-form button[type=submit]');
    await page.waitForSelector('[data-testid=ticket-comments] li');
    await page.close();
  });
});

describe('monthly report', () => {
  it('shows the region\'s month, exports the CSV with the token and prints the report alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await signIn(page, 'prov-bureau');
    await page.goto(`${fn.httpUrl}/#/reports`);
    await page.waitForSelector('[data-testid=report-table] tr[data-code="220200"]');
    const total = await page.locator('[data-testid=report-table] tr[data-code=total]').innerText();
    expect(total).toContain('合计');
    // no online samples yet this month: the note says the rate is the live one; once sampled, the month's average
    expect(await page.getByTestId('report-online-note').innerText()).toContain('实时值');
    await fn.provisionDevice({ id: 'rp-sd-1', family: 'smoke_detector', siteId: 'jh-rmyy' });
    expect(await fn.jobs.sampleOnline()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByTestId('report-online-note').innerText(), { timeout: 10_000 }).toContain('每 15 分钟采样的平均值');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toMatch(/^firenet-report-220000-\d{4}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('吉林市');
    expect(csv).toContain('合计');
    // one language per file: the Chinese viewer's has no English header
    expect(csv.split('\r\n')[0]).toContain('误报率（误报/已确认报警）');
    expect(csv).not.toMatch(/Code|Total|Alarms/);
    // the false-alarm rate says what it divides by, and shows how many were confirmed beside it; no confirmed alarm: "—"
    const totalRow = page.locator('[data-testid=report-table] tr[data-code=total]');
    expect(await totalRow.locator('td[data-col=confirmedAlarms]').innerText()).toBe('0');
    expect(await totalRow.locator('td[data-col=falseAlarmRate]').innerText()).toBe('—');
    expect(await page.getByTestId('report-false-note').innerText()).toContain('误报 ÷ 已确认报警');
    // live and the month's average side by side, each labelled
    const heads = await page.locator('[data-testid=report-table] thead th').allInnerTexts();
    expect(heads).toEqual(expect.arrayContaining(['已确认报警', '误报率（占已确认）', '当前在线率', '本月平均在线率']));
    // a city without devices: "—", not 0%
    const empty = page.locator('[data-testid=report-table] tbody tr[data-code="220300"]');
    expect(await empty.locator('td[data-col=onlineRateNow]').innerText()).toBe('—');
    expect(await empty.locator('td[data-col=onlineRate]').innerText()).toBe('—');
    await shot(page, 'report');

    // an English viewer gets an English file, with no Chinese header
    await page.locator('.lang-switch button[lang=en]').click();
    await page.waitForSelector('[data-testid=report-table] th:has-text("False alarm rate (of confirmed)")');
    const [english] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const en = await readFile((await english.path())!, 'utf8');
    expect(en.split('\r\n')[0]).toBe('\uFEFFCode,Name,Level,Checks,Hazards found,Hazards rectified,Open with plans,Open without plans,Alarms,Alarms confirmed,False alarms,False alarm rate (false / confirmed alarms),Devices,Online now,Online rate now,Online rate (month average),Duty checks,Duty checks missed,Hazards found by checks,Hazards found by sensors,Major hazards open,Overdue rectifications,Rectification rate,Checks owed,Checks done,Check completion rate,Missed checks,Drills overdue,Duty checks answered,Certificates expiring (30 days),Certificates expired');
    expect(en).toContain('Total ');
    expect(en).not.toMatch(/合计|地区代码|县\(区\)/);
    await shot(page, 'report-en');
    await page.locator('.lang-switch button[lang=zh-CN]').click();

    // Drill into 吉林市 from the table; the printed page is the report alone, on white.
    await page.click('[data-testid=report-table] tr[data-code="220200"]');
    await page.waitForSelector('[data-testid=report-table] tr[data-code="220281"]');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid=current-user]').evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
    expect(await page.locator('[data-testid=report-sheet]').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    await shot(page, 'report-print');
    await page.close();
  });
});
