// The risk register (一院一清单) through the API of a real FireNet: a safety manager registers, reassesses and retires
// risk points at their institution, the level follows from likelihood × severity, everyone reads within their scope
// (the other county's points are absent or 404), every change is audited, and the overview colours an institution by
// its worst registered risk apart from its open hazards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const A = 'risk-jh';
const B = 'risk-hd';
const USERS = {
  county: { role: 'bureau', regionCode: '220281', siteIds: [] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] },
  safety: { role: 'safety_manager', regionCode: null, siteIds: [A] },
  operator: { role: 'operator', regionCode: null, siteIds: [A] },
} as const;
type Who = keyof typeof USERS | 'admin';

let fn: TestFireNet;
const token = {} as Record<Who, string>;

const point = (siteId: string, over: Record<string, unknown> = {}) => ({
  siteId, place: '住院楼 B1 配电室', hazardSource: '配电柜线路老化、过载', category: 'electrical', likelihood: 4, severity: 5,
  controls: '每周红外测温，设专人巡查，配备干粉灭火器', responsible: { name: '王强', post: '后勤保障科科长', phone: '0432-6522xxxx' },
  reviewBy: '2099-06-30', ...over,
});
const register = async (who: Who, body: unknown) => fn.api<any>('/api/risks', { body, token: token[who] });

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite(A, '220281', '蛟河风险测试医院');
  await fn.provisionSite(B, '220282', '桦甸风险测试医院');
  token.admin = fn.adminToken;
  Object.assign(token, await signInUsers(fn, USERS));
}, 60_000);
afterAll(() => fn?.stop());

