// The monthly report submitted upward (每月报送) and the scorecard (考核评估) through a real FireNet, on PGlite and on
// PostgreSQL: an institution's report generated from the month's records and frozen when submitted; returned with a
// reason, resubmitted, approved by its county bureau; the county's summary (the sum of its approved reports)
// submitted to the city and seen there; late reports flagged and notified by the scheduled check; the scorecard's
// points from the rules and records, ranked within the region; CSV; every list cut to the caller's scope.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextEvent, signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

const DAY_MS = 86_400_000;
/** Days and months as an institution in China counts them, computed apart from the platform. */
const shanghaiDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
const thisMonth = () => shanghaiDate(Date.now()).slice(0, 7);
const monthBefore = (month: string, n = 1) => {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1 - n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
/** Noon on the 10th of a month in China. */
const midMonth = (month: string) => Date.parse(`${month}-10T12:00:00+08:00`);
/** Whether an institution's report for `month` is late if submitted now (due on the 21st of the next month). */
const lateNow = (month: string) => shanghaiDate(Date.now()) > `${monthBefore(month, -1)}-21`;

const J1 = 'sub-jh-1';
const J2 = 'sub-jh-2';
const H1 = 'sub-hd-1';
const USERS = {
  county: { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] as string[] },
  city: { role: 'bureau', regionCode: '220200', siteIds: [] as string[] },
  province: { role: 'bureau', regionCode: '220000', siteIds: [] as string[] },
  safety1: { role: 'safety_manager', regionCode: null, siteIds: [J1] },
  safety2: { role: 'safety_manager', regionCode: null, siteIds: [J2] },
  safetyH: { role: 'safety_manager', regionCode: null, siteIds: [H1] },
};
type Who = keyof typeof USERS | 'admin';

