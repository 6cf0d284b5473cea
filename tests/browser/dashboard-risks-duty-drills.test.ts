// Issue 15 in the dashboard, in Chromium against a real FireNet: a safety manager registers a risk point and sees it
// in its level's colour; the overview map switches between open hazards and the risk register, so a county with a red
// risk point and no open hazard is green by one and red by the other; an operator signs on and answers the county
// bureau's 查岗 on the desk's banner, and the bureau sees it answered; a safety manager records a drill with a photo
// that really loads; and in English none of these views shows a Chinese word of ours.
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashSecret } from '../../platform/auth/hash.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { expectHttpError, launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

const SITE = 'r15-rmyy';
const OTHER = 'r15-zyy';
const COUNTY = '220281';
const PASSWORD = 'r15-password';
const SIZE = { width: 1440, height: 900 };
/** The four levels' colours and "nothing open / registered" (dashboard/src/components/overview/risk.ts). */
const RISK_COLORS = { major: '#e53935', significant: '#fb8c00', general: '#fdd835', low: '#1e88e5' };
const NO_RISK_COLOR = '#2f6b4f';

let fn: TestFireNet;
let browser: Browser;
let safetyToken: string;
let bureauToken: string;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite(SITE, COUNTY, '蛟河市人民医院');
  await fn.provisionSite(OTHER, COUNTY, '蛟河市中医院');
  const user = async (username: string, role: 'safety_manager' | 'operator' | 'bureau', scope: { regionCode?: string; siteIds?: string[] }) =>
    fn.store.createUser({ username, passwordHash: await hashSecret(PASSWORD), role, regionCode: scope.regionCode ?? null, siteIds: scope.siteIds ?? [] });
  await user('r15-safety', 'safety_manager', { siteIds: [SITE] });
  await user('r15-op1', 'operator', { siteIds: [SITE] });
  await user('r15-op2', 'operator', { siteIds: [SITE] });
  await user('r15-bureau', 'bureau', { regionCode: COUNTY });
  safetyToken = await fn.login('r15-safety', PASSWORD);
  bureauToken = await fn.login('r15-bureau', PASSWORD);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(username: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: SIZE, locale: lang });
  await page.addInitScript((l) => localStorage.setItem('firenet.lang', l), lang);
  await page.goto(fn.httpUrl);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection][data-state=live]');
  return page;
}

/** The CSS colour `hex` as the browser reports it. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** A real PNG, `size` pixels square, red. */
function png(size: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 255]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: size }, () => Buffer.from([220, 30, 30])))]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('risk register (一院一清单)', () => {
  it('a safety manager registers a risk point: the level is previewed as the ratings change, and the saved point shows in its colour', async () => {
    const page = await signIn('r15-safety');
    await page.goto(`${fn.httpUrl}/#/risks`);
    await page.waitForSelector('[data-testid=risk-table][data-loaded=true]');
    await page.getByTestId('risk-register').click();
    const form = page.getByTestId('risk-form');
    await form.locator('select[name=siteId]').selectOption(SITE);
    await form.locator('input[name=place]').fill('住院楼 B1 配电室');
    await form.locator('input[name=hazardSource]').fill('配电柜老化，电缆过载');
    await form.locator('select[name=category]').selectOption('electrical');
    await form.locator('select[name=likelihood]').selectOption('5');
    await form.locator('select[name=severity]').selectOption('2');
    await expect.poll(() => page.getByTestId('risk-preview').getAttribute('data-level')).toBe('general');
    await form.locator('select[name=severity]').selectOption('4');
    await expect.poll(() => page.getByTestId('risk-preview').getAttribute('data-level')).toBe('major');
    await form.locator('textarea[name=controls]').fill('每日巡查，红外测温');
    await form.locator('input[name=responsible]').fill('张伟');
    await form.locator('input[name=reviewBy]').fill(inDays(90));
    await page.getByTestId('risk-save').click();
    await page.getByTestId('risk-form').waitFor({ state: 'detached' });

    const row = page.locator('[data-testid=risk-table] tbody tr', { hasText: '住院楼 B1 配电室' });
    await row.waitFor();
    expect(await row.getAttribute('data-level')).toBe('major');
    const badge = row.locator('[data-level=major]').first();
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(RISK_COLORS.major));
    expect(await row.innerText()).toContain('5×4=20');
    await page.screenshot({ path: `${SCREENSHOT_DIR}risks-registered.png`, fullPage: true });

    // a low one sorts after it, in blue
    const low = await fn.api('/api/risks', { token: safetyToken, body: { siteId: SITE, place: '门诊楼 1F 茶水间', hazardSource: '电热水器', category: 'electrical', likelihood: 1, severity: 2, controls: '定期检查', responsible: { name: '李娜' }, reviewBy: inDays(30) } });
    expect(low.status).toBe(201);
    await page.reload();
    await page.waitForSelector('[data-testid=risk-table][data-loaded=true]');
    await expect.poll(() => page.locator('[data-testid=risk-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-level')))).toEqual(['major', 'low']);
    const blue = page.locator('[data-testid=risk-table] tbody tr[data-level=low] [data-level=low]').first();
    expect(await blue.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(RISK_COLORS.low));
    await page.close();
  });
});