describe('risk register', () => {
  it('registers a point with the level its ratings give, and refuses a body naming the field', async () => {
    const res = await register('safety', point(A));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ siteId: A, regionCode: '220281', score: 20, level: 'major', reviewOverdue: false, createdBy: 'safety', retiredAt: null });
    expect(res.body.responsible).toEqual({ name: '王强', post: '后勤保障科科长', phone: '0432-6522xxxx' });

    for (const [body, field] of [
      [point(A, { likelihood: 6 }), 'likelihood'], [point(A, { place: '' }), 'place'], [point(A, { reviewBy: '30/06/2099' }), 'reviewBy'], [point(A, { reviewBy: '2026-02-30' }), 'reviewBy'], [point(A, { reviewBy: '0000-00-00' }), 'reviewBy'],
      [point(A, { category: 'ghosts' }), 'category'], [point(A, { level: 'low', likelihood: undefined }), 'likelihood'],
    ] as const) {
      const bad = await register('safety', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(field);
    }
  });

  it('lets admins and safety managers register within their scope only', async () => {
    expect((await register('operator', point(A))).status).toBe(403);
    expect((await register('county', point(A))).status).toBe(403);
    expect((await register('safety', point(B))).status).toBe(404);
    const atB = await register('admin', point(B, { likelihood: 2, severity: 3, category: 'ebike_charging', place: '车棚' }));
    expect(atB.status).toBe(201);
    expect(atB.body.level).toBe('general');
  });

  it('shows each reader exactly the points of its institutions', async () => {
    const sees: Record<Who, string[]> = { admin: [A, B], county: [A], otherCounty: [B], safety: [A], operator: [A] };
    for (const [who, sites] of Object.entries(sees) as [Who, string[]][]) {
      const res = await fn.api<any[]>('/api/risks', { token: token[who] });
      expect(res.status, who).toBe(200);
      expect([...new Set(res.body.map((p) => p.siteId))].sort(), who).toEqual([...sites].sort());
    }
    const [atA] = (await fn.api<any[]>(`/api/risks?siteId=${A}`)).body;
    expect((await fn.api(`/api/risks/${atA.id}`, { token: token.otherCounty })).status).toBe(404);
    expect((await fn.api(`/api/risks/${atA.id}`, { token: token.county })).status).toBe(200);
    expect((await fn.api<any[]>('/api/risks?region=220281', { token: token.otherCounty })).body).toEqual([]);
    // worst first
    expect((await fn.api<any[]>('/api/risks')).body.map((p) => p.level)).toEqual(['major', 'general']);
  });

  it('reassesses a point: new ratings recompute the level, the audit log keeps what it was', async () => {
    const [atA] = (await fn.api<any[]>(`/api/risks?siteId=${A}`)).body;
    expect((await fn.api(`/api/risks/${atA.id}`, { method: 'PATCH', body: { severity: 2 }, token: token.operator })).status).toBe(403);
    expect((await fn.api(`/api/risks/${atA.id}`, { method: 'PATCH', body: {}, token: token.safety })).status).toBe(400);
    const res = await fn.api<any>(`/api/risks/${atA.id}`, { method: 'PATCH', body: { severity: 2, controls: '线路已更换，每月测温' }, token: token.safety });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ likelihood: 4, severity: 2, score: 8, level: 'general', controls: '线路已更换，每月测温', updatedBy: 'safety' });

    const audit = (await fn.api<any[]>('/api/audit?limit=50')).body.find((e) => e.target === `/api/risks/${atA.id}` && e.action.startsWith('PATCH'));
    expect(audit, 'the reassessment is audited').toBeTruthy();
    expect(audit.details.before).toMatchObject({ level: 'major', severity: 5 });
  });

  it('flags a point past its review date and lists the overdue ones', async () => {
    const late = await register('safety', point(A, { place: '药库', category: 'hazardous_chemicals', likelihood: 3, severity: 5, reviewBy: '2020-01-31' }));
    expect(late.body).toMatchObject({ level: 'significant', reviewOverdue: true });
    const overdue = (await fn.api<any[]>('/api/risks?reviewOverdue=true', { token: token.county })).body;
    expect(overdue.map((p) => p.id)).toEqual([late.body.id]);
  });

  it('colours the overview by the worst registered risk apart from open hazards, and a retired point leaves the register', async () => {
    const overview = async () => (await fn.api<any>('/api/overview?region=220281', { token: token.county })).body;
    let child = (await overview()).children.find((c: any) => c.code === A);
    expect(child).toMatchObject({ worstRegisteredRisk: 'significant', worstRisk: null });
    const summary = (await fn.api<any[]>('/api/risks/summary', { token: token.county })).body;
    expect(summary).toEqual([{ siteId: A, siteName: '蛟河风险测试医院', regionCode: '220281', worst: 'significant', counts: { major: 0, significant: 1, general: 1, low: 0 }, reviewOverdue: 1 }]);

    const [worst] = (await fn.api<any[]>(`/api/risks?siteId=${A}&level=significant`)).body;
    expect((await fn.api(`/api/risks/${worst.id}/retire`, { body: { note: '' }, token: token.safety })).status).toBe(400);
    const retired = await fn.api<any>(`/api/risks/${worst.id}/retire`, { body: { note: '药库已搬迁' }, token: token.safety });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ retiredBy: 'safety', retiredNote: '药库已搬迁', reviewOverdue: false });
    expect((await fn.api(`/api/risks/${worst.id}/retire`, { body: { note: '再次' }, token: token.safety })).status).toBe(409);
    expect((await fn.api(`/api/risks/${worst.id}`, { method: 'PATCH', body: { severity: 1 }, token: token.safety })).status).toBe(409);

    child = (await overview()).children.find((c: any) => c.code === A);
    expect(child.worstRegisteredRisk).toBe('general');
    expect((await overview()).summary.worstRegisteredRisk).toBe('general');
    expect((await fn.api<any[]>(`/api/risks?siteId=${A}`)).body.map((p) => p.id)).not.toContain(worst.id);
    expect((await fn.api<any[]>(`/api/risks?siteId=${A}&retired=true`)).body.map((p) => p.id)).toContain(worst.id);
  });
});
