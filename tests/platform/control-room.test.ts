// The control room's duty through a real FireNet: operators' certificates (expiring 30 days ahead), a roster that needs
// two certified operators and a leader on duty, signing on and off with a handover, who is on duty, and a county
// bureau's 查岗 answered on the desk (pushed over socket.io), answered by the control room's transmission device over
// real GB/T 26875.3 TCP, or missed; every list scoped by county.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../platform/reports/calendar.js';
import { TransmissionDevice } from '../../simulators/gb26875/device.js';
import { eventually, nextEvent, signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { freePort } from '../helpers/process.js';

const A = 'cr-jh';
const B = 'cr-hd';
const USERS = {
  county: { role: 'bureau', regionCode: '220281', siteIds: [] as string[] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] as string[] },
  safety: { role: 'safety_manager', regionCode: null, siteIds: [A] },
  op1: { role: 'operator', regionCode: null, siteIds: [A] },
  op2: { role: 'operator', regionCode: null, siteIds: [A] },
  op3: { role: 'operator', regionCode: null, siteIds: [A] },
  opB: { role: 'operator', regionCode: null, siteIds: [B] },
};
type Who = keyof typeof USERS | 'admin';

let fn: TestFireNet;
let gbPort: number;
const token = {} as Record<Who, string>;
let device: TransmissionDevice | null = null;

const DAY = 86_400_000;
const inDays = (n: number) => localDate(Date.now() + n * DAY);
const certificate = (username: string, expiresOn: string, who: Who = 'safety') =>
  fn.api<any>(`/api/control-room/certificates/${username}`, { method: 'PUT', body: { number: `4102${username}`, level: 'senior', expiresOn }, token: token[who] });

beforeAll(async () => {
  gbPort = await freePort();
  fn = await startTestFireNet({ GB26875_PORT: String(gbPort) });
  await fn.provisionSite(A, '220281', '蛟河值班测试医院');
  await fn.provisionSite(B, '220282', '桦甸值班测试医院');
  token.admin = fn.adminToken;
  Object.assign(token, await signInUsers(fn, USERS));
}, 60_000);
afterAll(async () => {
  device?.destroy();
  await fn?.stop();
});