describe('overview map: open hazards or the risk register', () => {
  it('the county with a major risk point and no open hazard is green by hazards and red by the register', async () => {
    // the major point registered above, or one now if that test did not run
    const points = (await fn.api<{ level: string }[]>('/api/risks?level=major', { token: safetyToken })).body;
    if (points.length === 0) {
      await fn.api('/api/risks', { token: safetyToken, body: { siteId: SITE, place: '配电室', hazardSource: '配电柜', category: 'electrical', likelihood: 5, severity: 5, controls: '巡查', responsible: { name: '张伟' }, reviewBy: inDays(90) } });
    }
    const page = await signIn('r15-bureau');
    await page.waitForSelector('[data-testid=overview-map][data-state=ready]');
    const areaColour = () => page.evaluate((code) => {
      const el = document.querySelector('[data-testid=overview-map]') as HTMLElement & { __echarts?: { getOption(): { geo: { regions: { name: string; itemStyle: { areaColor: string } }[] }[] } } };
      return el.__echarts!.getOption().geo[0]!.regions.find((r) => r.name === code)?.itemStyle.areaColor;
    }, COUNTY);
    await expect.poll(areaColour).toBe(NO_RISK_COLOR);
    expect(await page.getByTestId('map-colouring').getAttribute('data-colouring')).toBe('hazards');

    await page.locator('[data-testid=map-colouring] button[data-colouring=risk]').click();
    await expect.poll(areaColour).toBe(RISK_COLORS.major);
    await page.waitForURL(/map=risk/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}overview-risk-register.png` });

    await page.locator('[data-testid=map-colouring] button[data-colouring=hazards]').click();
    await expect.poll(areaColour).toBe(NO_RISK_COLOR);
    await page.close();
  });
});

describe('control room duty and 查岗', () => {
  beforeAll(async () => {
    for (const [username, number] of [['r15-op1', 'ZS-0001'], ['r15-op2', 'ZS-0002']] as const) {
      const put = await fn.api(`/api/control-room/certificates/${username}`, { method: 'PUT', token: safetyToken, body: { number, level: 'intermediate', expiresOn: inDays(365) } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
    }
    const shift = await fn.api('/api/control-room/shifts', {
      token: safetyToken,
      body: { siteId: SITE, startsAt: new Date(Date.now() - 3_600_000).toISOString(), endsAt: new Date(Date.now() + 8 * 3_600_000).toISOString(), operators: ['r15-op1', 'r15-op2'], leader: { name: '王院长', post: '副院长' } },
    });
    expect(shift.status, JSON.stringify(shift.body)).toBe(201);
  });

  it('an operator signs on, answers the county bureau\'s 查岗 on the desk\'s banner, hands over; the bureau sees it answered', async () => {
    const page = await signIn('r15-op1');
    await page.waitForSelector('[data-testid=view-AlarmDeskView]');
    await page.getByTestId('nav-control-room').click();
    const room = page.locator(`[data-testid=my-duty] [data-site-id="${SITE}"]`);
    await room.waitFor();
    expect(await room.getAttribute('data-on-duty')).toBe('false');
    await page.locator('[data-testid=on-duty-list][data-loaded=true]').waitFor();
    expect(await page.locator(`[data-testid=on-duty-list] [data-site-id="${SITE}"]`).innerText()).toContain('王院长');
    await room.getByTestId('sign-on').click();
    await page.locator(`[data-testid=my-duty] [data-site-id="${SITE}"][data-on-duty=true]`).waitFor();
    await page.locator(`[data-testid=on-duty-list] [data-site-id="${SITE}"] [data-username=r15-op1]`).waitFor();
    // one certified operator is not two
    expect(await page.locator(`[data-testid=on-duty-list] [data-site-id="${SITE}"]`).getAttribute('data-staffed')).toBe('false');

    await page.getByTestId('nav-desk').click();
    await page.getByTestId('desk-on-duty').locator(`[data-site-id="${SITE}"]`).waitFor();
    expect(await page.getByTestId('desk-on-duty').innerText()).toContain('r15-op1');
    expect(await page.getByTestId('duty-check-banner').count()).toBe(0);

    const asked = await fn.api<{ id: string; answerBy: string }>('/api/control-room/duty-checks', { token: bureauToken, body: { siteId: SITE, timeoutMin: 5 } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const banner = page.locator(`[data-testid=duty-check-banner][data-check-id="${asked.body.id}"]`);
    await banner.waitFor({ timeout: 5000 });
    expect(await banner.innerText()).toMatch(/查岗：蛟河市人民医院[\s\S]*剩余 0?[45]:\d\d/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-duty-check.png` });
    await banner.getByTestId('duty-check-banner-answer').click();
    await banner.waitFor({ state: 'detached' });
    await page.locator('[data-testid=duty-check-outcome][data-state=answered]').waitFor();
    const check = (await fn.api<{ state: string; answeredBy: string }>(`/api/control-room/duty-checks?siteId=${SITE}`, { token: bureauToken })).body as unknown as { id: string; state: string; answeredBy: string }[];
    expect(check.find((c) => c.id === asked.body.id)).toMatchObject({ state: 'answered', answeredBy: 'r15-op1' });

    // hand over and sign off
    await page.getByTestId('nav-control-room').click();
    await room.locator('textarea[name=open]').fill('3 号楼烟感故障待修');
    await room.locator('textarea[name=happened]').fill('夜间一次误报，已复位');
    await room.getByTestId('sign-off').click();
    await page.locator(`[data-testid=my-duty] [data-site-id="${SITE}"][data-on-duty=false]`).waitFor();
    await page.locator('[data-testid=handovers] tbody tr', { hasText: '夜间一次误报，已复位' }).waitFor();
    await page.close();

    const bureau = await signIn('r15-bureau');
    await bureau.getByTestId('nav-control-room').click();
    const row = bureau.locator(`[data-testid=duty-checks] tr[data-check-id="${asked.body.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('answered');
    expect(await row.innerText()).toContain('r15-op1');
    await bureau.screenshot({ path: `${SCREENSHOT_DIR}control-room-bureau.png`, fullPage: true });
    await bureau.close();
  });

  it('a missed 查岗 takes the banner away and says so; a shift with one certified operator is refused in words', async () => {
    const page = await signIn('r15-op2');
    await page.waitForSelector('[data-testid=view-AlarmDeskView]');
    const asked = await fn.api<{ id: string }>('/api/control-room/duty-checks', { token: bureauToken, body: { siteId: SITE, timeoutMin: 1 } });
    expect(asked.status).toBe(201);
    await page.locator(`[data-testid=duty-check-banner][data-check-id="${asked.body.id}"]`).waitFor();
    await page.locator('[data-testid=duty-check-outcome][data-state=missed]').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('duty-check-banner').count()).toBe(0);
    await page.close();

    const manager = await signIn('r15-safety');
    await manager.goto(`${fn.httpUrl}/#/control-room`);
    await manager.getByTestId('shift-add').click();
    const form = manager.getByTestId('shift-form');
    await form.locator('select[name=shift-site]').selectOption(SITE);
    await form.locator('input[name=shift-operator][value=r15-op1]').check();
    await form.locator('input[name=shift-leader]').fill('王院长');
    await expect.poll(() => manager.getByTestId('shift-save').isEnabled()).toBe(true);
    expectHttpError(manager, 400, /\/api\/control-room\/shifts$/);
    await manager.getByTestId('shift-save').click();
    await expect.poll(() => manager.getByTestId('shift-error').innerText()).toBe('班次须有 2 名证书有效至班次结束的值班员，当前 1 名');
    await manager.close();
  }, 120_000);

  it('a safety manager renews a certificate from its row, changes a shift of the roster and takes it off', async () => {
    const tomorrow = Date.now() + 86_400_000;
    const later = await fn.api<{ id: string }>('/api/control-room/shifts', {
      token: safetyToken,
      body: { siteId: SITE, startsAt: new Date(tomorrow).toISOString(), endsAt: new Date(tomorrow + 8 * 3_600_000).toISOString(), operators: ['r15-op1', 'r15-op2'], leader: { name: '副院长' } },
    });
    expect(later.status).toBe(201);
    const page = await signIn('r15-safety');
    await page.goto(`${fn.httpUrl}/#/control-room`);

    // the certificate's row opens the form filled in, the operator fixed; a new number and a later day
    const cert = page.locator('[data-testid=certificates] tr[data-username=r15-op2]');
    await cert.getByTestId('cert-edit').click();
    const certForm = page.getByTestId('cert-form');
    expect(await certForm.locator('input[name=cert-username]').inputValue()).toBe('r15-op2');
    expect(await certForm.locator('input[name=cert-number]').inputValue()).toBe('ZS-0002');
    await certForm.locator('input[name=cert-number]').fill('ZS-0102');
    await certForm.locator('input[name=cert-expires]').fill(inDays(700));
    await page.getByTestId('cert-save').click();
    await certForm.waitFor({ state: 'detached' });
    await expect.poll(() => cert.innerText()).toContain('ZS-0102');
    expect((await fn.api<any[]>('/api/control-room/certificates', { token: bureauToken })).body.find((c) => c.username === 'r15-op2')).toMatchObject({ number: 'ZS-0102', expiresOn: inDays(700) });

    // the shift's row opens it filled in: its leader changed
    const row = page.locator(`[data-testid=roster] tr[data-shift-id="${later.body.id}"]`);
    await row.getByTestId('shift-edit').click();
    const shiftForm = page.getByTestId('shift-form');
    expect(await shiftForm.locator('input[name=shift-leader]').inputValue()).toBe('副院长');
    expect(await shiftForm.locator('input[name=shift-operator][value=r15-op2]').isChecked()).toBe(true);
    await shiftForm.locator('input[name=shift-leader]').fill('王院长');
    await page.getByTestId('shift-save').click();
    await shiftForm.waitFor({ state: 'detached' });
    await expect.poll(() => row.innerText()).toContain('王院长');
    const shifts = (await fn.api<any[]>(`/api/control-room/shifts?siteId=${SITE}&to=${encodeURIComponent(new Date(tomorrow + 86_400_000).toISOString())}`, { token: bureauToken })).body;
    expect(shifts.find((x) => x.id === later.body.id)).toMatchObject({ leader: { name: '王院长' }, operators: ['r15-op1', 'r15-op2'] });

    // taken off after asking once more
    await row.getByTestId('shift-remove').click();
    await row.getByTestId('shift-remove-confirm').click();
    await row.waitFor({ state: 'detached' });
    expect((await fn.api<any[]>(`/api/control-room/shifts?siteId=${SITE}`, { token: bureauToken })).body.map((x) => x.id)).not.toContain(later.body.id);
    await page.close();
  });

  it('the county bureau sees each institution\'s duties on the overview and in the report, narrowed by the institution filters', async () => {
    const page = await signIn('r15-bureau');
    await page.goto(`${fn.httpUrl}/#/overview?region=${COUNTY}`);
    const row = page.locator(`[data-testid=overview-duties] tr[data-region-code="${SITE}"]`);
    await row.waitFor();
    // one 查岗 answered, one missed (above); nothing checked yet this month: the completion rate is 0
    expect(await row.locator('td[data-col=duty-checks]').innerText()).toBe('1/2');
    expect(await row.locator('td[data-col=duty-checks-missed]').innerText()).toBe('1');
    expect(await row.locator('td[data-col=completion]').innerText()).toMatch(/^0(\.0)?%$/);
    expect(await page.locator('[data-testid=duty-summary] [data-figure=duty-checks]').innerText()).toContain('应答 1 / 查岗 2');
    await page.screenshot({ path: `${SCREENSHOT_DIR}overview-duties.png`, fullPage: true });
    // no 消防安全重点单位 in the county: the filter leaves no institution, and says so in the URL
    await page.locator('[data-testid=institution-filters] input[name=filter-keyUnit]').check();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => page.url()).toContain('keyUnit=true');
    await page.locator('[data-testid=institution-filters] input[name=filter-keyUnit]').uncheck();
    await row.waitFor();

    await page.goto(`${fn.httpUrl}/#/reports?region=${COUNTY}`);
    const reportRow = page.locator(`[data-testid=report-duties] tr[data-code="${SITE}"]`);
    await reportRow.waitFor();
    expect(await reportRow.locator('td[data-col=dutyChecksAnswered]').innerText()).toBe('1');
    expect(await reportRow.locator('td[data-col=dutyChecksMissed]').innerText()).toBe('1');
    expect(await page.locator('[data-testid=report-duties] thead').innerText()).toContain('证书30天内到期');
    await page.close();
  });
});