describe.each([
  { adapter: 'PGlite', postgres: false },
  { adapter: 'PostgreSQL', postgres: true },
])('monthly reports submitted upward and the scorecard on $adapter', ({ postgres }) => {
  let fn: TestFireNet;
  const token = {} as Record<Who, string>;
  const prev = monthBefore(thisMonth());
  const older = monthBefore(thisMonth(), 2);
  let j1Report: any;
  let countySummary: any;

  const call = async (who: Who, path: string, body?: unknown) => fn.api<any>(path, { token: token[who], ...(body === undefined ? {} : { body }) });
  const ok = async (who: Who, path: string, body?: unknown) => {
    const res = await call(who, path, body);
    if (res.status !== 200) throw new Error(`${who} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const submitSite = (who: Who, siteId: string, month: string) => call(who, '/api/reports/submissions/institutions', { siteId, month });
  const submitRegion = (who: Who, regionCode: string, month: string) => call(who, '/api/reports/submissions/regions', { regionCode, month });
  const board = (who: Who, q: string) => ok(who, `/api/reports/submissions?${q}`);
  const statusOf = (b: any, subject: string) => b.rows.find((r: any) => r.subject === subject)?.status;

  /** A record made now, moved into `month` as if it had happened then. */
  const backdate = (sql: string, id: string, month: string) => fn.store.transaction((tx) => tx.query(sql, [id, new Date(midMonth(month)).toISOString()]));

  beforeAll(async () => {
    const env: Record<string, string> = postgres ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `submissions_${randomUUID().replaceAll('-', '')}`) } : {};
    fn = await startTestFireNet(env);
    await fn.provisionSite(J1, '220281', '蛟河报送测试医院一');
    await fn.provisionSite(J2, '220281', '蛟河报送测试医院二');
    await fn.provisionSite(H1, '220282', '桦甸报送测试医院');
    token.admin = fn.adminToken;
    Object.assign(token, await signInUsers(fn, USERS));
    // last month at J1: a leader's monthly check, and a major hazard reported by hand and still open
    expect((await call('safety1', '/api/inspections', { siteId: J1, kind: 'monthly', performedAt: new Date(midMonth(prev)).toISOString() })).status).toBe(201);
    const major = await call('safety1', '/api/tickets', { siteId: J1, title: '疏散通道堆放杂物', level: 'major', grade: 'major', location: '住院楼 2F' });
    expect(major.status).toBe(201);
    await backdate('update tickets set reported_at = $2, last_seen_at = $2, updated_at = $2 where id = $1', major.body.id, prev);
    await backdate('update ticket_events set at = $2 where ticket_id = $1', major.body.id, prev);
    // and at J2 one daily check
    expect((await call('safety2', '/api/inspections', { siteId: J2, kind: 'daily', performedAt: new Date(midMonth(prev)).toISOString() })).status).toBe(201);
  }, 60_000);
  afterAll(() => fn?.stop());

  it('generates the institution\'s report from the month\'s records and freezes it when the safety manager submits it', async () => {
    const live = (await ok('admin', `/api/reports/monthly?region=220281&month=${prev}`)).rows.find((r: any) => r.code === J1);
    expect(live).toMatchObject({ checks: 1, hazardsFound: 1, hazardsFoundByChecks: 1, hazardsFoundBySensors: 0, majorHazardsOpen: 1, openWithoutPlans: 1, rectificationRate: 0 });

    expect((await submitSite('safety1', J1, thisMonth())).body).toMatchObject({ code: 'report.month_not_over' });
    expect((await submitSite('safety2', J1, prev)).status).toBe(404);
    expect((await submitSite('county', J1, prev)).status).toBe(403);
    const bad = await submitSite('safety1', J1, '2024-13');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body\.month: /);

    const submitted = await submitSite('safety1', J1, prev);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    j1Report = submitted.body;
    expect(j1Report).toMatchObject({ level: 'site', subject: J1, reviewerCode: '220281', month: prev, state: 'submitted', submittedBy: 'safety1', late: lateNow(prev), dueDate: `${monthBefore(prev, -1)}-21` });
    expect(j1Report.figures).toEqual(live);
    expect((await submitSite('safety1', J1, prev)).status).toBe(409);

    // a record of the month added after: the live report counts it, the submitted one stays as it was
    await call('safety1', '/api/inspections', { siteId: J1, kind: 'daily', performedAt: new Date(midMonth(prev) + DAY_MS).toISOString() });
    expect((await ok('admin', `/api/reports/monthly?region=220281&month=${prev}`)).rows.find((r: any) => r.code === J1).checks).toBe(2);
    expect((await ok('county', `/api/reports/submissions/${j1Report.id}`)).figures.checks).toBe(1);

    // audited, with the month
    const audit = (await ok('admin', '/api/audit?limit=20')).find((e: any) => e.action === 'POST /api/reports/submissions/institutions');
    expect(audit).toMatchObject({ actor: 'safety1', details: { values: { siteId: J1, month: prev }, status: 200 } });
  });

  it('lets the county bureau return it with a reason and approve it once resubmitted; nobody else reviews it', async () => {
    expect((await call('otherCounty', `/api/reports/submissions/${j1Report.id}/approve`, {})).status).toBe(404);
    expect((await call('city', `/api/reports/submissions/${j1Report.id}/approve`, {})).status).toBe(403);
    expect((await call('safety1', `/api/reports/submissions/${j1Report.id}/approve`, {})).status).toBe(403);
    const noReason = await call('county', `/api/reports/submissions/${j1Report.id}/return`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toMatch(/^body\.reason: /);

    const viewer = await fn.viewer(token.safety1);
    const told = nextEvent<any>(viewer, 'notification', (n) => n.kind === 'report.returned', 3000);
    const returned = await ok('county', `/api/reports/submissions/${j1Report.id}/return`, { reason: '检查次数与台账不符，请核对后重报' });
    expect(returned).toMatchObject({ state: 'returned', reviewedBy: 'county', returnReason: '检查次数与台账不符，请核对后重报' });
    expect(await told).toMatchObject({ siteId: J1, data: { submissionId: j1Report.id, month: prev, level: 'site', reason: '检查次数与台账不符，请核对后重报', by: 'county' } });
    expect((await call('county', `/api/reports/submissions/${j1Report.id}/approve`, {})).status).toBe(409);

    // resubmitted: the figures generated afresh (the check added since counts now)
    const again = await submitSite('safety1', J1, prev);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: j1Report.id, state: 'submitted', late: lateNow(prev), returnReason: '检查次数与台账不符，请核对后重报' });
    expect(again.body.figures.checks).toBe(2);
    const approved = await ok('county', `/api/reports/submissions/${j1Report.id}/approve`, {});
    expect(approved.state).toBe('approved');
    expect(approved.history.map((h: any) => [h.action, h.actor])).toEqual([['submitted', 'safety1'], ['returned', 'county'], ['submitted', 'safety1'], ['approved', 'county']]);
    j1Report = approved;
  });

  it('shows each bureau its institutions\' standing for the month, and no other county\'s', async () => {
    const county = await board('county', `month=${prev}`);
    expect(county).toMatchObject({ month: prev, region: { code: '220281' }, dueDate: `${monthBefore(prev, -1)}-21`, monthOver: true });
    expect(county.rows.map((r: any) => r.subject).sort()).toEqual([J1, J2]);
    expect(statusOf(county, J1)).toBe('approved');
    expect(statusOf(county, J2)).toBe(lateNow(prev) ? 'late' : 'missing');
    expect(county.own).toMatchObject({ level: 'county', subject: '220281', submission: null });
    expect(county.counts.approved).toBe(1);

    expect((await call('otherCounty', `/api/reports/submissions?month=${prev}&region=220281`)).status).toBe(403);
    expect((await board('otherCounty', `month=${prev}`)).rows.map((r: any) => r.subject)).toEqual([H1]);
    expect((await call('otherCounty', `/api/reports/submissions/${j1Report.id}`)).status).toBe(404);
    const own = await board('safety2', `month=${prev}`);
    expect(own.rows.map((r: any) => [r.subject, r.submission])).toEqual([[J2, null]]);
    expect(own.own).toBeNull();
  });

  it('submits the county\'s summary of its approved reports to the city, which sees and approves it, and the city\'s to the province', async () => {
    // before J2 is approved the summary would hold J1 only: J2 first
    const j2 = await submitSite('safety2', J2, prev);
    expect(j2.status).toBe(200);
    await ok('county', `/api/reports/submissions/${j2.body.id}/approve`, { note: '核对无误' });
    expect((await submitRegion('otherCounty', '220281', prev)).status).toBe(403);
    expect((await submitRegion('safety1', '220281', prev)).status).toBe(403);

    const summary = await submitRegion('county', '220281', prev);
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    countySummary = summary.body;
    expect(countySummary).toMatchObject({ level: 'county', subject: '220281', name: '蛟河市', reviewerCode: '220200', state: 'submitted', dueDate: `${monthBefore(prev, -1)}-23` });
    expect(countySummary.rows.map((r: any) => r.code)).toEqual([J1, J2]);
    // the county's figures are the sum of its institutions' approved reports
    const frozen = [j1Report.figures, j2.body.figures];
    for (const key of ['checks', 'hazardsFound', 'hazardsFoundByChecks', 'majorHazardsOpen', 'openWithPlans', 'openWithoutPlans', 'alarms', 'falseAlarms', 'devices']) {
      expect(countySummary.figures[key], key).toBe(frozen.reduce((n, f) => n + f[key], 0));
    }
    expect(countySummary.figures).toMatchObject({ code: '220281', level: 'county', checks: 3, majorHazardsOpen: 1 });

    const city = await board('city', `month=${prev}`);
    expect(city.rows.map((r: any) => r.subject).sort()).toEqual(['220281', '220282']);
    expect(statusOf(city, '220281')).toBe('submitted');
    expect(city.rows.find((r: any) => r.subject === '220281').submission.figures.checks).toBe(3);
    expect(city.own).toMatchObject({ level: 'city', subject: '220200' });
    expect((await call('otherCounty', `/api/reports/submissions/${countySummary.id}`)).status).toBe(404);
    expect((await call('county', `/api/reports/submissions/${countySummary.id}/approve`, {})).status).toBe(403);
    await ok('city', `/api/reports/submissions/${countySummary.id}/approve`, {});

    const citySummary = await submitRegion('city', '220200', prev);
    expect(citySummary.status).toBe(200);
    expect(citySummary.body).toMatchObject({ level: 'city', reviewerCode: '220000', figures: { checks: 3 } });
    const province = await board('province', `month=${prev}`);
    expect(statusOf(province, '220200')).toBe('submitted');
  });

  it('exports a submitted report and a summary as CSV', async () => {
    const get = (path: string) => fetch(`${fn.httpUrl}${path}`, { headers: { authorization: `Bearer ${token.county}` } });
    const one = await get(`/api/reports/submissions/${j1Report.id}/report.csv?lang=en`);
    expect(one.status).toBe(200);
    const lines = (await one.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.slice(0, 4)).toEqual(['Code', 'Name', 'Level', 'Checks']);
    // the monthly report's columns: issue 16's five, then the institutions' own duties (issue 15) last
    expect(lines[0]!.slice(-13, -8)).toEqual(['Hazards found by checks', 'Hazards found by sensors', 'Major hazards open', 'Overdue rectifications', 'Rectification rate']);
    expect(lines[0]!.at(-1)).toBe('Certificates expired');
    expect(lines[1]!.slice(0, 4)).toEqual([J1, '蛟河报送测试医院一', 'Institution', '2']);
    const summary = (await (await get(`/api/reports/submissions/${countySummary.id}/report.csv`)).text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(summary.map((l) => l[0])).toEqual(['地区代码', J1, J2, '220281']);
    expect(summary.at(-1)!.slice(1, 4)).toEqual(['合计 蛟河市', '县(区)', '3']);
  });

  it('flags the reports not submitted by their due day once, tells the institution and its county bureau, and marks a later submission late', async () => {
    const institution = await fn.viewer(token.safetyH);
    const bureau = await fn.viewer(token.otherCounty);
    const toInstitution = nextEvent<any>(institution, 'notification', (n) => n.kind === 'report.late' && n.data.month === older, 3000);
    const toBureau = nextEvent<any>(bureau, 'notification', (n) => n.kind === 'report.late' && n.data.subject === H1 && n.data.month === older, 3000);
    const toCounty = nextEvent<any>(bureau, 'notification', (n) => n.kind === 'report.late' && n.data.subject === '220282' && n.data.month === older, 3000);
    // the month before last is past due for every level by now: 3 institutions, 2 counties, the city, the province
    const flagged = await fn.jobs.flagLateReports();
    expect(flagged).toBeGreaterThanOrEqual(7);
    expect(await toInstitution).toMatchObject({ siteId: H1, data: { level: 'site', subject: H1, dueDate: `${prev}-21` } });
    await toBureau;
    expect(await toCounty).toMatchObject({ siteId: '220282', siteName: '桦甸市', data: { level: 'county' } });
    expect(await fn.jobs.flagLateReports()).toBe(0);

    const county = await board('otherCounty', `month=${older}`);
    expect(county.rows).toMatchObject([{ subject: H1, status: 'late', late: true, submission: null }]);
    expect(county.own).toMatchObject({ status: 'late' });
    const late = await submitSite('safetyH', H1, older);
    expect(late.body).toMatchObject({ state: 'submitted', late: true });
    expect(statusOf(await board('otherCounty', `month=${older}`), H1)).toBe('submitted');
  });

  it('scores each institution by the rules with its reasons, ranked within the bureau\'s region, and only there', async () => {
    const card = await ok('county', `/api/scorecard?month=${prev}`);
    expect(card).toMatchObject({ month: prev, region: { code: '220281' }, base: 100 });
    expect(card.institutions.map((i: any) => i.siteId).sort()).toEqual([J1, J2]);
    const j1 = card.institutions.find((i: any) => i.siteId === J1);
    // the open major hazard at the month's end, and the report (submitted on time or late)
    expect(j1.points).toContainEqual({ rule: 'major_hazards_open', metric: 'major_hazards_open', value: 1, threshold: null, units: 1, points: -5, capped: false });
    expect(j1.points).toContainEqual(expect.objectContaining(lateNow(prev) ? { rule: 'report_late', points: -5 } : { rule: 'report_on_time', points: 2 }));
    // never recorded a drill, training or plan: all five requirements overdue (3 each, at the cap of 15)
    expect(j1.points).toContainEqual(expect.objectContaining({ rule: 'preparedness_overdue', units: 5, points: -15 }));
    // registered this month: no check was owed last month
    expect(j1.points.map((p: any) => p.rule)).not.toContain('checks_missed');
    for (const i of card.institutions) expect(i.score).toBe(Math.max(0, 100 + i.points.reduce((n: number, p: any) => n + p.points, 0)));
    const sorted = [...card.institutions].sort((a: any, b: any) => b.score - a.score);
    expect(card.institutions.map((i: any) => i.score)).toEqual(sorted.map((i: any) => i.score));
    expect(card.institutions[0].rank).toBe(1);

    expect((await call('otherCounty', `/api/scorecard?month=${prev}&region=220281`)).status).toBe(403);
    expect((await ok('otherCounty', `/api/scorecard?month=${prev}`)).institutions.map((i: any) => i.siteId)).toEqual([H1]);
    expect((await ok('safety1', `/api/scorecard?month=${prev}`)).institutions.map((i: any) => i.siteId)).toEqual([J1]);
    expect((await ok('city', `/api/scorecard?month=${prev}`)).institutions).toHaveLength(3);
  });

  it('counts a notice received and follows a rule changed by an admin (a new version, audited); others may not change it', async () => {
    expect((await call('county', '/api/supervision/notices', { title: '消防安全检查通报', findings: '疏散通道堆放杂物', siteIds: [J1] })).status).toBe(201);
    const now = await ok('county', `/api/scorecard?month=${thisMonth()}`);
    expect(now.institutions.find((i: any) => i.siteId === J1).points).toContainEqual(expect.objectContaining({ rule: 'notices', value: 1, points: -3 }));
    expect(now.institutions.find((i: any) => i.siteId === J2).points.map((p: any) => p.rule)).not.toContain('notices');

    const body = { metric: 'major_hazards_open', points: -10, cap: 30 };
    expect((await call('county', '/api/scorecard/rules/major_hazards_open', body)).status).toBe(404); // POST is no route
    const put = (who: Who, b: unknown) => fn.api<any>('/api/scorecard/rules/major_hazards_open', { method: 'PUT', body: b, token: token[who] });
    expect((await put('county', body)).status).toBe(403);
    const zero = await put('admin', { ...body, points: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.message).toMatch(/^body\.points: /);
    const changed = await put('admin', body);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ code: 'major_hazards_open', points: -10, cap: 30, version: 2, updatedBy: 'admin' });
    const card = await ok('county', `/api/scorecard?month=${prev}`);
    expect(card.rules).toContainEqual({ code: 'major_hazards_open', version: 2 });
    expect(card.institutions.find((i: any) => i.siteId === J1).points).toContainEqual(expect.objectContaining({ rule: 'major_hazards_open', points: -10 }));
    const audit = (await ok('admin', '/api/audit?limit=20')).find((e: any) => e.action === 'PUT /api/scorecard/rules/:code');
    expect(audit).toMatchObject({ actor: 'admin', details: { values: { metric: 'major_hazards_open', points: -10 }, status: 200 } });
  });

  it('exports a year\'s scores per institution as CSV for the annual appraisal', async () => {
    const year = prev.slice(0, 4);
    const res = await fetch(`${fn.httpUrl}/api/scorecard.csv?year=${year}`, { headers: { authorization: `Bearer ${token.county}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`firenet-scorecard-220281-${year}.csv`);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(lines[0]!.slice(0, 4)).toEqual(['机构编号', '机构名称', '县(区)代码', '1月']);
    expect(lines[0]!.at(-1)).toBe('年度平均分');
    expect(lines.slice(1).map((l) => l[0]).sort()).toEqual([J1, J2]);
    const card = await ok('county', `/api/scorecard?month=${prev}`);
    const column = lines[0]!.indexOf(`${Number(prev.slice(5))}月`);
    expect(Number(lines.find((l) => l[0] === J1)![column])).toBe(card.institutions.find((i: any) => i.siteId === J1).score);
    expect((await call('county', '/api/scorecard.csv?year=24')).status).toBe(400);
  });
});
