// Training, plans and drills and the on-site fire team through a real FireNet: recorded by the safety manager with
// photos and PDFs, read within scope, each institution's overdue rhythms, the fire team and its equipment checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../platform/reports/calendar.js';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const A = 'prep-jh';
const B = 'prep-hd';
const USERS = {
  county: { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] as string[] },
  safety: { role: 'safety_manager', regionCode: null, siteIds: [A] },
  operator: { role: 'operator', regionCode: null, siteIds: [A] },
};
type Who = keyof typeof USERS | 'admin';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5e1d4f40000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let fn: TestFireNet;
const token = {} as Record<Who, string>;
const daysAgo = (n: number) => localDate(Date.now() - n * 86_400_000);

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite(A, '220281', '蛟河演练测试医院');
  await fn.provisionSite(B, '220282', '桦甸演练测试医院');
  token.admin = fn.adminToken;
  Object.assign(token, await signInUsers(fn, USERS));
}, 60_000);
afterAll(() => fn?.stop());

const record = (over: Record<string, unknown>, who: Who = 'safety') => fn.api<any>('/api/preparedness', {
  body: { siteId: A, kind: 'drill', topic: 'evacuation', on: daysAgo(10), title: '住院部夜间疏散逃生演练', participants: 46, participantNames: '住院部医护、保安队', evaluation: '疏散用时 6 分钟；2 号楼梯指示灯不亮，已报修', ...over },
  token: token[who],
});
const upload = (id: string, bytes: Buffer, type: string, name?: string, who: Who = 'safety') =>
  fetch(`${fn.httpUrl}/api/preparedness/${id}/attachments${name ? `?name=${encodeURIComponent(name)}` : ''}`, { method: 'POST', headers: { authorization: `Bearer ${token[who]}`, 'content-type': type }, body: new Uint8Array(bytes) });

describe('training, plans and drills', () => {
  it('records a drill with its evaluation, and its photo and plan as attachments', async () => {
    const drill = await record({});
    expect(drill.status, JSON.stringify(drill.body)).toBe(201);
    expect(drill.body).toMatchObject({ siteId: A, kind: 'drill', topic: 'evacuation', participants: 46, attachments: [], createdBy: 'safety' });

    const photo = await upload(drill.body.id, PNG, 'image/png');
    expect(photo.status).toBe(201);
    const pdf = await upload(drill.body.id, PDF, 'application/pdf', '疏散预案.pdf');
    expect(pdf.status).toBe(201);
    expect((await upload(drill.body.id, Buffer.from('not a picture'), 'image/png')).status).toBe(415);
    expect((await upload(drill.body.id, PNG, 'image/png', undefined, 'operator')).status).toBe(403);

    const got = (await fn.api<any>(`/api/preparedness/${drill.body.id}`, { token: token.county })).body;
    expect(got.attachments.map((a: any) => [a.name, a.contentType])).toEqual([['photo', 'image/png'], ['疏散预案.pdf', 'application/pdf']]);
    const file = await fetch(fn.httpUrl + got.attachments[1].url, { headers: { authorization: `Bearer ${token.county}` } });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await fetch(fn.httpUrl + got.attachments[1].url, { headers: { authorization: `Bearer ${token.otherCounty}` } })).status).toBe(404);
  });

  it('refuses what is not the caller\'s to record, a day ahead, or a body naming a wrong field', async () => {
    expect((await record({}, 'operator')).status).toBe(403);
    expect((await record({}, 'county')).status).toBe(403);
    expect((await record({ siteId: B })).status).toBe(404);
    expect((await record({ on: localDate(Date.now() + 3 * 86_400_000) })).status).toBe(400);
    const bad = await record({ topic: 'party' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('topic');
  });

  it('lists within scope and flags each institution\'s overdue rhythms', async () => {
    expect((await record({ kind: 'training', topic: 'periodic', on: daysAgo(400), title: '全员消防培训' })).status).toBe(201);
    expect((await record({ siteId: B, kind: 'plan', topic: 'comprehensive', on: daysAgo(30), title: '综合应急预案' }, 'admin')).status).toBe(201);
    const titles = async (who: Who, q = '') => (await fn.api<any[]>(`/api/preparedness${q}`, { token: token[who] })).body.map((r) => r.title);
    expect(await titles('county')).toEqual(['住院部夜间疏散逃生演练', '全员消防培训']);
    expect(await titles('otherCounty')).toEqual(['综合应急预案']);
    expect(await titles('county', '?kind=training')).toEqual(['全员消防培训']);

    const status = (await fn.api<any[]>('/api/preparedness/status', { token: token.county })).body;
    expect(status.map((s) => s.siteId)).toEqual([A]);
    const flags = Object.fromEntries(status[0].requirements.map((r: any) => [r.key, r.overdue]));
    expect(flags).toEqual({ 'drill.on_site': false, 'drill.plan': true, 'drill.evacuation': false, training: true, plan: true });
    expect(status[0].overdue).toBe(3);
  });
});

describe('the on-site fire team (微型消防站)', () => {
  it('keeps its members and equipment, and its equipment checks with the failed items counted', async () => {
    const empty = (await fn.api<any[]>(`/api/fire-teams?siteId=${A}`, { token: token.county })).body;
    expect(empty).toEqual([expect.objectContaining({ siteId: A, members: [], equipment: [], lastCheck: null })]);
    const team = { members: [{ name: '李明', post: '站长', phone: '138xxxx0001' }, { name: '王刚', post: '队员' }], equipment: [{ name: '灭火器', count: 12 }, { name: '消防水带', count: 4 }] };
    expect((await fn.api(`/api/fire-teams/${A}`, { method: 'PUT', body: team, token: token.operator })).status).toBe(403);
    expect((await fn.api(`/api/fire-teams/${B}`, { method: 'PUT', body: team, token: token.safety })).status).toBe(404);
    const put = await fn.api<any>(`/api/fire-teams/${A}`, { method: 'PUT', body: team, token: token.safety });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ siteId: A, members: [{ name: '李明', post: '站长', phone: '138xxxx0001' }, { name: '王刚', post: '队员', phone: '' }], updatedBy: 'safety' });

    const check = await fn.api<any>(`/api/fire-teams/${A}/checks`, { body: { items: [{ name: '灭火器', ok: true }, { name: '消防水带', ok: false, note: '一条破损' }] }, token: token.operator });
    expect(check.status).toBe(201);
    expect(check.body).toMatchObject({ failed: 1, checkedBy: 'operator', on: localDate(Date.now()) });
    expect((await fn.api(`/api/fire-teams/${A}/checks`, { body: { items: [{ name: '灭火器', ok: true }] }, token: token.county })).status).toBe(403);
    const [seen] = (await fn.api<any[]>(`/api/fire-teams?siteId=${A}`, { token: token.county })).body;
    expect(seen.lastCheck).toMatchObject({ id: check.body.id, failed: 1, items: [{ name: '灭火器', ok: true, note: '' }, { name: '消防水带', ok: false, note: '一条破损' }] });
    expect((await fn.api<any[]>('/api/fire-teams', { token: token.otherCounty })).body.map((t) => t.siteId)).toEqual([B]);
  });
});