describe('training, plans and drills', () => {
  it('a safety manager records a drill with a PNG photo, which loads, and the on-site drill is no longer overdue', async () => {
    const page = await signIn('r15-safety');
    await page.goto(`${fn.httpUrl}/#/preparedness`);
    const status = page.locator(`[data-testid=preparedness-status][data-loaded=true] tr[data-site-id="${SITE}"] [data-requirement="drill.on_site"]`);
    await status.waitFor();
    expect(await status.getAttribute('data-overdue')).toBe('true');
    await page.getByTestId('preparedness-add').click();
    const form = page.getByTestId('preparedness-form');
    await form.locator('select[name=siteId]').selectOption(SITE);
    await form.locator('select[name=kind]').selectOption('drill');
    await form.locator('select[name=topic]').selectOption('on_site');
    await form.locator('input[name=title]').fill('住院楼夜间火灾现场处置演练');
    await form.locator('input[name=participants]').fill('24');
    await form.locator('textarea[name=evaluation]').fill('疏散用时 6 分钟，广播系统需改进');
    await form.locator('input[name=files]').setInputFiles({ name: 'drill.png', mimeType: 'image/png', buffer: png(40) });
    await page.getByTestId('preparedness-save').click();
    await page.getByTestId('preparedness-form').waitFor({ state: 'detached' });

    const record = page.locator('[data-testid=preparedness-records] li', { hasText: '住院楼夜间火灾现场处置演练' });
    await record.waitFor();
    const photo = record.getByTestId('attachment-photo');
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
    await expect.poll(() => status.getAttribute('data-overdue')).toBe('false');

    // the fire team: members and equipment, then an equipment check with one item failed
    const team = page.locator(`[data-testid=fire-teams] [data-site-id="${SITE}"]`);
    await team.getByTestId('fire-team-edit').click();
    await team.locator('textarea[name=members]').fill('刘强 站长 13800000000\n陈静 队员');
    await team.locator('textarea[name=equipment]').fill('灭火器 20\n消防水带 4');
    await team.getByTestId('fire-team-save').click();
    await team.getByTestId('equipment-check-start').click();
    await team.locator('input[name=ok-1]').uncheck();
    await team.locator('input[name=note-1]').fill('一根破损');
    await team.getByTestId('equipment-check-save').click();
    await expect.poll(() => team.getByTestId('fire-team-last-check').innerText()).toMatch(/r15-safety，1 项异常/);
    expect(await team.innerText()).toContain('消防水带 × 4');
    await page.screenshot({ path: `${SCREENSHOT_DIR}preparedness-drill.png`, fullPage: true });
    await page.close();
  });
});

