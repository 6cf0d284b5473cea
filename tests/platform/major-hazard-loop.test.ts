// A major hazard's whole loop through a real FireNet, on PGlite and on PostgreSQL: reported with a criterion → the
// bureaus above told at once (socket) → left unregistered past 24 h → overdue (the job run with a later clock);
// registered with the five in place and acceptance criteria → rectified → verified by the institution → rejected once
// by the county bureau with a reason → verified again → approved → closed. An extension applies only once a bureau
// approves it; 挂牌督办 is its own record, lifted only after the closing by the bureau that put it up (or above); the
// overview's major hazards and 动态清零 counter follow it; nothing crosses into another county.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextEvent, signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

const HOUR = 3_600_000;
const JH = 'mh-jh';
const JH2 = 'mh-jh-2';
const HD = 'mh-hd';
const USERS = {
  province: { role: 'bureau', regionCode: '220000', siteIds: [] as string[] },
  city: { role: 'bureau', regionCode: '220200', siteIds: [] as string[] },
  county: { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] as string[] },
  safety: { role: 'safety_manager', regionCode: null, siteIds: [JH, JH2] },
  deputy: { role: 'safety_manager', regionCode: null, siteIds: [JH, JH2] },
  fixer: { role: 'logistics', regionCode: null, siteIds: [JH, JH2] },
  hdSafety: { role: 'safety_manager', regionCode: null, siteIds: [HD] },
};
type Who = keyof typeof USERS | 'admin';

