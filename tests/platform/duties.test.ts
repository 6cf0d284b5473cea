// The institution's own duties (issue 15) through the API of a real FireNet: institutions with kind, grade and their
// responsible persons, filtered by bureaus; the public page without sign-in; 日周月 checks against versioned
// checklists, a failed item opening a linked hazard ticket or fixed on the spot, completion, missed checks flagged
// the morning after; and every new list and record scoped across counties.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../platform/reports/calendar.js';
import { nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const DAY = 86_400_000;
/** 蛟河市 220281: a 二级 general hospital (重点单位) and a township clinic; 桦甸市 220282: a private care home (高危). */
const A = { id: 'duty-jh-rmyy', name: '蛟河市人民医院', regionCode: '220281', kind: 'general_hospital', grade: 'grade2', keyUnit: true, beds: 450,
  fireSafetyResponsible: { name: '王建国', post: '院长', phone: '0432-62345678' }, fireSafetyManager: { name: '李明', post: '保卫科科长', phone: '13904321234' } };
const C = { id: 'duty-jh-tg', name: '蛟河市天岗镇卫生院', regionCode: '220281', kind: 'township_health_center', grade: 'grade1' };
const B = { id: 'duty-hd-ylzx', name: '桦甸市康乐养老院', regionCode: '220282', kind: 'elderly_care', ownership: 'private', highRisk: true };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082', 'hex');

let fn: TestFireNet;
const token = {} as Record<'safetyA' | 'safetyB' | 'county' | 'otherCounty' | 'city', string>;

type Template = { id: string; version: number; items: { code: string; label: string | null }[] };
const template = async (kind: string, rhythm: string): Promise<Template> =>
  (await fn.api<Template[]>(`/api/check-templates?institutionKind=${kind}&rhythm=${rhythm}`)).body[0]!;
const allPass = (t: Template) => t.items.map((i) => ({ code: i.code, result: 'pass' }));
const submit = (body: unknown, t: string | undefined = token.safetyA) => fn.api<any>('/api/checks', { body, token: t });

beforeAll(async () => {
  fn = await startTestFireNet();
  for (const site of [A, B, C]) {
    const res = await fn.api('/api/sites', { body: site });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const users = {
    safetyA: { role: 'safety_manager', siteIds: [A.id] },
    safetyB: { role: 'safety_manager', siteIds: [B.id] },
    county: { role: 'bureau', regionCode: '220281' },
    otherCounty: { role: 'bureau', regionCode: '220282' },
    city: { role: 'bureau', regionCode: '220200' },
  };
  for (const [name, scope] of Object.entries(users)) {
    const res = await fn.api('/api/users', { body: { username: `duty-${name}`, password: 'long-enough-pw', ...scope } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    token[name as keyof typeof token] = await fn.login(`duty-${name}`, 'long-enough-pw');
  }
}, 60_000);

afterAll(async () => {
  await fn?.stop();
});

describe('institutions as the seeds describe them', () => {
  it('keeps kind, grade, ownership, flags, beds and the responsible persons; maps the old hospital kinds; refuses unknown codes', async () => {
    const sites = new Map((await fn.api<any[]>('/api/sites')).body.map((s) => [s.id, s]));
    expect(sites.get(A.id)).toMatchObject({ ...A, ownership: 'public', highRisk: false });
    expect(sites.get(C.id)).toMatchObject({ kind: 'primary_care', grade: 'grade1', keyUnit: false, fireSafetyResponsible: null });
    expect(sites.get(B.id)).toMatchObject({ kind: 'elderly_care', grade: 'ungraded', ownership: 'private', highRisk: true, beds: null });
    const legacy = await fn.api('/api/sites', { body: { id: 'duty-legacy', name: '旧接口医院', regionCode: '220281', kind: 'hospital' } });
    expect([legacy.status, legacy.body.kind]).toEqual([201, 'general_hospital']);
    expect((await fn.api('/api/sites', { body: { ...A, kind: 'spa' } })).status).toBe(400);
    expect((await fn.api('/api/sites', { body: { ...A, grade: '三级' } })).status).toBe(400);
  });

  it('filters the institutions by kind, grade, ownership and flags, within the bureau\'s county only', async () => {
    const ids = async (query: string, t?: string) => (await fn.api<any[]>(`/api/sites?${query}`, { token: t })).body.map((s) => s.id).sort();
    expect(await ids('keyUnit=true', token.county)).toEqual([A.id]);
    expect(await ids('keyUnit=true', token.otherCounty)).toEqual([]);
    expect(await ids('highRisk=true&ownership=private', token.city)).toEqual([B.id]);
    expect(await ids('highRisk=true', token.county)).toEqual([]);
    expect(await ids('kind=primary_care', token.county)).toEqual([C.id]);
    expect(await ids('grade=grade2&kind=general_hospital')).toEqual([A.id]);
    const res = await fn.api('/api/sites?kind=elderly_care', { token: token.city });
    expect([res.status, res.body.length]).toEqual([200, 1]);
    expect((await fn.api('/api/sites?keyUnit=yes')).status).toBe(400);
  });

  it('filters the hazard tickets and alarms by the institution\'s kind', async () => {
    const atB = await fn.api<any>('/api/tickets', { body: { siteId: B.id, title: '楼道电动车充电', level: 'significant' }, token: token.safetyB });
    expect(atB.status).toBe(201);
    const list = (await fn.api<any[]>('/api/tickets?kind=elderly_care')).body;
    expect(list.map((t) => t.id)).toEqual([atB.body.id]);
    expect((await fn.api<any[]>('/api/tickets?kind=elderly_care', { token: token.county })).body).toEqual([]);
    expect((await fn.api<any[]>('/api/tickets?highRisk=true&institutionGrade=ungraded')).body.map((t) => t.id)).toEqual([atB.body.id]);
    expect((await fn.api('/api/alarms?kind=general_hospital')).status).toBe(200);
    expect((await fn.api('/api/workorders?highRisk=true&kind=elderly_care')).status).toBe(200);
    expect((await fn.api('/api/workorders?kind=hotel')).status).toBe(400);
  });

  it('narrows the overview and the monthly report to the institutions asked for', async () => {
    const all = await fn.api<any>('/api/overview?region=220281', { token: token.county });
    expect(all.body.children.map((c: any) => c.code).sort()).toEqual(expect.arrayContaining([A.id, C.id]));
    const clinics = await fn.api<any>('/api/overview?region=220281&kind=primary_care', { token: token.county });
    expect([clinics.status, clinics.body.children.map((c: any) => c.code), clinics.body.summary.institutions]).toEqual([200, [C.id], 1]);
    const homes = await fn.api<any>('/api/overview?region=220200&ownership=private', { token: token.city });
    expect(homes.body.summary.institutions).toBe(1);
    expect(homes.body.summary.openHazards.significant).toBe(1);
    const report = await fn.api<any>('/api/reports/monthly?region=220281&keyUnit=true', { token: token.county });
    expect([report.status, report.body.rows.map((r: any) => r.code)]).toEqual([200, [A.id]]);
  });
});

describe('the public page (两公开)', () => {
  it('shows the responsible persons without sign-in behind the institution\'s link; a wrong token is 404; an admin rotates it', async () => {
    const link = await fn.api<{ token: string; path: string }>(`/api/sites/${A.id}/public-link`, { token: token.safetyA });
    expect(link.status).toBe(200);
    expect(link.body.token.length).toBeGreaterThanOrEqual(43);
    const open = await fn.api(`/api/public/institutions/${link.body.token}`, { token: null });
    expect(open.status).toBe(200);
    expect(open.body).toEqual({
      name: A.name, kind: 'general_hospital', grade: 'grade2', ownership: 'public', keyUnit: true, highRisk: false, regionCode: '220281', address: null,
      fireSafetyResponsible: A.fireSafetyResponsible, fireSafetyManager: A.fireSafetyManager,
    });
    const page = await fetch(`${fn.httpUrl}${link.body.path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(A.name);
    expect(html).toContain('王建国');
    expect(html).toContain('消防安全管理人');
    expect((await fn.api(`/api/public/institutions/${link.body.token.slice(0, -2)}xx`, { token: null })).status).toBe(404);
    expect((await fetch(`${fn.httpUrl}/public/institutions/not-a-token`)).status).toBe(404);
    // another institution's safety manager learns nothing of it; only an admin rotates
    expect((await fn.api(`/api/sites/${A.id}/public-link`, { token: token.safetyB })).status).toBe(404);
    expect((await fn.api(`/api/sites/${A.id}/public-link`, { token: token.county })).status).toBe(403);
    expect((await fn.api(`/api/sites/${A.id}/public-link`, { body: {}, token: token.safetyA })).status).toBe(403);
    const rotated = await fn.api<{ token: string }>(`/api/sites/${A.id}/public-link`, { body: {} });
    expect(rotated.status).toBe(200);
    expect((await fn.api(`/api/public/institutions/${link.body.token}`, { token: null })).status).toBe(404);
    expect((await fn.api(`/api/public/institutions/${rotated.body.token}`, { token: null })).status).toBe(200);
  });
});

describe('日周月 checks', () => {
  it('opens a hazard ticket linked to the check for a failed item, counts one fixed on the spot apart, and keeps its photo', async () => {
    const t = await template('general_hospital', 'daily');
    const [first, second] = t.items;
    const items = allPass(t).map((i) => (i.code === first!.code
      ? { ...i, result: 'fail', note: '3号楼灭火器压力不足', hazard: { level: 'significant', location: '3号楼二层' } }
      : i.code === second!.code ? { ...i, result: 'fail', note: '防火门被楔子顶开', fixedOnSpotBy: '李明' } : i));
    const viewer = await fn.viewer(token.county);
    const pushed = nextEvent<{ data: Record<string, unknown> }>(viewer, 'ticket', (t) => t.data.checkItem === first!.code, 5000);
    const res = await submit({ siteId: A.id, rhythm: 'daily', items });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const check = res.body;
    // the bureau of the county sees the new hazard at once, as any other
    expect((await pushed).data.checkId).toBe(check.id);
    expect(check).toMatchObject({ siteId: A.id, rhythm: 'daily', templateId: 'general_hospital.daily', templateVersion: t.version, period: localDate(Date.now()),
      performedBy: 'duty-safetyA', passed: t.items.length - 2, failed: 2, fixedOnSpot: 1, hazardsOpened: 1 });
    const failed = check.items.find((i: any) => i.code === first!.code);
    const fixed = check.items.find((i: any) => i.code === second!.code);
    expect(fixed).toMatchObject({ result: 'fail', fixedOnSpotBy: '李明', ticketId: null });
    expect(failed.ticketId).toEqual(expect.any(String));
    const ticket = await fn.api<any>(`/api/tickets/${failed.ticketId}`, { token: token.safetyA });
    expect(ticket.body).toMatchObject({ siteId: A.id, state: 'reported', level: 'significant', location: '3号楼二层', title: '3号楼灭火器压力不足', reportedBy: 'duty-safetyA',
      data: { checkId: check.id, checkItem: first!.code, rhythm: 'daily' } });
    // the ticket's lifecycle applies as to any other
    const registered = await fn.api(`/api/tickets/${failed.ticketId}/transition`, { body: { to: 'registered', owner: '后勤科 张强', funds: '500 元', measures: '更换灭火器', deadline: '2030-01-01T00:00:00+08:00', contingencyPlan: '临时增配' }, token: token.safetyA });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    // the change is in the audit log
    const audit = (await fn.api<any[]>('/api/audit')).body;
    expect(audit.some((e) => e.action === 'POST /api/checks' && e.target.endsWith(check.id))).toBe(true);

    const upload = await fetch(`${fn.httpUrl}/api/checks/${check.id}/items/${second!.code}/photos`, { method: 'POST', headers: { authorization: `Bearer ${token.safetyA}`, 'content-type': 'image/png' }, body: PNG });
    expect(upload.status).toBe(201);
    const { url } = await upload.json() as { url: string };
    const photo = await fetch(fn.httpUrl + url, { headers: { authorization: `Bearer ${token.county}` } });
    expect([photo.status, Buffer.from(await photo.arrayBuffer()).equals(PNG)]).toEqual([200, true]);
    expect((await fetch(fn.httpUrl + url, { headers: { authorization: `Bearer ${token.otherCounty}` } })).status).toBe(404);
    const again = await fn.api<any>(`/api/checks/${check.id}`, { token: token.county });
    expect(again.body.items.find((i: any) => i.code === second!.code).photos).toHaveLength(1);
  });

  it('refuses a check that does not follow the checklist, or by someone who may not do it', async () => {
    const t = await template('general_hospital', 'daily');
    expect((await submit({ siteId: A.id, rhythm: 'daily', items: allPass(t).slice(1) })).status).toBe(400);
    expect((await submit({ siteId: A.id, rhythm: 'daily', items: [...allPass(t), { code: 'not_on_it', result: 'pass' }] })).status).toBe(400);
    expect((await submit({ siteId: A.id, rhythm: 'daily', items: allPass(t).map((i, n) => (n ? i : { ...i, fixedOnSpotBy: '李明' })) })).status).toBe(400);
    expect((await submit({ siteId: B.id, rhythm: 'daily', items: allPass(t) })).status).toBe(404);
    expect((await submit({ siteId: A.id, rhythm: 'daily', items: allPass(t) }, token.county)).status).toBe(403);
    expect((await submit({ siteId: A.id, rhythm: 'daily', performedAt: new Date(Date.now() + DAY).toISOString(), items: allPass(t) })).status).toBe(400);
  });

  it('versions a checklist on each edit; a check keeps the version it was done against', async () => {
    const v1 = await template('elderly_care', 'weekly');
    const before = await submit({ siteId: B.id, rhythm: 'weekly', items: allPass(v1) }, token.safetyB);
    expect(before.status).toBe(201);
    const items = [...v1.items, { code: 'bedridden_evacuation_aids', label: '失能老人疏散辅具到位' }];
    expect((await fn.api(`/api/check-templates/${v1.id}`, { method: 'PUT', body: { items, basedOn: v1.version }, token: token.safetyB })).status).toBe(403);
    const v2 = await fn.api<Template>(`/api/check-templates/${v1.id}`, { method: 'PUT', body: { items, basedOn: v1.version } });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body).toMatchObject({ version: v1.version + 1, items });
    expect((await fn.api(`/api/check-templates/${v1.id}`, { method: 'PUT', body: { items, basedOn: v1.version } })).status).toBe(409);
    expect((await fn.api<Template[]>(`/api/check-templates/${v1.id}/versions`)).body.map((t) => t.version)).toEqual([v1.version + 1, v1.version]);
    // the check done before still names version 1; a new one needs the new item, or names the version it followed
    expect((await fn.api<any>(`/api/checks/${before.body.id}`, { token: token.safetyB })).body.templateVersion).toBe(v1.version);
    expect((await submit({ siteId: B.id, rhythm: 'weekly', items: allPass(v1) }, token.safetyB)).status).toBe(400);
    const after = await submit({ siteId: B.id, rhythm: 'weekly', items: allPass(v2.body) }, token.safetyB);
    expect([after.status, after.body.templateVersion]).toEqual([201, v1.version + 1]);
    expect(after.body.items.at(-1)).toMatchObject({ code: 'bedridden_evacuation_aids', label: '失能老人疏散辅具到位', result: 'pass' });
    const pinned = await submit({ siteId: B.id, rhythm: 'weekly', templateVersion: v1.version, items: allPass(v1) }, token.safetyB);
    expect([pinned.status, pinned.body.templateVersion]).toEqual([201, v1.version]);
  });

  it('gives completion per institution and county: done / owed, a set rhythm counted', async () => {
    const today = localDate(Date.now());
    const tomorrow = localDate(Date.now() + DAY);
    const t = await template('primary_care', 'daily');
    // C owes two daily checks and does one today; A did one (above)
    expect((await fn.api(`/api/sites/${C.id}/check-rhythm`, { method: 'PUT', body: { daily: 2, weekly: 1, monthly: 1 }, token: token.safetyA })).status).toBe(403);
    expect((await fn.api(`/api/sites/${C.id}/check-rhythm`, { method: 'PUT', body: { daily: 2, weekly: 1, monthly: 1 } })).status).toBe(200);
    expect((await fn.api(`/api/sites/${C.id}/check-rhythm`, { token: token.county })).body).toEqual({ daily: 2, weekly: 1, monthly: 1 });
    expect((await submit({ siteId: C.id, rhythm: 'daily', items: allPass(t) }, fn.adminToken)).status).toBe(201);
    const res = await fn.api<any>(`/api/checks/completion?from=${today}&to=${tomorrow}`, { token: token.county });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const bySite = new Map(res.body.institutions.map((i: any) => [i.siteId, i]));
    expect([...bySite.keys()].sort()).toEqual([A.id, C.id, 'duty-legacy'].sort());
    expect((bySite.get(A.id) as any).byRhythm.daily).toEqual({ expected: 1, done: 1, rate: 1 });
    expect(bySite.get(A.id)).toMatchObject({ fixedOnSpot: 1, hazardsOpened: 1 });
    expect((bySite.get(C.id) as any).byRhythm.daily).toEqual({ expected: 2, done: 1, rate: 0.5 });
    expect((bySite.get('duty-legacy') as any).byRhythm.daily).toEqual({ expected: 1, done: 0, rate: 0 });
    const county = res.body.regions.find((r: any) => r.regionCode === '220281');
    expect(county).toMatchObject({ institutions: 3, fixedOnSpot: 1, hazardsOpened: 1 });
    expect(county.byRhythm.daily).toEqual({ expected: 4, done: 2, rate: 0.5 });
    expect(res.body.total.byRhythm.daily).toEqual(county.byRhythm.daily);
    // the other county sees only its own; a kind filter narrows
    const other = await fn.api<any>(`/api/checks/completion?from=${today}&to=${tomorrow}`, { token: token.otherCounty });
    expect(other.body.institutions.map((i: any) => i.siteId)).toEqual([B.id]);
    const clinics = await fn.api<any>(`/api/checks/completion?from=${today}&to=${tomorrow}&kind=primary_care`, { token: token.city });
    expect(clinics.body.institutions.map((i: any) => i.siteId)).toEqual([C.id]);
    expect((await fn.api(`/api/checks/completion?from=${tomorrow}&to=${today}`)).status).toBe(400);
    // the monthly report counts the checklist checks among the checks done
    const report = await fn.api<any>('/api/reports/monthly?region=220281&kind=primary_care', { token: token.county });
    expect(report.body.rows.map((r: any) => [r.code, r.checks])).toEqual([[C.id, 1]]);
  });

  it('flags a missed daily check the morning after, once', async () => {
    // 09:00 tomorrow, local time: today's daily checks are due
    const morning = Date.parse(`${localDate(Date.now() + DAY)}T09:00:00+08:00`);
    expect(await fn.jobs.flagMissedChecks(morning)).toBeGreaterThan(0);
    const today = localDate(Date.now());
    const missed = (await fn.api<any[]>('/api/checks/missed?rhythm=daily', { token: token.county })).body;
    expect(missed.filter((m) => m.period === today).map((m) => [m.siteId, m.expected, m.done]).sort()).toEqual([
      [C.id, 2, 1], ['duty-legacy', 1, 0],
    ]);
    expect((await fn.api<any[]>(`/api/checks/missed?siteId=${C.id}`, { token: token.otherCounty })).body).toEqual([]);
    expect((await fn.api<any[]>('/api/checks/missed?rhythm=daily', { token: token.otherCounty })).body.map((m) => m.siteId)).toEqual([B.id]);
    const total = Number((await fn.api('/api/checks/missed?limit=1')).status === 200 && (await fetch(`${fn.httpUrl}/api/checks/missed?limit=1`, { headers: { authorization: `Bearer ${fn.adminToken}` } })).headers.get('x-total-count'));
    expect(await fn.jobs.flagMissedChecks(morning + 3_600_000)).toBe(0);
    const again = Number((await fetch(`${fn.httpUrl}/api/checks/missed?limit=1`, { headers: { authorization: `Bearer ${fn.adminToken}` } })).headers.get('x-total-count'));
    expect(again).toBe(total);
  });

  it('scopes every list and record of checks across counties', async () => {
    const mine = (await fn.api<any[]>('/api/checks', { token: token.county })).body;
    expect(new Set(mine.map((c) => c.regionCode))).toEqual(new Set(['220281']));
    const theirs = (await fn.api<any[]>('/api/checks', { token: token.otherCounty })).body;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((c) => c.siteId === B.id)).toBe(true);
    expect((await fn.api<any[]>('/api/checks', { token: token.city })).body.length).toBe(mine.length + theirs.length);
    expect((await fn.api(`/api/checks/${mine[0].id}`, { token: token.otherCounty })).status).toBe(404);
    expect((await fn.api(`/api/checks/${theirs[0].id}`, { token: token.safetyA })).status).toBe(404);
    expect((await fn.api(`/api/checks/${theirs[0].id}`, { token: token.city })).status).toBe(200);
    expect((await fn.api(`/api/sites/${A.id}/check-rhythm`, { token: token.otherCounty })).status).toBe(404);
    expect((await fn.api<any[]>(`/api/checks?siteId=${A.id}`, { token: token.otherCounty })).body).toEqual([]);
    const photo = await fetch(`${fn.httpUrl}/api/checks/${mine[0].id}/items/${mine[0].items[0].code}/photos`, { method: 'POST', headers: { authorization: `Bearer ${token.safetyB}`, 'content-type': 'image/png' }, body: PNG });
    expect(photo.status).toBe(404);
    expect((await fn.api<any[]>('/api/checks?rhythm=weekly&kind=elderly_care', { token: token.city })).body.every((c) => c.siteId === B.id)).toBe(true);
  });
});
