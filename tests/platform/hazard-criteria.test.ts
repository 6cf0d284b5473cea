// Judging a major hazard (重大事故隐患判定) through a real FireNet: the criteria as data, a ticked criterion makes a
// reported hazard major and stays on its ticket, a major hazard is never of low risk, admins retire and add criteria,
// and a sensor rule's major hazard names its criterion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { hashSecret } from '../../platform/auth/hash.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const SITE = 'crit-jh';
let fn: TestFireNet;
let safety: string;

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite(SITE, '220281', '蛟河判定测试医院');
  await fn.store.createUser({ username: 'safety', passwordHash: await hashSecret('safety-pw'), role: 'safety_manager', regionCode: null, siteIds: [SITE] });
  safety = await fn.login('safety', 'safety-pw');
}, 60_000);
afterAll(() => fn?.stop());

const report = (body: Record<string, unknown>) => fn.api<any>('/api/tickets', { body: { siteId: SITE, title: '病房楼内电动车充电', location: '住院楼 1F 大厅', level: 'significant', ...body }, token: safety });

describe('major hazard criteria', () => {
  it('lists the criteria for health institutions, in order', async () => {
    const list = (await fn.api<any[]>('/api/hazard-criteria', { token: safety })).body;
    expect(list.length).toBeGreaterThanOrEqual(10);
    expect(list[0]).toMatchObject({ code: 'evacuation_blocked', title: '疏散通道、安全出口被占用、堵塞或封闭', active: true });
    expect(list.map((c) => c.code)).toEqual(expect.arrayContaining(['control_room_unattended', 'ebike_indoor_charging', 'auto_fire_systems_out']));
    expect((await fetch(`${fn.httpUrl}/api/hazard-criteria`)).status).toBe(401);
  });

  it('makes a hazard major when a criterion is ticked, keeps it on the ticket, and refuses a low-risk major hazard', async () => {
    const judged = await report({ criterion: 'ebike_indoor_charging' });
    expect(judged.status, JSON.stringify(judged.body)).toBe(201);
    expect(judged.body).toMatchObject({ grade: 'major', criterion: 'ebike_indoor_charging', level: 'significant' });
    expect((await fn.api<any>(`/api/tickets/${judged.body.id}`)).body.criterion).toBe('ebike_indoor_charging');

    const low = await report({ criterion: 'ebike_indoor_charging', level: 'low' });
    expect(low.status).toBe(400);
    expect(low.body).toMatchObject({ code: 'ticket.major_not_low', fields: [{ field: 'body.level' }] });
    expect((await report({ grade: 'major', level: 'low' })).body.code).toBe('ticket.major_not_low');
    expect((await report({ criterion: 'no_such_thing' })).body).toMatchObject({ code: 'ticket.unknown_criterion', fields: [{ field: 'body.criterion' }] });
    expect((await report({ criterion: 'Bad Code' })).status).toBe(400);
    // without a criterion: as reported
    expect((await report({})).body).toMatchObject({ grade: 'general', criterion: null });
  });

  it('lets admins retire and add criteria, and nobody else', async () => {
    expect((await fn.api(`/api/hazard-criteria/medical_gas`, { method: 'PUT', body: { title: 'x', titleEn: 'x' }, token: safety })).status).toBe(403);
    const retired = await fn.api<any>('/api/hazard-criteria/ebike_indoor_charging', { method: 'PUT', body: { title: '在病房楼、门诊楼等建筑内停放电动自行车或充电', titleEn: 'E-bikes parked or charged inside ward, outpatient or similar buildings', active: false } });
    expect(retired.body).toMatchObject({ active: false, updatedBy: 'admin' });
    expect((await report({ criterion: 'ebike_indoor_charging' })).body.code).toBe('ticket.unknown_criterion');
    const added = await fn.api<any>('/api/hazard-criteria/kitchen_gas_leak', { method: 'PUT', body: { title: '厨房燃气泄漏报警装置缺失', titleEn: 'No gas leak alarm in the kitchen' } });
    expect(added.status).toBe(200);
    const list = (await fn.api<any[]>('/api/hazard-criteria')).body;
    expect(list.at(-1)).toMatchObject({ code: 'kitchen_gas_leak', active: true });
    expect((await report({ criterion: 'kitchen_gas_leak', level: 'major' })).body).toMatchObject({ grade: 'major', criterion: 'kitchen_gas_leak' });
  });

  it('names the criterion of a major hazard a sensor rule raises', async () => {
    const secret = await fn.provisionDevice({ id: 'hc-crit', family: 'hazmat_cabinet', siteId: SITE });
    const cabinet = await fn.connectDevice('hc-crit', secret);
    await cabinet.publishAsync(deviceTopic('hc-crit', 'events'), eventPayload('leak-1', 'cabinet.leak'), { qos: 1 });
    const ticket = await eventually(async () => (await fn.api<any[]>('/api/tickets?deviceId=hc-crit')).body[0], 5000, 'the leak ticket');
    expect(ticket).toMatchObject({ grade: 'major', level: 'major', criterion: 'hazmat_storage', source: 'rule' });
    await cabinet.endAsync();
  });

  it('refuses a rule whose major hazard is of low risk', async () => {
    const rules = (await fn.api<any[]>('/api/rules')).body;
    const leak = rules.find((r) => r.id === 'cabinet.leak').definition;
    expect(leak.effects[0]).toMatchObject({ kind: 'hazard', grade: 'major', criterion: 'hazmat_storage' });
    const res = await fn.api<any>('/api/rules', { body: { ...leak, effects: [{ ...leak.effects[0], level: 'low' }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(JSON.stringify(res.body)).toContain('level');
    expect((await fn.api('/api/rules', { body: { ...leak, effects: [{ ...leak.effects[0], level: 'significant' }] } })).status).toBe(201);
  });
});