describe.each([
  { adapter: 'PGlite', postgres: false },
  { adapter: 'PostgreSQL', postgres: true },
])('the major hazard\'s loop on $adapter', ({ postgres }) => {
  let fn: TestFireNet;
  const token = {} as Record<Who, string>;
  let majorId: string;

  beforeAll(async () => {
    const env: Record<string, string> = postgres ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `major_${randomUUID().replaceAll('-', '')}`) } : {};
    fn = await startTestFireNet(env);
    await fn.provisionSite(JH, '220281', '蛟河重大隐患测试医院');
    await fn.provisionSite(JH2, '220281', '蛟河重大隐患测试医院二');
    await fn.provisionSite(HD, '220282', '桦甸重大隐患测试医院');
    token.admin = fn.adminToken;
    Object.assign(token, await signInUsers(fn, USERS));
  }, 90_000);
  afterAll(() => fn?.stop());

  const api = <T = any>(who: Who, path: string, body?: unknown) => fn.api<T>(path, { token: token[who], ...(body === undefined ? {} : { body }) });
  const move = (who: Who, id: string, body: Record<string, unknown>) => api(who, `/api/tickets/${id}/transition`, body);
  const ticket = async (id: string, who: Who = 'admin') => (await api(who, `/api/tickets/${id}`)).body;
  const five = (deadline: number) => ({ owner: '院长 王明', funds: '专项经费 5 万元', measures: '清理疏散通道，拆除门锁', deadline: new Date(deadline).toISOString(), contingencyPlan: '专人值守，应急疏散预案' });
  const report = (who: Who, siteId: string, title: string) => api(who, '/api/tickets', { siteId, title, level: 'major', criterion: 'evacuation_blocked', location: '住院楼 3F' });

  it('tells the bureaus above at once, and it is overdue once unregistered past 24 h', async () => {
    const county = await fn.viewer(token.county);
    const province = await fn.viewer(token.province);
    const beside = await fn.viewer(token.otherCounty);
    const leaked: unknown[] = [];
    beside.on('notification', (n) => leaked.push(n));
    const toCounty = nextEvent<any>(county, 'notification', (n) => n.kind === 'ticket.major_reported', 5000);
    const toProvince = nextEvent<any>(province, 'notification', (n) => n.kind === 'ticket.major_reported', 5000);
    const opened = await report('safety', JH, '住院楼安全出口上锁');
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    majorId = opened.body.id;
    const reportedAt = Date.parse(opened.body.reportedAt);
    expect(opened.body).toMatchObject({ grade: 'major', state: 'reported', overdue: false, supervision: null, extension: null, reportedUpwardAt: opened.body.reportedAt });
    expect(Date.parse(opened.body.stateDeadline)).toBe(reportedAt + 24 * HOUR);
    expect((await toCounty).data).toMatchObject({ ticketId: majorId, criterion: 'evacuation_blocked', registerBy: opened.body.stateDeadline });
    expect((await toProvince).siteId).toBe(JH);

    // the clock moved 23 h on: not yet; 25 h on: overdue, flagged once, the bureaus told
    expect((await fn.jobs.checkOverdueTickets(reportedAt + 23 * HOUR)).map((t) => t.id)).not.toContain(majorId);
    const overdueNote = nextEvent<any>(county, 'notification', (n) => n.kind === 'ticket.overdue' && n.data.ticketId === majorId, 5000);
    const flagged = await fn.jobs.checkOverdueTickets(reportedAt + 25 * HOUR);
    expect(flagged.find((t) => t.id === majorId)).toMatchObject({ state: 'reported', overdue: true });
    expect((await overdueNote).data).toMatchObject({ state: 'reported', deadline: opened.body.stateDeadline });
    expect((await fn.jobs.checkOverdueTickets(reportedAt + 26 * HOUR)).map((t) => t.id)).not.toContain(majorId);
    expect((await api<any[]>('county', '/api/tickets?overdue=true')).body.map((t) => t.id)).toContain(majorId);
    // overdue is not 挂牌督办
    expect((await api<any[]>('county', '/api/tickets?supervised=true')).body.map((t) => t.id)).not.toContain(majorId);
    const { summary } = (await api('county', '/api/overview?region=220281')).body;
    expect(summary.majorHazards.find((h: any) => h.id === majorId)).toMatchObject({ overdue: true, supervised: false, state: 'reported' });
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toEqual([]);
  });

  it('is registered with its five in place and acceptance criteria; an extension applies only once a bureau approves it', async () => {
    const deadline = Date.now() + 7 * 24 * HOUR;
    const missing = await move('safety', majorId, { to: 'registered', ...five(deadline) });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual([{ field: 'body.acceptanceCriteria', message: expect.any(String) }]);
    const registered = await move('safety', majorId, { to: 'registered', ...five(deadline), acceptanceCriteria: '安全出口全部开启，县卫健局现场复查' });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ state: 'registered', overdue: false, overdueAt: null, acceptanceCriteria: '安全出口全部开启，县卫健局现场复查' });
    expect(Date.parse(registered.body.stateDeadline)).toBe(deadline);

    const later = deadline + 5 * 24 * HOUR;
    expect((await api('safety', `/api/tickets/${majorId}/extensions`, { deadline: new Date(later).toISOString(), reason: ' ' })).status).toBe(400);
    expect((await api('fixer', `/api/tickets/${majorId}/extensions`, { deadline: new Date(later).toISOString(), reason: '门禁改造需厂家供货' })).status).toBe(403);
    expect((await api('safety', `/api/tickets/${majorId}/extensions`, { deadline: new Date(deadline - HOUR).toISOString(), reason: '提前' })).status).toBe(400);
    const asked = await api('safety', `/api/tickets/${majorId}/extensions`, { deadline: new Date(later).toISOString(), reason: '门禁改造需厂家供货' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    // asked is not granted: the deadline stays until a bureau approves
    expect(Date.parse(asked.body.fiveInPlace.deadline)).toBe(deadline);
    expect(asked.body.extension).toMatchObject({ state: 'pending', requestedBy: 'safety', reason: '门禁改造需厂家供货' });
    const extensionId = asked.body.extension.id;
    expect((await api('safety', `/api/tickets/${majorId}/extensions`, { deadline: new Date(later + HOUR).toISOString(), reason: '再延' })).status).toBe(409);
    const decide = (who: Who, body: unknown) => api(who, `/api/tickets/${majorId}/extensions/${extensionId}/decision`, body);
    expect((await decide('safety', { approve: true })).status).toBe(403);
    expect((await decide('otherCounty', { approve: true })).status).toBe(404);
    const approved = await decide('county', { approve: true, note: '同意延期至供货后' });
    expect(approved.status).toBe(200);
    expect(Date.parse(approved.body.fiveInPlace.deadline)).toBe(later);
    expect(Date.parse(approved.body.stateDeadline)).toBe(later);
    expect(approved.body.extension).toMatchObject({ state: 'approved', decidedBy: 'county' });
    expect((await decide('county', { approve: false })).status).toBe(409);
    const trail = (await ticket(majorId)).events.map((e: any) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['extension_requested', 'extension_approved']));
  });

  it('puts it under 挂牌督办 as a record, apart from overdue; once at a time; only bureaus', async () => {
    const deadline = new Date(Date.now() + 30 * 24 * HOUR).toISOString();
    expect((await api('safety', `/api/tickets/${majorId}/supervision`, { deadline, note: '自己督办' })).status).toBe(403);
    expect((await api('otherCounty', `/api/tickets/${majorId}/supervision`, { deadline, note: '越权' })).status).toBe(404);
    expect((await api('city', `/api/tickets/${majorId}/supervision`, { deadline: new Date(Date.now() - HOUR).toISOString(), note: '过去' })).status).toBe(400);
    const up = await api('city', `/api/tickets/${majorId}/supervision`, { deadline, note: '市卫健委挂牌督办，限期整改' });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.supervision).toMatchObject({ regionCode: '220200', putUpBy: 'city', deadline: new Date(deadline).toISOString(), note: '市卫健委挂牌督办，限期整改', liftedAt: null });
    expect((await api('county', `/api/tickets/${majorId}/supervision`, { deadline, note: '再挂' })).status).toBe(409);
    expect((await api<any[]>('county', '/api/tickets?supervised=true')).body.map((t) => t.id)).toEqual([majorId]);
    const { summary, children } = (await api('city', '/api/overview?region=220200')).body;
    expect(summary.supervisedHazards).toBe(1);
    expect(children.find((c: any) => c.code === '220281')).toMatchObject({ supervisedHazards: 1 });
  });

  it('is verified by the institution, rejected once by the county bureau with a reason, approved, closed; nobody signs off their own work', async () => {
    expect((await move('fixer', majorId, { to: 'rectifying' })).status).toBe(200);
    expect((await move('fixer', majorId, { to: 'pending_verification', note: '门锁已拆除' })).status).toBe(200);
    // a major hazard is not closed by the institution
    const closedAlone = await move('safety', majorId, { to: 'closed' });
    expect(closedAlone.status).toBe(409);
    const verified = await move('safety', majorId, { to: 'verified', note: '院内验收合格' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ state: 'verified', verifiedBy: 'safety' });
    expect(Date.parse(verified.body.stateDeadline)).toBe(Date.parse(verified.body.stateSince) + 72 * HOUR);
    // the institution does not approve; a city or province bureau does not either; the county does
    expect((await move('deputy', majorId, { to: 'closed' })).status).toBe(403);
    expect((await move('city', majorId, { to: 'closed' })).body).toMatchObject({ code: 'ticket.county_approves' });
    expect((await move('province', majorId, { to: 'closed' })).status).toBe(403);
    expect((await move('otherCounty', majorId, { to: 'closed' })).status).toBe(404);
    expect((await move('county', majorId, { to: 'rectifying' })).status).toBe(409);
    const rejected = await move('county', majorId, { to: 'rectifying', note: '现场复查：东侧出口仍上锁' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.state).toBe('rectifying');

    expect((await move('fixer', majorId, { to: 'pending_verification', note: '东侧出口门锁已拆除' })).status).toBe(200);
    expect((await move('deputy', majorId, { to: 'verified' })).status).toBe(200);
    // 挂牌督办 cannot be lifted before the closing
    expect((await api('city', `/api/tickets/${majorId}/supervision/lift`, { note: '提前摘牌' })).body).toMatchObject({ code: 'supervision.not_closed' });
    const closed = await move('county', majorId, { to: 'closed', note: '现场复查合格，同意销号' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', stateDeadline: null, overdue: false });
    const trail = (await ticket(majorId)).events.map((e: any) => [e.action, e.to, e.actor]);
    expect(trail.filter((e: string[]) => e[0] === 'transition' || e[0] === 'rejected').slice(-7)).toEqual([
      ['transition', 'rectifying', 'fixer'],
      ['transition', 'pending_verification', 'fixer'],
      ['transition', 'verified', 'safety'],
      ['rejected', 'rectifying', 'county'],
      ['transition', 'pending_verification', 'fixer'],
      ['transition', 'verified', 'deputy'],
      ['transition', 'closed', 'county'],
    ]);
  });

  it('keeps it on the major hazards list until its 挂牌督办 is lifted, by the bureau that put it up or above, with a note', async () => {
    const majors = async () => (await api('city', '/api/overview?region=220200')).body.summary.majorHazards.map((h: any) => h.id);
    expect(await majors()).toContain(majorId);
    expect((await api('county', `/api/tickets/${majorId}/supervision/lift`, { note: '县里摘牌' })).body).toMatchObject({ code: 'supervision.lifted_by_its_bureau' });
    expect((await api('city', `/api/tickets/${majorId}/supervision/lift`, { note: ' ' })).status).toBe(400);
    const lifted = await api('city', `/api/tickets/${majorId}/supervision/lift`, { note: '整改到位，予以摘牌' });
    expect(lifted.status).toBe(200);
    expect(lifted.body.supervision).toMatchObject({ liftedBy: 'city', liftNote: '整改到位，予以摘牌' });
    expect((await api('city', `/api/tickets/${majorId}/supervision/lift`, { note: '再摘' })).status).toBe(409);
    expect(await majors()).not.toContain(majorId);
    // the audit log keeps each change, for the bureaus above to read
    const audit = (await api<any[]>('province', '/api/audit?limit=200')).body.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['POST /api/tickets/:id/supervision', 'POST /api/tickets/:id/supervision/lift', 'POST /api/tickets/:id/extensions/:extensionId/decision']));
  });

  it('keeps every county to its own: the bureau beside sees none of it, and the institution\'s staff only their own', async () => {
    const hd = await report('hdSafety', HD, '桦甸：电动自行车病房充电');
    expect(hd.status).toBe(201);
    expect((await report('hdSafety', JH, '越权上报')).status).toBe(404);
    expect((await api<any[]>('county', '/api/tickets?grade=major')).body.map((t) => t.id)).not.toContain(hd.body.id);
    expect((await api<any[]>('otherCounty', '/api/tickets?grade=major')).body.map((t) => t.id)).toEqual([hd.body.id]);
    expect((await api('county', `/api/tickets/${hd.body.id}/supervision`, { deadline: new Date(Date.now() + HOUR).toISOString(), note: '越权' })).status).toBe(404);
    expect((await api('hdSafety', `/api/tickets/${majorId}`)).status).toBe(404);
    expect((await api('otherCounty', '/api/overview?region=220282')).body.summary.majorHazards.map((h: any) => h.id)).toEqual([hd.body.id]);
  });
});