describe('the control room\'s duty', () => {
  it('keeps operators\' certificates, warning 30 days before they expire, for the institution\'s people only', async () => {
    expect((await certificate('op1', inDays(365))).body).toMatchObject({ username: 'op1', level: 'senior', state: 'valid', siteIds: [A], updatedBy: 'safety' });
    expect((await certificate('op2', inDays(20))).body.state).toBe('expiring');
    expect((await certificate('op3', inDays(-1))).body.state).toBe('expired');
    expect((await certificate('opB', inDays(100))).status).toBe(404); // another county's operator
    expect((await certificate('opB', inDays(100), 'admin')).status).toBe(200);
    expect((await certificate('op1', inDays(100), 'op1')).status).toBe(403);
    expect((await certificate('safety', inDays(100), 'admin')).status).toBe(404); // not an operator
    const bad = await fn.api<any>('/api/control-room/certificates/op1', { method: 'PUT', body: { number: 'x', level: 'grandmaster', expiresOn: '2030-01-01' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('level');

    const seen = async (who: Who, query = '') => (await fn.api<any[]>(`/api/control-room/certificates${query}`, { token: token[who] })).body.map((c) => c.username);
    expect(await seen('county')).toEqual(['op3', 'op2', 'op1']); // soonest to expire first
    expect(await seen('otherCounty')).toEqual(['opB']);
    expect(await seen('county', '?state=expiring')).toEqual(['op2']);
  });

  it('puts a shift on the roster only with two operators certified to its end, and names the field when not', async () => {
    const from = Date.now() - 3600_000;
    const shift = (operators: string[], over: Record<string, unknown> = {}) => fn.api<any>('/api/control-room/shifts', {
      body: { siteId: A, startsAt: new Date(from).toISOString(), endsAt: new Date(from + 12 * 3600_000).toISOString(), operators, leader: { name: '张院长', post: '副院长' }, ...over },
      token: token.safety,
    });
    for (const [operators, code] of [[['op1', 'op3'], 'shift.too_few_certified'], [['op1', 'opB'], 'shift.not_operators'], [['op1'], 'shift.too_few_certified']] as const) {
      const res = await shift([...operators]);
      expect(res.status, operators.join()).toBe(400);
      expect(res.body).toMatchObject({ code, fields: expect.arrayContaining([expect.objectContaining({ field: 'body.operators' })]) });
    }
    const backwards = await shift(['op1', 'op2'], { endsAt: new Date(from - 1000).toISOString() });
    expect(backwards.body).toMatchObject({ code: 'shift.ends_before_start' });
    expect((await fn.api('/api/control-room/shifts', { body: { siteId: A, startsAt: new Date(from).toISOString(), endsAt: new Date(from + 3600_000).toISOString(), operators: ['op1', 'op2'], leader: { name: 'x' } }, token: token.op1 })).status).toBe(403);

    const ok = await shift(['op1', 'op2']);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ siteId: A, operators: ['op1', 'op2'], leader: { name: '张院长', post: '副院长' } });
    expect((await fn.api<any[]>('/api/control-room/shifts', { token: token.county })).body.map((s) => s.id)).toEqual([ok.body.id]);
    expect((await fn.api<any[]>('/api/control-room/shifts', { token: token.otherCounty })).body).toEqual([]);
  });

  it('signs operators on and off with a handover, and shows who is on duty and whether two certified are there', async () => {
    for (const op of ['op1', 'op2'] as const) expect((await fn.api('/api/control-room/sign-on', { body: { siteId: A }, token: token[op] })).status).toBe(201);
    expect((await fn.api<any>('/api/control-room/sign-on', { body: { siteId: A }, token: token.op1 })).body.code).toBe('duty.signed_on');
    expect((await fn.api('/api/control-room/sign-on', { body: { siteId: B }, token: token.op1 })).status).toBe(404);
    expect((await fn.api('/api/control-room/sign-on', { body: { siteId: A }, token: token.safety })).status).toBe(403);

    const onDuty = async (who: Who = 'county') => (await fn.api<any[]>(`/api/control-room/on-duty?siteId=${A}`, { token: token[who] })).body[0];
    let room = await onDuty();
    expect(room).toMatchObject({ siteId: A, staffed: true, shift: { operators: ['op1', 'op2'], leader: { name: '张院长' } } });
    expect(room.signedOn.map((o: any) => [o.username, o.certificate]).sort()).toEqual([['op1', 'valid'], ['op2', 'expiring']]);
    expect(await onDuty('otherCounty')).toBeUndefined();

    const off = await fn.api<any>('/api/control-room/sign-off', { body: { siteId: A, open: '2 号楼烟感故障工单待处理', happened: '03:12 误报一次，已复位' }, token: token.op1 });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ username: 'op1', handover: { open: '2 号楼烟感故障工单待处理', happened: '03:12 误报一次，已复位' } });
    expect((await fn.api<any>('/api/control-room/sign-off', { body: { siteId: A }, token: token.op1 })).body.code).toBe('duty.not_signed_on');
    room = await onDuty();
    expect(room.signedOn.map((o: any) => o.username)).toEqual(['op2']);
    expect(room.staffed).toBe(false);
    expect((await fn.api<any[]>('/api/control-room/handovers', { token: token.county })).body.map((s) => s.id)).toEqual([off.body.id]);
    expect((await fn.api<any[]>('/api/control-room/handovers', { token: token.otherCounty })).body).toEqual([]);
  });

  it('runs a county bureau\'s 查岗: pushed to the desk, answered by the operator on duty, once', async () => {
    const desk = await fn.viewer(token.op2);
    const pushed = nextEvent<any>(desk, 'duty.check', (c) => c.siteId === A && c.state === 'waiting', 3000);
    expect((await fn.api('/api/control-room/duty-checks', { body: { siteId: A }, token: token.otherCounty })).status).toBe(404);
    expect((await fn.api('/api/control-room/duty-checks', { body: { siteId: A }, token: token.op2 })).status).toBe(403);
    const asked = await fn.api<any>('/api/control-room/duty-checks', { body: { siteId: A, timeoutMin: 5 }, token: token.county });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ state: 'waiting', askedBy: 'county', deviceId: null });
    expect(Date.parse(asked.body.answerBy) - Date.parse(asked.body.askedAt)).toBe(5 * 60_000);
    expect((await pushed).id).toBe(asked.body.id);

    const answeredPush = nextEvent<any>(desk, 'duty.check', (c) => c.id === asked.body.id && c.state === 'answered', 3000);
    expect((await fn.api(`/api/control-room/duty-checks/${asked.body.id}/answer`, { method: 'POST', token: token.opB })).status).toBe(404);
    const answered = await fn.api<any>(`/api/control-room/duty-checks/${asked.body.id}/answer`, { method: 'POST', token: token.op2 });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: 'answered', answeredBy: 'op2' });
    await answeredPush;
    expect((await fn.api<any>(`/api/control-room/duty-checks/${asked.body.id}/answer`, { method: 'POST', token: token.op2 })).body.code).toBe('duty_check.answered');
    expect((await fn.api<any[]>('/api/control-room/duty-checks?state=answered', { token: token.county })).body.map((c) => c.id)).toContain(asked.body.id);
    expect((await fn.api<any[]>('/api/control-room/duty-checks', { token: token.otherCounty })).body).toEqual([]);
    desk.disconnect();
  });

  it('records a check not answered in time as missed, and refuses a late answer', async () => {
    const late = await fn.store.controlRoom.addCheck({ siteId: A, regionCode: '220281', askedBy: 'county', askedAt: Date.now() - 20 * 60_000, answerBy: Date.now() - 10 * 60_000, deviceId: null });
    const missed = await eventually(async () => (await fn.api<any[]>('/api/control-room/duty-checks?state=missed', { token: token.county })).body.find((c) => c.id === late.id), 10_000, 'the check marked missed');
    expect(missed.answeredAt).toBeNull();
    expect((await fn.api<any>(`/api/control-room/duty-checks/${late.id}/answer`, { method: 'POST', token: token.op2 })).body.code).toBe('duty_check.missed');

    // the county's monthly report counts the month's 查岗 and the missed ones, per institution
    const month = localDate(Date.parse(late.askedAt)).slice(0, 7);
    const all = (await fn.api<any[]>('/api/control-room/duty-checks?limit=1000', { token: token.county })).body;
    const inMonth = all.filter((c) => c.siteId === A && localDate(Date.parse(c.askedAt)).startsWith(month));
    const report = (await fn.api<any>(`/api/reports/monthly?region=220281&month=${month}`, { token: token.county })).body;
    expect(report.rows.find((r: any) => r.code === A)).toMatchObject({ dutyChecks: inMonth.length, dutyChecksMissed: inMonth.filter((c) => c.state === 'missed').length });
    expect(inMonth.filter((c) => c.state === 'missed').length).toBe(1);
  });

  it('asks the control room\'s transmission device too, and records its answer with the check', async () => {
    expect((await fn.api('/api/devices', { body: { id: 'cr-td', family: 'transmission_device', siteId: A, heartbeatSec: 60, gbAddress: '0000000003A1' } })).status).toBe(201);
    device = new TransmissionDevice({ host: '127.0.0.1', port: gbPort, gbAddress: '0000000003A1', confirmTimeoutMs: 5000, dutyAnswerMs: 200 });
    await device.connect();
    await device.heartbeat();
    const asked = await fn.api<any>('/api/control-room/duty-checks', { body: { siteId: A, timeoutMin: 10 }, token: token.county });
    expect(asked.body).toMatchObject({ deviceId: 'cr-td', commandId: expect.any(String), deviceAnsweredAt: null, state: 'waiting' });
    const byDevice = await eventually(async () => {
      const [check] = (await fn.api<any[]>(`/api/control-room/duty-checks?siteId=${A}&limit=1`, { token: token.county })).body;
      return check?.deviceAnsweredAt ? check : null;
    }, 10_000, 'the device\'s answer');
    expect(byDevice.id).toBe(asked.body.id);
    expect(byDevice.state).toBe('waiting'); // the desk still answers for itself
  });
});
