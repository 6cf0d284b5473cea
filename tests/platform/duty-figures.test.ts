// The institutions' own duties as a bureau holds them to (issue 15), through the API of a real FireNet on PGlite and
// on PostgreSQL alike: the rhythm (a missed daily check flagged, the completion rate), a certificate's expiry warning,
// an overdue drill, 查岗 answered and missed, all counted per institution and region on the overview and in the
// monthly report; shifts changed and taken off the roster; the public page's QR code; the institution filters on
// the remaining lists; and every new list and record scoped across counties.
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDate, localMonth } from '../../platform/reports/calendar.js';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

const DAY = 86_400_000;
/** 蛟河市 220281: a general hospital (重点单位) and a township clinic; 桦甸市 220282: a private care home. */
const X1 = { id: 'df-jh-rmyy', name: '蛟河市人民医院', regionCode: '220281', kind: 'general_hospital', grade: 'grade2', keyUnit: true };
const X2 = { id: 'df-jh-tg', name: '蛟河市天岗镇卫生院', regionCode: '220281', kind: 'primary_care', grade: 'grade1' };
const Y = { id: 'df-hd-yl', name: '桦甸市康乐养老院', regionCode: '220282', kind: 'elderly_care', ownership: 'private', highRisk: true };

const USERS = {
  'df-safety-x': { role: 'safety_manager', regionCode: null, siteIds: [X1.id] },
  'df-safety-y': { role: 'safety_manager', regionCode: null, siteIds: [Y.id] },
  'df-op-x1': { role: 'operator', regionCode: null, siteIds: [X1.id] },
  'df-op-x2': { role: 'operator', regionCode: null, siteIds: [X1.id] },
  'df-op-y': { role: 'operator', regionCode: null, siteIds: [Y.id] },
  'df-county-jh': { role: 'bureau', regionCode: '220281', siteIds: [] },
  'df-county-hd': { role: 'bureau', regionCode: '220282', siteIds: [] },
  'df-city': { role: 'bureau', regionCode: '220200', siteIds: [] },
} as const;

type Duties = { checksExpected: number; checksDone: number; checkCompletionRate: number | null; missedChecks: number; drillsOverdue: number;
  dutyChecks: number; dutyChecksAnswered: number; dutyChecksMissed: number; certificatesExpiring: number; certificatesExpired: number };

