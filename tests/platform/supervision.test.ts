// A bureau's 通报 and 约谈 through a real FireNet: issued only to institutions of the bureau's region, seen by those
// institutions and the bureaus above (each with only the institutions it sees), acknowledged once per institution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../platform/reports/calendar.js';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const A1 = 'sup-jh-1';
const A2 = 'sup-jh-2';
const B = 'sup-hd';
const USERS = {
  city: { role: 'bureau', regionCode: '220200', siteIds: [] as string[] },
  county: { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] as string[] },
  safety1: { role: 'safety_manager', regionCode: null, siteIds: [A1] },
  safety2: { role: 'safety_manager', regionCode: null, siteIds: [A2] },
  operator1: { role: 'operator', regionCode: null, siteIds: [A1] },
};
type Who = keyof typeof USERS | 'admin';

let fn: TestFireNet;
const token = {} as Record<Who, string>;

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite(A1, '220281', '蛟河督办测试医院一');
  await fn.provisionSite(A2, '220281', '蛟河督办测试医院二');
  await fn.provisionSite(B, '220282', '桦甸督办测试医院');
  token.admin = fn.adminToken;
  Object.assign(token, await signInUsers(fn, USERS));
}, 60_000);
afterAll(() => fn?.stop());

const notice = (who: Who, siteIds: string[]) => fn.api<any>('/api/supervision/notices', { body: { title: '十一月消防安全检查情况通报', findings: '1. 疏散通道堆放杂物；2. 消防控制室人员未持证', siteIds }, token: token[who] });
const list = async (who: Who, q = '') => (await fn.api<any[]>(`/api/supervision${q}`, { token: token[who] })).body;

describe('通报 and 约谈', () => {
  it('sends a notice only to institutions of the bureau\'s region', async () => {
    expect((await notice('county', [A1, B])).status).toBe(404);
    expect((await notice('safety1', [A1])).status).toBe(403);
    expect((await notice('county', [])).status).toBe(400);
    const sent = await notice('county', [A1, A2]);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ kind: 'notice', regionCode: '220281', issuedBy: 'county', interview: null });
    expect(sent.body.targets.map((t: any) => [t.siteId, t.acknowledgedAt])).toEqual([[A1, null], [A2, null]]);
  });

  it('records an interview with its facts, and refuses a follow-up before it or a day ahead', async () => {
    const today = localDate(Date.now());
    const body = { siteId: A1, on: today, attendees: '县卫健局 李科长；医院 张院长（消防安全责任人）', issues: '重大隐患整改逾期', commitments: '两周内完成整改并书面报告', followUpOn: today };
    expect((await fn.api('/api/supervision/interviews', { body: { ...body, followUpOn: '2020-01-01' }, token: token.county })).status).toBe(400);
    expect((await fn.api('/api/supervision/interviews', { body: { ...body, on: localDate(Date.now() + 5 * 86_400_000) }, token: token.county })).status).toBe(400);
    expect((await fn.api('/api/supervision/interviews', { body, token: token.otherCounty })).status).toBe(404);
    const held = await fn.api<any>('/api/supervision/interviews', { body, token: token.county });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ kind: 'interview', findings: '重大隐患整改逾期', interview: { on: today, commitments: '两周内完成整改并书面报告', followUpOn: today }, targets: [{ siteId: A1 }] });
  });

  it('shows each reader the records of its institutions, with only the institutions it sees', async () => {
    expect((await list('county')).map((r) => r.kind)).toEqual(['interview', 'notice']);
    expect((await list('city')).length).toBe(2);
    expect(await list('otherCounty')).toEqual([]);
    const mine = await list('safety2');
    expect(mine.map((r) => r.kind)).toEqual(['notice']);
    expect(mine[0].targets.map((t: any) => t.siteId)).toEqual([A2]); // not the other hospital's
    expect((await list('operator1')).length).toBe(2); // the staff see them too
    expect((await list('county', '?kind=interview')).length).toBe(1);
  });

  it('takes each institution\'s acknowledgement once, from its safety manager', async () => {
    const [n] = await list('county', '?kind=notice');
    expect((await fn.api(`/api/supervision/${n.id}/acknowledge`, { body: { siteId: A1 }, token: token.operator1 })).status).toBe(403);
    expect((await fn.api(`/api/supervision/${n.id}/acknowledge`, { body: { siteId: A1 }, token: token.safety2 })).status).toBe(404);
    const ack = await fn.api<any>(`/api/supervision/${n.id}/acknowledge`, { body: { siteId: A1 }, token: token.safety1 });
    expect(ack.status).toBe(200);
    expect(ack.body.targets).toEqual([expect.objectContaining({ siteId: A1, acknowledgedBy: 'safety1', acknowledgedAt: expect.any(String) })]);
    expect((await fn.api(`/api/supervision/${n.id}/acknowledge`, { body: { siteId: A1 }, token: token.safety1 })).status).toBe(409);

    // the bureau sees who has acknowledged; still to acknowledge: the notice (A2) and the interview (A1)
    const seen = (await list('county', '?kind=notice'))[0];
    expect(seen.targets.map((t: any) => [t.siteId, t.acknowledgedBy])).toEqual([[A1, 'safety1'], [A2, null]]);
    expect((await list('county', '?acknowledged=false')).length).toBe(2);
    expect((await list('safety1', '?acknowledged=false')).map((r) => r.kind)).toEqual(['interview']);
    expect((await list('safety1', '?acknowledged=true')).map((r) => r.kind)).toEqual(['notice']);
    const audit = (await fn.api<any[]>('/api/audit?limit=100')).body;
    expect(audit.some((e) => e.target === `/api/supervision/${n.id}/acknowledge`)).toBe(true);
  });
});
