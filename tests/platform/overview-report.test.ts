// The bureau's figures against a real FireNet, on PGlite and on PostgreSQL: the one-network overview
// coloured by open risk, the major hazards list, 30-day trends, inspections and the monthly report
// (JSON and CSV), every figure cut to the caller's scope.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { monthRange } from '../../platform/reports/calendar.js';
import { eventPayload, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

const DAY_MS = 86_400_000;
/** Today and this month as an institution in China counts them, computed independently of the platform. */
const shanghaiDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
const today = () => shanghaiDate(Date.now());
const thisMonth = () => today().slice(0, 7);
/** A moment in the previous local month: the 1st of this month at 00:00 +08:00, less a day. */
const inPreviousMonth = () => Date.parse(`${thisMonth()}-01T00:00:00+08:00`) - DAY_MS;

interface Row { code: string; [k: string]: unknown }
const byCode = <T extends Row>(rows: T[], code: string): T => {
  const row = rows.find((r) => r.code === code);
  if (!row) throw new Error(`no row ${code} in ${rows.map((r) => r.code).join(', ')}`);
  return row;
};

describe.each([
  { adapter: 'PGlite', postgres: false },
  { adapter: 'PostgreSQL', postgres: true },
])('overview, inspections and the monthly report on $adapter', ({ postgres }) => {
  let fn: TestFireNet;
  let majorId: string;
  let huadianBureau: string;
  let huadianSafety: string; // 桦甸市人民医院's safety manager

  const report = (token?: string) => async (path: string) => {
    const res = await fn.api(path, token ? { token } : {});
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  async function alarm(deviceId: string, secret: string): Promise<string> {
    const client = await fn.connectDevice(deviceId, secret);
    // PUBACK comes after the event and the alarm it raises are stored
    await client.publishAsync(deviceTopic(deviceId, 'events'), eventPayload(`ev-${randomUUID()}`, 'smoke.alarm'), { qos: 1 });
    await client.endAsync();
    const alarms = (await fn.api<{ id: string }[]>(`/api/alarms?deviceId=${deviceId}`)).body;
    expect(alarms).toHaveLength(1);
    return alarms[0]!.id;
  }

  async function move(ticketId: string, body: Record<string, unknown>, token?: string): Promise<void> {
    const res = await fn.api(`/api/tickets/${ticketId}/transition`, { body, ...(token ? { token } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  const fiveInPlace = (deadline: number) => ({
    owner: '后勤保障科 张伟', funds: '院专项经费 2 万元', measures: '清理可燃物，增设防火分隔', deadline: new Date(deadline).toISOString(), contingencyPlan: '整改期间专人值守',
  });

  beforeAll(async () => {
    const env: Record<string, string> = postgres ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `reports_${randomUUID().replaceAll('-', '')}`) } : {};
    fn = await startTestFireNet(env);
    await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
    await fn.provisionSite('jh-zyy', '220281', '蛟河市中医院');
    await fn.provisionSite('hd-rmyy', '220282', '桦甸市人民医院');
    const secrets = {
      'jh-rmyy-sd1': await fn.provisionDevice({ id: 'jh-rmyy-sd1', family: 'smoke_detector', siteId: 'jh-rmyy', zone: '住院楼 3F' }),
      'jh-rmyy-sd2': await fn.provisionDevice({ id: 'jh-rmyy-sd2', family: 'smoke_detector', siteId: 'jh-rmyy', zone: '门诊楼 1F' }),
      'hd-rmyy-sd1': await fn.provisionDevice({ id: 'hd-rmyy-sd1', family: 'smoke_detector', siteId: 'hd-rmyy', zone: '住院楼 2F' }),
    };
    await fn.store.createUser({ username: 'jilinshi', passwordHash: await hashSecret('pw-city'), role: 'bureau', regionCode: '220200', siteIds: [] });
    await fn.store.createUser({ username: 'huadian', passwordHash: await hashSecret('pw-huadian'), role: 'bureau', regionCode: '220282', siteIds: [] });
    await fn.store.createUser({ username: 'op-jh-zyy', passwordHash: await hashSecret('pw-op'), role: 'operator', regionCode: null, siteIds: ['jh-zyy'] });
    await fn.store.createUser({ username: 'safety-hd-rmyy', passwordHash: await hashSecret('pw-safety'), role: 'safety_manager', regionCode: null, siteIds: ['hd-rmyy'] });
    huadianBureau = await fn.login('huadian', 'pw-huadian');
    huadianSafety = await fn.login('safety-hd-rmyy', 'pw-safety');

    // hazards: a major one in 蛟河 (registered, its deadline already past), a general one in 桦甸, a significant one in 蛟河 walked to closed
    const major = await fn.api('/api/tickets', { body: { siteId: 'jh-rmyy', title: '配电室堆放大量可燃物', level: 'major', grade: 'major', location: '门诊楼 B1 配电室' } });
    expect(major.status).toBe(201);
    majorId = major.body.id;
    await move(majorId, { to: 'registered', ...fiveInPlace(Date.now() - 3_600_000), acceptanceCriteria: '可燃物清空，县卫健局现场复查' });
    const general = await fn.api('/api/tickets', { body: { siteId: 'hd-rmyy', title: '疏散指示灯损坏', level: 'general' } });
    expect(general.status).toBe(201);
    const fixed = await fn.api('/api/tickets', { body: { siteId: 'jh-zyy', title: '消防通道堵塞', level: 'significant' } });
    expect(fixed.status).toBe(201);
    await move(fixed.body.id, { to: 'registered', ...fiveInPlace(Date.now() + 7 * DAY_MS) });
    await move(fixed.body.id, { to: 'rectifying' });
    // rectified by the institution's logistics, verified by the admin (nobody verifies their own work)
    await fn.store.createUser({ username: 'logistics-jh-zyy', passwordHash: await hashSecret('pw-logistics'), role: 'logistics', regionCode: null, siteIds: ['jh-zyy'] });
    await move(fixed.body.id, { to: 'pending_verification', note: '已清理通道' }, await fn.login('logistics-jh-zyy', 'pw-logistics'));
    await move(fixed.body.id, { to: 'closed', note: '验收合格，销号' });

    // alarms over MQTT: two in 蛟河 (one confirmed a test), one in 桦甸 confirmed a false alarm
    await alarm('jh-rmyy-sd1', secrets['jh-rmyy-sd1']);
    const test = await alarm('jh-rmyy-sd2', secrets['jh-rmyy-sd2']);
    const falseAlarm = await alarm('hd-rmyy-sd1', secrets['hd-rmyy-sd1']);
    expect((await fn.api(`/api/alarms/${test}/confirm`, { body: { outcome: 'test' } })).status).toBe(200);
    expect((await fn.api(`/api/alarms/${falseAlarm}/confirm`, { body: { outcome: 'false_alarm' } })).status).toBe(200);

    // inspections: two this month and one last month in 蛟河, one this month in 桦甸 (recorded by its safety manager)
    for (const body of [
      { siteId: 'jh-rmyy', kind: 'daily', findings: '消防控制室双人值班在岗' },
      { siteId: 'jh-rmyy', kind: 'weekly', findings: '发现配电室堆放可燃物', hazardsFound: 1 },
      { siteId: 'jh-rmyy', kind: 'monthly', performedAt: new Date(inPreviousMonth()).toISOString() },
    ]) expect((await fn.api('/api/inspections', { body })).status).toBe(201);
    const hd = await fn.api('/api/inspections', { token: huadianSafety, body: { siteId: 'hd-rmyy', kind: 'monthly', inspector: '院长 李明' } });
    expect(hd.status).toBe(201);
    expect(hd.body).toMatchObject({ siteId: 'hd-rmyy', siteName: '桦甸市人民医院', regionCode: '220282', kind: 'monthly', inspector: '院长 李明', createdBy: 'safety-hd-rmyy', hazardsFound: 0 });
  });
  afterAll(() => fn?.stop());

  it('colours each county by its worst open risk and counts hazards, overdue rectifications and major hazards', async () => {
    const city = await fn.login('jilinshi', 'pw-city');
    const body = await report(city)('/api/overview?region=220200');
    expect(body.region).toMatchObject({ code: '220200', name: '吉林市' });
    const jiaohe = byCode(body.children, '220281');
    expect(jiaohe).toMatchObject({
      name: '蛟河市', level: 'county', institutions: 2, devices: 2, activeAlarms: 2, newAlarms: 1, inProgressAlarms: 1,
      worstRisk: 'major', openHazards: { major: 1, significant: 0, general: 0, low: 0 }, overdueRectifications: 1, majorHazardsOpen: 1,
      // open hazards: 待受理 (reported, not registered) apart from 处置中 (registered, rectifying or awaiting verification)
      newHazards: 0, inProgressHazards: 1,
    });
    expect(byCode(body.children, '220282')).toMatchObject({
      name: '桦甸市', institutions: 1, devices: 1, activeAlarms: 1, newAlarms: 0, inProgressAlarms: 1,
      worstRisk: 'general', openHazards: { major: 0, significant: 0, general: 1, low: 0 }, overdueRectifications: 0, majorHazardsOpen: 0,
      newHazards: 1, inProgressHazards: 0,
    });
    // a bureau sees every county below it; those without institutions are grey
    expect(byCode(body.children, '220283')).toMatchObject({ institutions: 0, worstRisk: null, openHazards: { major: 0, significant: 0, general: 0, low: 0 } });
    // no devices: no online rate (shown "—"), not 0%
    expect(byCode(body.children, '220283')).toMatchObject({ devices: 0, onlineRate: null });

    const { summary } = body;
    expect(summary).toMatchObject({
      institutions: 3, devices: 3, worstRisk: 'major', alarmsToday: 3, activeAlarms: 3,
      // 待受理 (nobody has acknowledged it) apart from 处置中 (acknowledged or confirmed, not closed)
      newAlarms: 1, inProgressAlarms: 2,
      openHazards: { major: 1, significant: 0, general: 1, low: 0 }, overdueRectifications: 1,
      newHazards: 1, inProgressHazards: 1,
    });
    expect(summary.onlineRate).toBeCloseTo(summary.online / summary.devices);
    // the "dynamic zero" counter: one major hazard open, overdue
    expect(summary.majorHazards).toEqual([{
      id: majorId, title: '配电室堆放大量可燃物', titleEn: null, siteId: 'jh-rmyy', siteName: '蛟河市人民医院', regionCode: '220281',
      level: 'major', state: 'registered', reportedAt: expect.any(String), deadline: expect.any(String), overdue: true,
      stateDeadline: expect.any(String), supervised: false, supervisionDeadline: null,
    }]);
  });

  it('gives 30 days of trends in Asia/Shanghai dates, oldest first, with today\'s alarms and hazards counted', async () => {
    const { summary } = await report()('/api/overview?region=220200');
    const dates: string[] = summary.trends.map((d: { date: string }) => d.date);
    expect(dates).toHaveLength(30);
    expect(dates.at(-1)).toBe(today());
    expect(dates[0]).toBe(shanghaiDate(Date.parse(`${today()}T12:00:00+08:00`) - 29 * DAY_MS));
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(30);
    expect(summary.trends.at(-1)).toEqual({ date: today(), alarms: 3, hazardsReported: 3, hazardsClosed: 1 });
    expect(summary.trends.slice(0, -1).every((d: { alarms: number; hazardsReported: number; hazardsClosed: number }) => d.alarms + d.hazardsReported + d.hazardsClosed === 0)).toBe(true);
  });

  it('rolls a county\'s institutions up the same way', async () => {
    const body = await report()('/api/overview?region=220281');
    expect(body.children.map((c: Row) => c.code).sort()).toEqual(['jh-rmyy', 'jh-zyy']);
    expect(byCode(body.children, 'jh-rmyy')).toMatchObject({ level: 'site', worstRisk: 'major', majorHazardsOpen: 1, overdueRectifications: 1, activeAlarms: 2, newHazards: 0, inProgressHazards: 1 });
    // its closed hazard counts in neither
    expect(byCode(body.children, 'jh-zyy')).toMatchObject({ level: 'site', worstRisk: null, majorHazardsOpen: 0, activeAlarms: 0, newHazards: 0, inProgressHazards: 0 });
    expect(body.summary).toMatchObject({ institutions: 2, alarmsToday: 2, openHazards: { major: 1, significant: 0, general: 0, low: 0 } });
  });

  it('keeps a county bureau to its county: 403 beside or above it, and none of 蛟河\'s figures in its own', async () => {
    for (const path of ['/api/overview?region=220281', '/api/overview?region=220200', '/api/reports/monthly?region=220281', '/api/reports/monthly.csv?region=220281']) {
      const res = await fn.api(path, { token: huadianBureau });
      expect(res.status, path).toBe(403);
      expect(res.body.message).toMatch(/^region: (220281|220200) is outside your region 220282$/);
    }
    const own = await report(huadianBureau)('/api/overview');
    expect(own.region.code).toBe('220282');
    expect(own.children.map((c: Row) => c.code)).toEqual(['hd-rmyy']);
    expect(own.summary).toMatchObject({
      institutions: 1, devices: 1, worstRisk: 'general', alarmsToday: 1, activeAlarms: 1,
      openHazards: { major: 0, significant: 0, general: 1, low: 0 }, overdueRectifications: 0, majorHazards: [],
    });
    expect(JSON.stringify(own)).not.toContain(majorId);
    expect(own.summary.trends.at(-1)).toEqual({ date: today(), alarms: 1, hazardsReported: 1, hazardsClosed: 0 });
    const monthly = await report(huadianBureau)('/api/reports/monthly');
    expect(monthly.total).toMatchObject({ code: '220282', checks: 1, hazardsFound: 1, alarms: 1 });
  });

  it('counts only an institution\'s own figures for its staff, and refuses them the overview (the bureaus\' view)', async () => {
    const op = await fn.login('op-jh-zyy', 'pw-op');
    const refused = await fn.api('/api/overview?region=220200', { token: op });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('role.forbidden');
    await fn.store.createUser({ username: 'safety-jh-zyy', passwordHash: await hashSecret('pw-safety-zyy'), role: 'safety_manager', regionCode: null, siteIds: ['jh-zyy'] });
    const safety = await fn.login('safety-jh-zyy', 'pw-safety-zyy');
    expect((await fn.api('/api/overview', { token: safety })).status).toBe(403);
    const body = await report(safety)('/api/reports/monthly?region=220200');
    expect(body.rows.map((c: Row) => c.code)).toEqual(['220281']);
    expect(byCode(body.rows, '220281')).toMatchObject({ checks: 0, hazardsFound: 1, hazardsRectified: 1, alarms: 0, devices: 0 });
    expect(body.total).toMatchObject({ hazardsFound: 1, hazardsRectified: 1, alarms: 0 });
  });

  it('records inspections in scope only and lists them by region, institution and time', async () => {
    const elsewhere = await fn.api('/api/inspections', { token: huadianSafety, body: { siteId: 'jh-rmyy', kind: 'daily' } });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.message).toBe('siteId: no institution jh-rmyy');
    // the 日周月 checks are the institution's own: a bureau's supervision visit does not count as one
    const bureau = await fn.api('/api/inspections', { token: huadianBureau, body: { siteId: 'hd-rmyy', kind: 'daily' } });
    expect(bureau.status).toBe(403);
    const future = await fn.api('/api/inspections', { body: { siteId: 'jh-rmyy', kind: 'daily', performedAt: new Date(Date.now() + DAY_MS).toISOString() } });
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/^body\.performedAt: /);
    const badKind = await fn.api('/api/inspections', { body: { siteId: 'jh-rmyy', kind: 'hourly' } });
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/^body\.kind: /);

    const all = (await fn.api<{ siteId: string; performedAt: string }[]>('/api/inspections')).body;
    expect(all).toHaveLength(4);
    expect(all.map((i) => i.performedAt)).toEqual(all.map((i) => i.performedAt).sort().reverse());
    expect((await fn.api<Row[]>('/api/inspections?region=220281')).body).toHaveLength(3);
    expect((await fn.api<Row[]>('/api/inspections?siteId=hd-rmyy')).body).toHaveLength(1);
    const since = encodeURIComponent(`${thisMonth()}-01T00:00:00+08:00`);
    expect((await fn.api<Row[]>(`/api/inspections?region=220281&from=${since}`)).body).toHaveLength(2);
    expect((await fn.api<Row[]>(`/api/inspections?region=220281&to=${since}`)).body).toHaveLength(1);
    // a county bureau lists its county's only, even when it asks for another
    expect((await fn.api<{ siteId: string }[]>('/api/inspections', { token: huadianBureau })).body.map((i) => i.siteId)).toEqual(['hd-rmyy']);
    expect((await fn.api<Row[]>('/api/inspections?region=220281', { token: huadianBureau })).body).toEqual([]);
  });

  it('reports the month per county and in total: checks, hazards found and rectified, plans, alarms, false-alarm rate', async () => {
    const month = thisMonth();
    const body = await report()(`/api/reports/monthly?region=220200&month=${month}`);
    expect(body).toMatchObject({ region: { code: '220200', name: '吉林市' }, month });
    expect(Date.parse(body.from)).toBe(Date.parse(`${month}-01T00:00:00+08:00`));
    expect(byCode(body.rows, '220281')).toMatchObject({
      name: '蛟河市', level: 'county', checks: 2, hazardsFound: 2, hazardsRectified: 1, openWithPlans: 1, openWithoutPlans: 0,
      alarms: 2, confirmedAlarms: 1, falseAlarms: 0, falseAlarmRate: 0, devices: 2,
      // the major one open past its deadline, the significant one closed: half of the month's hazards on the books closed
      hazardsFoundByChecks: 2, hazardsFoundBySensors: 0, majorHazardsOpen: 1, overdueRectifications: 1, rectificationRate: 0.5,
    });
    expect(byCode(body.rows, '220282')).toMatchObject({
      name: '桦甸市', checks: 1, hazardsFound: 1, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 1,
      alarms: 1, confirmedAlarms: 1, falseAlarms: 1, falseAlarmRate: 1, devices: 1,
      majorHazardsOpen: 0, overdueRectifications: 0, rectificationRate: 0,
    });
    expect(body.total).toMatchObject({
      code: '220200', name: '吉林市', level: 'city', checks: 3, hazardsFound: 3, hazardsRectified: 1, openWithPlans: 1, openWithoutPlans: 1,
      alarms: 3, confirmedAlarms: 2, falseAlarms: 1, falseAlarmRate: 0.5, devices: 3,
    });
    for (const row of [...body.rows, body.total]) {
      if (row.devices) expect(row.onlineRate).toBeCloseTo(row.online / row.devices);
      else expect(row.onlineRate).toBeNull(); // no devices: no rate ("—"), not 0%
      expect(row.onlineRateNow).toBe(row.devices ? row.online / row.devices : null);
    }
    // the current month is the default (the live online figures may move between the two answers: left out)
    const notLive = ({ online: _o, onlineRate: _r, onlineRateNow: _n, ...rest }: Record<string, unknown>) => rest;
    expect(notLive((await report()('/api/reports/monthly?region=220200')).total)).toEqual(notLive(body.total));

    // under a county, a row per institution
    const county = await report()(`/api/reports/monthly?region=220281&month=${month}`);
    expect(byCode(county.rows, 'jh-rmyy')).toMatchObject({ level: 'site', checks: 2, hazardsFound: 1, hazardsRectified: 0, openWithPlans: 1, alarms: 2 });
    expect(byCode(county.rows, 'jh-zyy')).toMatchObject({ level: 'site', checks: 0, hazardsFound: 1, hazardsRectified: 1, openWithPlans: 0, alarms: 0 });

    // last month: only the inspection done then
    const previous = shanghaiDate(inPreviousMonth()).slice(0, 7);
    const before = await report()(`/api/reports/monthly?region=220200&month=${previous}`);
    // no alarm confirmed: no false-alarm rate, not 0%
    expect(before.total).toMatchObject({ checks: 1, hazardsFound: 0, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 0, alarms: 0, confirmedAlarms: 0, falseAlarmRate: null });
  });

  it('averages the month\'s online rate from the 15-minute samples, in the caller\'s scope', async () => {
    const previous = shanghaiDate(inPreviousMonth()).slice(0, 7);
    await fn.store.stats.addOnlineSamples('jh-rmyy', `${previous}-15`, { samples: 96, deviceSamples: 96, onlineSamples: 72 });
    await fn.store.stats.addOnlineSamples('hd-rmyy', `${previous}-15`, { samples: 96, deviceSamples: 96, onlineSamples: 96 });
    const before = await report()(`/api/reports/monthly?region=220200&month=${previous}`);
    expect(byCode(before.rows, '220281')).toMatchObject({ onlineRate: 0.75, onlineRateFrom: 'samples' });
    expect(byCode(before.rows, '220282')).toMatchObject({ onlineRate: 1, onlineRateFrom: 'samples' });
    expect(before.total).toMatchObject({ onlineRate: (72 + 96) / 192, onlineRateFrom: 'samples' });
    expect((await report(huadianBureau)(`/api/reports/monthly?month=${previous}`)).total).toMatchObject({ onlineRate: 1, onlineRateFrom: 'samples' });
    // a month with no samples (before they were kept) says it shows the rate now
    const older = shanghaiDate(monthRange(previous).from - DAY_MS).slice(0, 7);
    expect((await report()(`/api/reports/monthly?region=220200&month=${older}`)).total.onlineRateFrom).toBe('now');

    // the sampler counts every institution's devices and online devices
    expect(await fn.jobs.sampleOnline()).toBe(2); // the institutions with devices: jh-rmyy and hd-rmyy
    const current = await report()('/api/reports/monthly?region=220200');
    for (const row of [...current.rows, current.total].filter((r) => r.devices > 0)) {
      expect(row).toMatchObject({ onlineRateFrom: 'samples', onlineRate: row.online / row.devices });
    }
  });

  it('exports the same report as CSV that Excel opens, in one language: Chinese by default, English on request', async () => {
    const month = thisMonth();
    const res = await fetch(`${fn.httpUrl}/api/reports/monthly.csv?region=220200&month=${month}`, { headers: { authorization: `Bearer ${fn.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="firenet-report-220200-${month}.csv"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n').map((l) => l.split(','));
    expect(res.headers.get('content-language')).toBe('zh-CN');
    expect(lines[0]).toEqual([
      '地区代码', '名称', '级别', '检查次数', '发现隐患', '已整改销号', '未销号且五落实', '未销号未落实', '报警', '已确认报警', '误报',
      '误报率（误报/已确认报警）', '设备数', '当前在线', '当前在线率', '本月平均在线率', '查岗次数', '查岗未应答',
      '检查发现隐患', '传感器发现隐患', '未销号重大事故隐患', '逾期未整改', '整改率',
      '应检次数', '已检次数', '检查完成率', '漏检', '演练逾期', '查岗已应答', '证书30天内到期', '证书已过期',
    ]);
    const json = await report()(`/api/reports/monthly?region=220200&month=${month}`);
    expect(lines).toHaveLength(1 + json.rows.length + 1);
    const line = (code: string) => lines.find((l) => l[0] === code)!;
    expect(line('220281').slice(0, 12)).toEqual(['220281', '蛟河市', '县(区)', '2', '2', '1', '1', '0', '2', '1', '0', '0.0%']);
    expect(line('220282').slice(0, 12)).toEqual(['220282', '桦甸市', '县(区)', '1', '1', '0', '0', '1', '1', '1', '1', '100.0%']);
    expect(lines.at(-1)!.slice(0, 12)).toEqual(['220200', '合计 吉林市', '市', '3', '3', '1', '1', '1', '3', '2', '1', '50.0%']);
    expect(lines.at(-1)![12]).toBe(String(json.total.devices));
    // a county without devices has no rate: "—", not 0%
    for (const l of lines.slice(1).filter((l) => l[12] === '0')) expect(l.slice(14, 16)).toEqual(['—', '—']);
    // no word of English in the Chinese file
    expect(bytes.toString('utf8')).not.toMatch(/[A-Za-z]{3,}/);

    const english = await fetch(`${fn.httpUrl}/api/reports/monthly.csv?region=220200&month=${month}&lang=en`, { headers: { authorization: `Bearer ${fn.adminToken}` } });
    expect(english.headers.get('content-language')).toBe('en');
    const en = (await english.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(en[0]).toEqual([
      'Code', 'Name', 'Level', 'Checks', 'Hazards found', 'Hazards rectified', 'Open with plans', 'Open without plans', 'Alarms', 'Alarms confirmed',
      'False alarms', 'False alarm rate (false / confirmed alarms)', 'Devices', 'Online now', 'Online rate now', 'Online rate (month average)',
      'Duty checks', 'Duty checks missed', 'Hazards found by checks', 'Hazards found by sensors', 'Major hazards open', 'Overdue rectifications', 'Rectification rate',
      'Checks owed', 'Checks done', 'Check completion rate', 'Missed checks', 'Drills overdue',
      'Duty checks answered', 'Certificates expiring (30 days)', 'Certificates expired',
    ]);
    expect(en.at(-1)!.slice(1, 3)).toEqual(['Total 吉林市', 'City']);
    expect(en.slice(1).map((l) => l[2])).not.toContain('县(区)');
    expect((await fn.api('/api/reports/monthly.csv?lang=fr')).status).toBe(400);
  });

  it('names querystring.month in a 400 for a bad month', async () => {
    for (const path of ['/api/reports/monthly?month=2024-13', '/api/reports/monthly?month=June', '/api/reports/monthly.csv?month=2024-6']) {
      const res = await fn.api(path);
      expect(res.status, path).toBe(400);
      expect(res.body.message).toMatch(/^querystring\.month: /);
    }
  });
});