describe.each(['pglite', 'postgres'] as const)('the duties a bureau holds institutions to, on %s', (adapter) => {
  let fn: TestFireNet;
  let token: Record<keyof typeof USERS, string>;
  const as = (user: keyof typeof USERS) => ({ token: token[user] });
  const today = localDate(Date.now());
  const dayIn = (days: number) => localDate(Date.now() + days * DAY);
  /** The overview's duty figures per child (institutions under a county) and the region's, as `user` sees them. */
  const overviewDuties = async (region: string, user: keyof typeof USERS) => {
    const res = await fn.api<{ children: { code: string; duties: Duties }[]; summary: { duties: Duties } }>(`/api/overview?region=${region}`, as(user));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { children: new Map(res.body.children.map((c) => [c.code, c.duties])), summary: res.body.summary.duties };
  };

  beforeAll(async () => {
    const env: Record<string, string> = adapter === 'postgres' ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `duties_${randomUUID().replaceAll('-', '')}`) } : {};
    fn = await startTestFireNet(env);
    for (const site of [X1, X2, Y]) expect((await fn.api('/api/sites', { body: site })).status).toBe(201);
    token = await signInUsers(fn, USERS);
  }, 120_000);
  afterAll(() => fn?.stop());

  it('flags a missed daily check the morning after and counts done / owed per institution on the overview and in the report', async () => {
    const [template] = (await fn.api<{ items: { code: string }[] }[]>('/api/check-templates?institutionKind=general_hospital&rhythm=daily')).body;
    const items = template!.items.map((i) => ({ code: i.code, result: 'pass' }));
    expect((await fn.api('/api/checks', { body: { siteId: X1.id, rhythm: 'daily', items }, ...as('df-safety-x') })).status).toBe(201);

    // today's daily check is owed today: X1 did it, X2 did not
    const completion = await fn.api<any>(`/api/checks/completion?from=${today}&to=${dayIn(1)}`, as('df-county-jh'));
    const bySite = new Map(completion.body.institutions.map((i: any) => [i.siteId, i.byRhythm.daily]));
    expect(bySite.get(X1.id)).toEqual({ expected: 1, done: 1, rate: 1 });
    expect(bySite.get(X2.id)).toEqual({ expected: 1, done: 0, rate: 0 });

    // 09:00 tomorrow: today's daily checks are due; X2's is flagged, X1's is not, once
    await fn.jobs.flagMissedChecks(Date.parse(`${dayIn(1)}T09:00:00+08:00`));
    const missed = (await fn.api<any[]>('/api/checks/missed?rhythm=daily', as('df-county-jh'))).body.filter((m) => m.period === today);
    expect(missed.map((m) => [m.siteId, m.expected, m.done])).toEqual([[X2.id, 1, 0]]);
    expect(await fn.jobs.flagMissedChecks(Date.parse(`${dayIn(1)}T10:00:00+08:00`))).toBe(0);

    // the overview of the county: per institution, the same done / owed as the completion of this month, X2's miss
    const month = await fn.api<any>('/api/checks/completion', as('df-county-jh'));
    const { children, summary } = await overviewDuties('220281', 'df-county-jh');
    for (const i of month.body.institutions) {
      expect(children.get(i.siteId)).toMatchObject({ checksExpected: i.expected, checksDone: i.done, checkCompletionRate: i.rate });
    }
    const [x1, x2] = [children.get(X1.id)!, children.get(X2.id)!];
    expect(x1.checkCompletionRate!).toBeGreaterThan(x2.checkCompletionRate!);
    expect(x2.missedChecks).toBe(x1.missedChecks + 1);
    expect(summary).toMatchObject({ checksExpected: month.body.total.expected, checksDone: month.body.total.done, missedChecks: x1.missedChecks + x2.missedChecks });

    // the month's report counts the same, per institution and in total, in its CSV too
    const report = await fn.api<any>(`/api/reports/monthly?region=220281&month=${localMonth(Date.now())}`, as('df-county-jh'));
    const rows = new Map(report.body.rows.map((r: any) => [r.code, r]));
    expect(rows.get(X2.id)).toMatchObject({ checksExpected: x2.checksExpected, checksDone: x2.checksDone, missedChecks: x2.missedChecks });
    expect(report.body.total).toMatchObject({ checksExpected: summary.checksExpected, checksDone: summary.checksDone, missedChecks: summary.missedChecks });
    const csv = await fetch(`${fn.httpUrl}/api/reports/monthly.csv?region=220281&lang=en`, { headers: { authorization: `Bearer ${token['df-county-jh']}` } });
    expect((await csv.text()).split('\r\n')[0]).toMatch(/,Checks owed,Checks done,Check completion rate,Missed checks,Drills overdue,Duty checks answered,Certificates expiring \(30 days\),Certificates expired$/);
  });

  it('warns of a certificate 30 days before it expires, and counts those expiring and expired per region', async () => {
    const put = (user: string, expiresOn: string, by: keyof typeof USERS) =>
      fn.api<any>(`/api/control-room/certificates/${user}`, { method: 'PUT', body: { number: `CERT-${user}`, level: 'intermediate', expiresOn }, ...as(by) });
    expect((await put('df-op-x1', dayIn(10), 'df-safety-x')).body.state).toBe('expiring');
    expect((await put('df-op-x2', dayIn(100), 'df-safety-x')).body.state).toBe('valid');
    expect((await put('df-op-y', dayIn(-1), 'df-safety-y')).body.state).toBe('expired');
    // not the safety manager's operator: 404, as if there were none
    expect((await put('df-op-y', dayIn(300), 'df-safety-x')).status).toBe(404);

    expect((await fn.api<any[]>('/api/control-room/certificates?state=expiring', as('df-county-jh'))).body.map((c) => c.username)).toEqual(['df-op-x1']);
    expect((await fn.api<any[]>('/api/control-room/certificates?state=expiring', as('df-county-hd'))).body).toEqual([]);
    expect((await fn.api<any[]>('/api/control-room/certificates', as('df-county-hd'))).body.map((c) => [c.username, c.state])).toEqual([['df-op-y', 'expired']]);

    const { children, summary } = await overviewDuties('220200', 'df-city');
    expect(children.get('220281')).toMatchObject({ certificatesExpiring: 1, certificatesExpired: 0 });
    expect(children.get('220282')).toMatchObject({ certificatesExpiring: 0, certificatesExpired: 1 });
    expect(summary).toMatchObject({ certificatesExpiring: 1, certificatesExpired: 1 });
    const sites = await overviewDuties('220281', 'df-county-jh');
    expect(sites.children.get(X1.id)!.certificatesExpiring).toBe(1);
    expect(sites.children.get(X2.id)!.certificatesExpiring).toBe(0);
  });

  it('flags drills overdue until one is recorded, per institution', async () => {
    const overdue = async (user: keyof typeof USERS) => new Map((await fn.api<any[]>('/api/preparedness/status', as(user))).body
      .map((s) => [s.siteId, s.requirements.filter((r: any) => r.kind === 'drill' && r.overdue).map((r: any) => r.key).sort()]));
    expect((await overdue('df-county-jh')).get(X1.id)).toEqual(['drill.evacuation', 'drill.on_site', 'drill.plan']);
    // an evacuation drill today counts for the half-yearly on-site drill too
    const drill = { siteId: X1.id, kind: 'drill', topic: 'evacuation', on: today, title: '门诊楼疏散演练', participants: 40, evaluation: '疏散用时 4 分钟' };
    expect((await fn.api('/api/preparedness', { body: drill, ...as('df-safety-x') })).status).toBe(201);
    expect((await fn.api('/api/preparedness', { body: { ...drill, siteId: Y.id }, ...as('df-safety-x') })).status).toBe(404);
    const now = await overdue('df-county-jh');
    expect(now.get(X1.id)).toEqual(['drill.plan']);
    expect(now.get(X2.id)).toHaveLength(3);
    expect([...(await overdue('df-county-hd')).keys()]).toEqual([Y.id]);

    const { children, summary } = await overviewDuties('220281', 'df-county-jh');
    expect(children.get(X1.id)!.drillsOverdue).toBe(1);
    expect(children.get(X2.id)!.drillsOverdue).toBe(3);
    expect(summary.drillsOverdue).toBe(4);
    const report = await fn.api<any>('/api/reports/monthly?region=220200', as('df-city'));
    expect(report.body.rows.find((r: any) => r.code === '220281').drillsOverdue).toBe(4);
    expect(report.body.rows.find((r: any) => r.code === '220282').drillsOverdue).toBe(3);
  });

  it('counts 查岗 answered and missed (one past its time counts before the sweep marks it)', async () => {
    const ask = () => fn.api<any>('/api/control-room/duty-checks', { body: { siteId: X1.id, timeoutMin: 5 }, ...as('df-county-jh') });
    const answered = await ask();
    expect(answered.status).toBe(201);
    expect((await fn.api(`/api/control-room/duty-checks/${answered.body.id}/answer`, { method: 'POST', ...as('df-safety-x') })).status).toBe(200);
    const late = await ask();
    await fn.store.transaction((tx) => tx.query(`update duty_checks set answer_by = asked_at - interval '1 second' where id = $1`, [late.body.id]));
    // another county's bureau may not ask, nor see them
    expect((await fn.api('/api/control-room/duty-checks', { body: { siteId: X1.id }, ...as('df-county-hd') })).status).toBe(404);
    expect((await fn.api<any[]>('/api/control-room/duty-checks', as('df-county-hd'))).body).toEqual([]);

    const { children } = await overviewDuties('220281', 'df-county-jh');
    expect(children.get(X1.id)).toMatchObject({ dutyChecks: 2, dutyChecksAnswered: 1, dutyChecksMissed: 1 });
    const report = await fn.api<any>('/api/reports/monthly?region=220281', as('df-county-jh'));
    expect(report.body.total).toMatchObject({ dutyChecks: 2, dutyChecksAnswered: 1, dutyChecksMissed: 1 });
    expect((await overviewDuties('220282', 'df-county-hd')).summary).toMatchObject({ dutyChecks: 0, certificatesExpired: 1 });
  });

  it('changes a shift and takes it off the roster, checked as a new one is and only within scope', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 9 * 3_600_000).toISOString();
    const leader = { name: '王建国', post: '副院长' };
    const added = await fn.api<any>('/api/control-room/shifts', { body: { siteId: X1.id, startsAt, endsAt, operators: ['df-op-x1', 'df-op-x2'], leader }, ...as('df-safety-x') });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const path = `/api/control-room/shifts/${added.body.id}`;
    const body = { startsAt, endsAt, operators: ['df-op-x1', 'df-op-x2'], leader: { name: '李明', post: '保卫科科长' } };

    expect((await fn.api(path, { method: 'PUT', body, ...as('df-safety-y') })).status).toBe(404);
    expect((await fn.api(path, { method: 'PUT', body, ...as('df-county-jh') })).status).toBe(403);
    const one = await fn.api<any>(path, { method: 'PUT', body: { ...body, operators: ['df-op-x1'] }, ...as('df-safety-x') });
    expect(one.status).toBe(400);
    expect(one.body).toMatchObject({ code: 'shift.too_few_certified', fields: [{ field: 'body.operators' }] });
    const changed = await fn.api<any>(path, { method: 'PUT', body, ...as('df-safety-x') });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: added.body.id, siteId: X1.id, leader: { name: '李明', post: '保卫科科长' }, createdBy: 'df-safety-x' });
    expect((await fn.api<any[]>(`/api/control-room/shifts?siteId=${X1.id}`, as('df-county-jh'))).body.map((s) => s.leader.name)).toEqual(['李明']);
    expect((await fn.api<any[]>('/api/control-room/shifts', as('df-county-hd'))).body).toEqual([]);

    expect((await fn.api(path, { method: 'DELETE', ...as('df-safety-y') })).status).toBe(404);
    expect((await fn.api(path, { method: 'DELETE', ...as('df-safety-x') })).status).toBe(204);
    expect((await fn.api(path, { method: 'DELETE', ...as('df-safety-x') })).status).toBe(404);
    expect((await fn.api<any[]>(`/api/control-room/shifts?siteId=${X1.id}`, as('df-county-jh'))).body).toEqual([]);
    const audit = (await fn.api<any[]>('/api/audit?limit=20')).body.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['PUT /api/control-room/shifts/:id', 'DELETE /api/control-room/shifts/:id']));
  });

  it('serves the public page\'s QR code without sign-in, encoding the page\'s full address', async () => {
    const link = await fn.api<{ path: string; qrPath: string }>(`/api/sites/${X1.id}/public-link`, as('df-safety-x'));
    expect(link.status).toBe(200);
    expect(link.body.qrPath).toBe(`${link.body.path}/qr.svg`);
    expect((await fn.api(`/api/sites/${X1.id}/public-link`, as('df-safety-y'))).status).toBe(404);
    const res = await fetch(`${fn.httpUrl}${link.body.qrPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const expected = await QRCode.toString(`${fn.httpUrl}${link.body.path}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 256 });
    expect(await res.text()).toBe(expected);
    expect((await fetch(`${fn.httpUrl}/public/institutions/not-a-token/qr.svg`)).status).toBe(404);
    expect(await (await fetch(`${fn.httpUrl}${link.body.path}`)).text()).toContain(`src="${link.body.qrPath}"`);
  });

  it('narrows the remaining lists by the institution\'s kind, grade and flags', async () => {
    await fn.provisionDevice({ id: `df-sd-x1-${adapter}`, family: 'smoke_detector', siteId: X1.id });
    await fn.provisionDevice({ id: `df-sd-x2-${adapter}`, family: 'smoke_detector', siteId: X2.id });
    const ids = async (path: string, user: keyof typeof USERS = 'df-city') => (await fn.api<any[]>(path, as(user))).body.map((r) => r.siteId);
    const devices = async (query: string, user: keyof typeof USERS = 'df-city') => (await fn.api<any[]>(`/api/devices?${query}`, as(user))).body.map((d) => d.id);
    expect(await devices('kind=primary_care')).toEqual([`df-sd-x2-${adapter}`]);
    expect(await devices('keyUnit=true')).toEqual([`df-sd-x1-${adapter}`]);
    expect(await devices('kind=primary_care', 'df-county-hd')).toEqual([]);
    expect((await fn.api('/api/inspections', { body: { siteId: X1.id, kind: 'daily', findings: '正常' }, ...as('df-safety-x') })).status).toBe(201);
    expect(await ids('/api/inspections?institutionKind=general_hospital&kind=daily')).toEqual([X1.id]);
    expect(await ids('/api/inspections?institutionKind=primary_care')).toEqual([]);
    expect((await fn.api('/api/inspections?institutionKind=hospital_ward')).status).toBe(400);
    expect(await ids('/api/preparedness/status?highRisk=true')).toEqual([Y.id]);
    expect(await ids('/api/preparedness/status?ownership=private', 'df-county-jh')).toEqual([]);
    expect(await ids('/api/control-room/duty-checks?kind=primary_care')).toEqual([]);
    expect((await ids('/api/control-room/duty-checks?grade=grade2')).every((s) => s === X1.id)).toBe(true);
    expect(await ids('/api/control-room/on-duty?kind=elderly_care')).toEqual([Y.id]);
    const summary = await overviewDuties('220281', 'df-county-jh');
    const clinics = await fn.api<any>('/api/overview?region=220281&kind=primary_care', as('df-county-jh'));
    expect(clinics.body.children.map((c: any) => c.code)).toEqual([X2.id]);
    expect(clinics.body.summary.duties.drillsOverdue).toBe(summary.children.get(X2.id)!.drillsOverdue);
  });

  it('keeps every new figure and record within the county: another county gets 403 or 404, or nothing', async () => {
    expect((await fn.api('/api/overview?region=220281', as('df-county-hd'))).status).toBe(403);
    expect((await fn.api('/api/reports/monthly?region=220281', as('df-county-hd'))).status).toBe(403);
    const theirs = await overviewDuties('220282', 'df-county-hd');
    expect([...theirs.children.keys()]).toEqual([Y.id]);
    expect((await fn.api<any[]>('/api/checks/missed', as('df-county-hd'))).body.every((m) => m.siteId === Y.id)).toBe(true);
    expect((await fn.api<any>('/api/checks/completion', as('df-county-hd'))).body.institutions.map((i: any) => i.siteId)).toEqual([Y.id]);
    expect((await fn.api<any[]>('/api/control-room/on-duty', as('df-county-hd'))).body.map((r) => r.siteId)).toEqual([Y.id]);
    expect((await fn.api<any[]>('/api/control-room/handovers', as('df-county-hd'))).body).toEqual([]);
    expect((await fn.api<any[]>('/api/preparedness', as('df-county-hd'))).body).toEqual([]);
    expect((await fn.api(`/api/sites/${X1.id}/check-rhythm`, as('df-county-hd'))).status).toBe(404);
  });
});