describe('in English', () => {
  const HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
  /** What people typed and the names of places: data, shown as given. */
  const DATA = ['蛟河市人民医院', '蛟河市中医院', '蛟河市', '住院楼 B1 配电室', '配电柜老化，电缆过载', '每日巡查，红外测温', '张伟', '门诊楼 1F 茶水间', '电热水器', '定期检查', '李娜',
    '王院长', '副院长', '3 号楼烟感故障待修', '夜间一次误报，已复位', '住院楼夜间火灾现场处置演练', '疏散用时 6 分钟，广播系统需改进', '配电室', '配电柜', '巡查', '刘强', '站长', '陈静', '队员', '灭火器', '消防水带', '一根破损', '中文'];

  it.each(['/risks', '/control-room', '/preparedness', '/desk'])('%s shows no Chinese words of ours', async (path) => {
    const page = await signIn('r15-safety', 'en');
    await page.goto(`${fn.httpUrl}/#${path}`);
    await page.locator('main section.page, main section.desk').first().waitFor();
    await page.waitForLoadState('networkidle');
    await eventually(async () => !(await page.locator('main').innerText()).includes('Loading'), 10_000, 'loaded');
    const text = await page.evaluate(() => {
      const attributes = [...document.body.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap((el) => ['title', 'placeholder', 'aria-label'].map((a) => el.getAttribute(a) ?? ''));
      const options = [...document.body.querySelectorAll('option')].map((o) => o.textContent ?? '');
      return [document.body.innerText, ...attributes, ...options].join('\n');
    });
    let ours = text;
    for (const d of [...DATA].sort((a, b) => b.length - a.length)) ours = ours.replaceAll(d, ' ');
    expect(ours.match(HAN) ?? []).toEqual([]);
    await page.close();
  });
});
