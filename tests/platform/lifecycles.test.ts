// The rules engine and the three lifecycles end to end: real MQTT devices, the real gateway and store,
// rules from the shipped defaults (some edited through the API, as an administrator would).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let safety: string;
let operator: string;
let logistics: string;
const SITE = 'jh-rmyy';

beforeAll(async () => {
  fn = await startTestFireNet({ LOG_LEVEL: 'info' });
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
  for (const [username, role] of [['safety', 'safety_manager'], ['duty', 'operator'], ['fixer', 'logistics']] as const) {
    await fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role, regionCode: null, siteIds: [SITE] });
  }
  [safety, operator, logistics] = await Promise.all([fn.login('safety', 'safety-pw'), fn.login('duty', 'duty-pw'), fn.login('fixer', 'fixer-pw')]);
});
afterAll(() => fn?.stop());

/** Saves a new version of a shipped rule with `change` applied (as an admin would through the API). */
async function editRule(id: string, change: (rule: any) => void): Promise<void> {
  const [current] = (await fn.api<any[]>(`/api/rules/${id}/versions`)).body;
  const definition = structuredClone(current.definition);
  change(definition);
  const saved = await fn.api('/api/rules', { body: definition });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
}

async function device(id: string, family: string, extra: Record<string, unknown> = {}): Promise<MqttClient> {
  const secret = await fn.provisionDevice({ id, family, siteId: SITE, ...extra });
  return fn.connectDevice(id, secret);
}

const publishEvent = (client: MqttClient, id: string, eventId: string, type: string, data: Record<string, unknown> = {}) =>
  client.publishAsync(deviceTopic(id, 'events'), eventPayload(eventId, type, data), { qos: 1 });
const publishReading = (client: MqttClient, id: string, metrics: Record<string, number | boolean>, port?: number) =>
  client.publishAsync(deviceTopic(id, 'telemetry'), JSON.stringify({ ts: Date.now(), metrics, ...(port === undefined ? {} : { port }) }), { qos: 1 });

describe('charger over-temperature', () => {
  it('powers off the port over MQTT, tracks the ack, and opens a significant hazard with the readings', async () => {
    const charger = await device('cs-1', 'charging_station', { zone: '电动车充电棚' });
    await charger.subscribeAsync(deviceTopic('cs-1', 'commands'), { qos: 1 });
    const command = new Promise<{ id: string; type: string; port: number }>((resolve) =>
      charger.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
    for (const t of [38, 52, 61, 67.5]) await publishReading(charger, 'cs-1', { temperature_c: t, current_a: 3.1, voltage_v: 221 }, 2);
    await publishEvent(charger, 'cs-1', 'ot-1', 'charger.overtemp', { port: 2 });

    const cmd = await command;
    expect(cmd).toMatchObject({ type: 'power_off', port: 2 });
    await charger.publishAsync(deviceTopic('cs-1', 'commands/ack'), JSON.stringify({ id: cmd.id, ok: true }), { qos: 1 });
    const commands = await eventually(async () => {
      const list = (await fn.api<any[]>('/api/devices/cs-1/commands')).body;
      return list[0]?.state === 'acked' ? list : null;
    }, 5000, 'the power_off acknowledged');
    expect(commands[0]).toMatchObject({ id: cmd.id, type: 'power_off', payload: { port: 2 }, ok: true, attempts: 1 });

    const tickets = (await fn.api<any[]>('/api/tickets?status=open')).body.filter((t) => t.deviceId === 'cs-1');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ level: 'significant', grade: 'general', state: 'reported', source: 'rule', ruleId: 'charger.overtemp_event', title: '充电桩端口过热' });
    // what the dashboard needs to word a rule's ticket for an English viewer: the rule's English title and name
    expect(tickets[0]).toMatchObject({ titleEn: 'Charging port overheating', description: '充电桩端口过热报警', descriptionEn: 'Charging port over-temperature alarm' });
    expect(tickets[0].data).toMatchObject({ type: 'charger.overtemp', data: { port: 2 } });
  });

  it('raises from readings alone when the temperature stays above the limit (rule edited to 1 s) and recovers under 55 °C', async () => {
    await editRule('charger.overtemp', (r) => { r.condition.forSec = 1; });
    const charger = await device('cs-2', 'charging_station');
    await charger.subscribeAsync(deviceTopic('cs-2', 'commands'), { qos: 1 });
    const got = new Promise<{ port: number }>((resolve) => charger.on('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await publishReading(charger, 'cs-2', { temperature_c: 70 }, 5);
    await new Promise((r) => setTimeout(r, 1300));
    await publishReading(charger, 'cs-2', { temperature_c: 71.5 }, 5);
    expect((await got).port).toBe(5);
    const ticket = await eventually(async () => (await fn.api<any[]>('/api/tickets?deviceId=cs-2')).body[0], 5000, 'hazard ticket');
    expect(ticket).toMatchObject({ ruleId: 'charger.overtemp', subject: 'cs-2#port:5', level: 'significant' });
    expect(ticket.data).toMatchObject({ temperature_c: expect.any(Number) });
    // hysteresis: 60 °C is not recovery, 50 °C is
    await publishReading(charger, 'cs-2', { temperature_c: 60 }, 5);
    await new Promise((r) => setTimeout(r, 300));
    expect((await fn.api<any[]>('/api/tickets?deviceId=cs-2')).body[0].recoveredAt).toBeNull();
    await publishReading(charger, 'cs-2', { temperature_c: 50 }, 5);
    await eventually(async () => (await fn.api<any[]>('/api/tickets?deviceId=cs-2')).body[0].recoveredAt, 5000, 'recovery noted');
  });

  it('retries an unanswered command and flags it: a command_failed work order', async () => {
    await editRule('charger.overcurrent', (r) => { r.effects[0].timeoutSec = 0.5; r.effects[0].retries = 1; });
    const charger = await device('cs-3', 'charging_station');
    await charger.subscribeAsync(deviceTopic('cs-3', 'commands'), { qos: 1 });
    const seen: string[] = [];
    charger.on('message', (_t, p) => seen.push(JSON.parse(p.toString()).id));
    await publishEvent(charger, 'cs-3', 'oc-1', 'charger.overcurrent', { port: 1 });
    const order = await eventually(async () => (await fn.api<any[]>('/api/workorders?deviceId=cs-3')).body.find((w) => w.category === 'command_failed'), 10_000, 'command_failed order');
    expect(order.state).toBe('open');
    const [cmd] = (await fn.api<any[]>('/api/devices/cs-3/commands')).body;
    expect(cmd).toMatchObject({ state: 'failed', attempts: 2 });
    expect(seen.length).toBe(2); // the first send and one retry, same command id
    expect(new Set(seen).size).toBe(1);
  });
});

describe('notifications', () => {
  it('POSTs a rule\'s notification to the institution\'s webhook and pushes it to its viewers: a kind and data, no words but the rule\'s own', async () => {
    const received: Record<string, unknown>[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push(JSON.parse(body)); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/firenet`;
      await fn.api('/api/sites', { body: { id: 'hooked', name: '测试医院', regionCode: '220281', webhookUrl: url } });
      await fn.store.createUser({ username: 'hooked-safety', passwordHash: await hashSecret('pw-hs'), role: 'safety_manager', regionCode: null, siteIds: ['hooked'] });
      const viewer = await fn.viewer(await fn.login('hooked-safety', 'pw-hs'));
      const pushed = nextEvent<Record<string, unknown>>(viewer, 'notification', (n) => n.kind === 'rule.notify', 3000);
      const charger = await fn.connectDevice('cs-hook', await fn.provisionDevice({ id: 'cs-hook', family: 'charging_station', siteId: 'hooked' }));
      await publishEvent(charger, 'cs-hook', 'h-1', 'charger.overtemp', { port: 4 });
      const live = await pushed;
      const data = {
        ruleId: 'charger.overtemp_event', deviceId: 'cs-hook', port: 4,
        rule: { 'zh-CN': '充电桩端口过热报警', en: 'Charging port over-temperature alarm' },
        message: { 'zh-CN': '充电桩端口过热，已下发断电指令', en: 'Charging port overheating: power cut sent' },
      };
      // the dashboard words it: no text built by the server, no language mixed into another
      expect(live).toEqual({ kind: 'rule.notify', siteId: 'hooked', siteName: '测试医院', at: expect.any(String), data });
      await eventually(async () => received.length > 0, 5000, 'webhook call');
      // a webhook gets the same, and one Chinese line for a system that shows only text (a 119 platform)
      expect(received[0]).toEqual({ ...live, text: '测试医院：充电桩端口过热，已下发断电指令（cs-hook）' });
    } finally {
      hook.close();
    }
  });
});

describe('hazmat cabinet', () => {
  it('opens a 双人双锁 hazard when the door is opened with a single badge, and none with two', async () => {
    const cabinet = await device('hc-1', 'hazmat_cabinet', { zone: '危化品库' });
    await publishEvent(cabinet, 'hc-1', 'open-ok', 'cabinet.door_open', { badges: ['A100', 'B200'] });
    await publishEvent(cabinet, 'hc-1', 'close-ok', 'cabinet.door_close');
    expect((await fn.api<any[]>('/api/tickets?deviceId=hc-1')).body).toEqual([]);
    await publishEvent(cabinet, 'hc-1', 'open-1', 'cabinet.door_open', { badges: ['A100', 'A100'] });
    const [ticket] = (await fn.api<any[]>('/api/tickets?deviceId=hc-1')).body;
    expect(ticket).toMatchObject({ ruleId: 'cabinet.double_lock', level: 'significant', title: '危化品柜未落实双人双锁' });
  });
});

describe('device faults: work orders', () => {
  it('opens an offline work order for a detector silent for 3 heartbeats and verifies it itself when the detector reports again', async () => {
    await editRule('device.offline', (r) => { r.condition.heartbeats = 0.15; }); // 3 heartbeats of 10 s shortened to 1.5 s
    const detector = await device('sd-quiet', 'smoke_detector', { heartbeatSec: 10 });
    await publishReading(detector, 'sd-quiet', { battery_pct: 90 });
    const opened = await eventually(async () => (await fn.api<any[]>('/api/workorders?deviceId=sd-quiet')).body.find((w) => w.category === 'offline'), 6000, 'offline work order');
    expect(opened).toMatchObject({ state: 'open', ruleId: 'device.offline', siteId: SITE });
    await publishReading(detector, 'sd-quiet', { battery_pct: 90 });
    const verified = await eventually(async () => {
      const w = (await fn.api(`/api/workorders/${opened.id}`)).body;
      return w.state === 'verified' ? w : null;
    }, 3000, 'auto-verified');
    expect(verified.verifiedBy).toBe('system');
    expect(verified.repairSeconds).toBeGreaterThanOrEqual(0);
    await editRule('device.offline', (r) => { r.condition.heartbeats = 3; });
  });

  it('walks a fault work order: logistics assign, fix, verify; an out-of-order step is refused', async () => {
    const detector = await device('sd-fault', 'smoke_detector');
    await publishEvent(detector, 'sd-fault', 'f-1', 'fault', { code: 'E07' });
    const [order] = (await fn.api<any[]>('/api/workorders?deviceId=sd-fault')).body;
    expect(order).toMatchObject({ category: 'fault', state: 'open' });
    const go = (body: unknown, token = logistics) => fn.api(`/api/workorders/${order.id}/transition`, { body, token });
    expect((await go({ action: 'verify' })).status).toBe(409);
    expect((await go({ action: 'assign', assignee: 'fixer' })).body).toMatchObject({ state: 'assigned', assignedTo: 'fixer' });
    expect((await go({ action: 'fix', note: '更换探测器' })).body).toMatchObject({ state: 'fixed', fixedBy: 'fixer' });
    expect((await go({ action: 'verify' }, operator)).status).toBe(403);
    const done = (await go({ action: 'verify' }, safety)).body;
    expect(done).toMatchObject({ state: 'verified', verifiedBy: 'safety' });
    expect(done.repairSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('fire alarms: the control room', () => {
  it('de-duplicates 50 alarm messages arriving together into one alarm with count 50', async () => {
    const detector = await device('sd-burst', 'smoke_detector');
    const ts = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      detector.publishAsync(deviceTopic('sd-burst', 'events'), eventPayload(`b-${i}`, 'smoke.alarm', {}, ts), { qos: 1 })));
    const alarms = (await fn.api<any[]>('/api/alarms?deviceId=sd-burst')).body;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ count: 50, status: 'new', ruleId: 'smoke.alarm' });
  });

  it('acknowledges and confirms with who and when; closes; refuses illegal steps', async () => {
    const detector = await device('sd-ward', 'smoke_detector', { zone: '内科病房' });
    await publishEvent(detector, 'sd-ward', 'w-1', 'smoke.alarm');
    const [alarm] = (await fn.api<any[]>('/api/alarms?deviceId=sd-ward')).body;
    expect(Date.parse(alarm.confirmBy) - Date.parse(alarm.raisedAt)).toBe(180_000);
    expect((await fn.api(`/api/alarms/${alarm.id}/close`, { body: {}, token: operator })).status).toBe(409);
    const acked = (await fn.api(`/api/alarms/${alarm.id}/ack`, { body: {}, token: operator })).body;
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'duty' });
    expect((await fn.api(`/api/alarms/${alarm.id}/ack`, { body: {}, token: operator })).status).toBe(409);
    expect((await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'smoke' }, token: operator })).status).toBe(400);
    expect((await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'test' }, token: logistics })).status).toBe(403);
    const confirmed = (await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'test', note: '季度测试' }, token: operator })).body;
    expect(confirmed).toMatchObject({ status: 'confirmed', outcome: 'test', confirmedBy: 'duty', note: '季度测试' });
    expect(Date.parse(confirmed.confirmedAt)).toBeGreaterThanOrEqual(Date.parse(confirmed.acknowledgedAt));
    expect((await fn.api(`/api/alarms/${alarm.id}/close`, { body: {}, token: operator })).body).toMatchObject({ status: 'closed', closedBy: 'duty' });
    // a new alarm from the same detector after closing is a new alarm
    await publishEvent(detector, 'sd-ward', 'w-2', 'smoke.alarm');
    const all = (await fn.api<any[]>('/api/alarms?deviceId=sd-ward')).body;
    expect(all).toHaveLength(2);
  });

  it('escalates an unconfirmed alarm at its deadline to the safety manager and the county bureau', async () => {
    await fn.api('/api/sites', { body: { id: 'fast', name: '测试卫生院', regionCode: '220281', ackSec: 1, confirmSec: 1, escalateSec: 2 } });
    await fn.store.createUser({ username: 'fast-safety', passwordHash: await hashSecret('pw-fs'), role: 'safety_manager', regionCode: null, siteIds: ['fast'] });
    await fn.store.createUser({ username: 'jiaohe', passwordHash: await hashSecret('pw-jh'), role: 'bureau', regionCode: '220281', siteIds: [] });
    await fn.store.createUser({ username: 'huadian', passwordHash: await hashSecret('pw-hd'), role: 'bureau', regionCode: '220282', siteIds: [] });
    const manager = await fn.viewer(await fn.login('fast-safety', 'pw-fs'));
    const county = await fn.viewer(await fn.login('jiaohe', 'pw-jh'));
    const otherCounty = await fn.viewer(await fn.login('huadian', 'pw-hd'));
    const leaked: unknown[] = [];
    otherCounty.on('alarm.escalated', (a) => leaked.push(a));

    const secret = await fn.provisionDevice({ id: 'sd-fast', family: 'smoke_detector', siteId: 'fast' });
    const detector = await fn.connectDevice('sd-fast', secret);
    const toManager = nextEvent<{ deviceId: string }>(manager, 'alarm.escalated', (a) => a.deviceId === 'sd-fast', 6000);
    const toCounty = nextEvent<{ deviceId: string }>(county, 'alarm.escalated', (a) => a.deviceId === 'sd-fast', 6000);
    await publishEvent(detector, 'sd-fast', 'fast-1', 'smoke.alarm');
    const [m] = await Promise.all([toManager, toCounty]);
    expect(m).toMatchObject({ deviceId: 'sd-fast', status: 'new' });
    const alarm = (await fn.api<any[]>('/api/alarms?deviceId=sd-fast')).body[0];
    expect(alarm.escalatedAt).not.toBeNull();
    expect(alarm.ackOverdueAt).not.toBeNull();
    expect(alarm.confirmOverdueAt).not.toBeNull();
    expect(leaked).toEqual([]);
  });

  it('notifies upward at once on a confirmed fire, and turns repeated false alarms into a work order', async () => {
    await fn.store.createUser({ username: 'province', passwordHash: await hashSecret('pw-prov'), role: 'bureau', regionCode: '220000', siteIds: [] });
    const province = await fn.viewer(await fn.login('province', 'pw-prov'));
    const detector = await device('sd-noisy', 'smoke_detector');
    const upward = nextEvent<{ kind: string; data: { deviceId: string } }>(province, 'notification', (n) => n.kind === 'fire.confirmed', 3000);
    await publishEvent(detector, 'sd-noisy', 'n-0', 'smoke.alarm');
    let [alarm] = (await fn.api<any[]>('/api/alarms?deviceId=sd-noisy&status=new')).body;
    await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'fire' }, token: operator });
    expect((await upward).data.deviceId).toBe('sd-noisy');
    await fn.api(`/api/alarms/${alarm.id}/close`, { body: {}, token: operator });

    for (let i = 1; i <= 3; i++) {
      await publishEvent(detector, 'sd-noisy', `n-${i}`, 'smoke.alarm');
      [alarm] = (await fn.api<any[]>('/api/alarms?deviceId=sd-noisy&status=new')).body;
      expect((await fn.api(`/api/alarms/${alarm.id}/confirm`, { body: { outcome: 'false_alarm' }, token: operator })).status).toBe(200);
      await fn.api(`/api/alarms/${alarm.id}/close`, { body: {}, token: operator });
    }
    const order = await eventually(async () => (await fn.api<any[]>('/api/workorders?deviceId=sd-noisy')).body.find((w) => w.category === 'false_alarms'), 3000, 'false-alarm work order');
    expect(order).toMatchObject({ ruleId: 'detector.false_alarms', state: 'open' });
  });

  it('flags the alarms of one zone as a likely real fire when two detectors alarm together', async () => {
    const a = await device('sd-z1', 'smoke_detector', { zone: '外科病房' });
    const b = await device('sd-z2', 'smoke_detector', { zone: '外科病房' });
    await publishEvent(a, 'sd-z1', 'z-1', 'smoke.alarm');
    expect((await fn.api<any[]>('/api/alarms?deviceId=sd-z1')).body[0].likelyFire).toBe(false);
    await publishEvent(b, 'sd-z2', 'z-2', 'smoke.alarm');
    for (const id of ['sd-z1', 'sd-z2']) {
      expect((await fn.api<any[]>(`/api/alarms?deviceId=${id}`)).body[0].likelyFire).toBe(true);
    }
  });
});

describe('hazard tickets: the closed loop', () => {
  it('walks a manual report through registered, rectifying, a rejected verification, and closing, with the audit trail', async () => {
    const report = await fn.api('/api/tickets', { token: operator, body: { siteId: SITE, title: '安全出口堵塞', description: '住院楼3F东侧安全出口被杂物堵塞', location: '住院楼 3F', level: 'general' } });
    expect(report.status).toBe(201);
    const id = report.body.id;
    expect(report.body).toMatchObject({ state: 'reported', source: 'manual', reportedBy: 'duty', level: 'general', grade: 'general' });
    const move = (body: unknown, token = safety) => fn.api(`/api/tickets/${id}/transition`, { body, token });

    // a role without the right is refused before anything is said about the ticket's state
    expect((await move({ to: 'closed' }, operator)).status).toBe(403);
    const skip = await move({ to: 'rectifying' });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toMatch(/ticket is reported; it can move to registered/);
    const missing = await move({ to: 'registered', owner: '张三', funds: '500元' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/body\.measures/);
    const deadline = new Date(Date.now() + 7 * 86400_000).toISOString();
    expect((await move({ to: 'registered', owner: '张三', funds: '500元', measures: '清理杂物，设置禁止堆放标识', deadline, contingencyPlan: '疏散预案' }, operator)).status).toBe(403);
    const registered = (await move({ to: 'registered', owner: '张三', funds: '500元', measures: '清理杂物，设置禁止堆放标识', deadline, contingencyPlan: '疏散预案' })).body;
    expect(registered.fiveInPlace).toEqual({ owner: '张三', funds: '500元', measures: '清理杂物，设置禁止堆放标识', deadline, contingencyPlan: '疏散预案' });
    expect((await move({ to: 'rectifying' }, logistics)).body.state).toBe('rectifying');
    expect((await move({ to: 'pending_verification', note: '已清理' }, logistics)).body.state).toBe('pending_verification');
    expect((await move({ to: 'closed' }, logistics)).status).toBe(403);
    expect((await move({ to: 'rectifying', note: '仍有杂物' })).body.state).toBe('rectifying');
    expect((await move({ to: 'pending_verification', note: '已彻底清理' }, logistics)).body.state).toBe('pending_verification');
    const closed = (await move({ to: 'closed', note: '验收通过，销号' })).body;
    expect(closed).toMatchObject({ state: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    expect((await move({ to: 'rectifying' })).status).toBe(409);

    const detail = (await fn.api(`/api/tickets/${id}`)).body;
    expect(detail.events.map((e: { action: string; to: string | null; actor: string }) => [e.action, e.to, e.actor])).toEqual([
      ['reported', 'reported', 'duty'],
      ['transition', 'registered', 'safety'],
      ['transition', 'rectifying', 'fixer'],
      ['transition', 'pending_verification', 'fixer'],
      ['rejected', 'rectifying', 'safety'],
      ['transition', 'pending_verification', 'fixer'],
      ['transition', 'closed', 'safety'],
    ]);
  });

  it('pushes every transition live', async () => {
    const viewer = await fn.viewer(safety);
    const created = nextEvent<{ title: string; state: string }>(viewer, 'ticket', (t) => t.title === '灭火器过期' && t.state === 'reported');
    const report = await fn.api('/api/tickets', { token: safety, body: { siteId: SITE, title: '灭火器过期', level: 'low' } });
    await created;
    const moved = nextEvent<{ id: string; state: string }>(viewer, 'ticket', (t) => t.id === report.body.id && t.state === 'registered');
    await fn.api(`/api/tickets/${report.body.id}/transition`, { token: safety, body: { to: 'registered', owner: '李四', funds: '200元', measures: '更换', deadline: new Date(Date.now() + 86400_000).toISOString(), contingencyPlan: '临时调配灭火器' } });
    await moved;
  });

  it('flags an overdue rectification and escalates it to the bureaus; major hazards stay on their list until closed', async () => {
    await fn.store.createUser({ username: 'city', passwordHash: await hashSecret('pw-city'), role: 'bureau', regionCode: '220200', siteIds: [] });
    const city = await fn.login('city', 'pw-city');
    const viewer = await fn.viewer(city);
    const report = await fn.api('/api/tickets', { token: safety, body: { siteId: SITE, title: '消防控制室无人值守', level: 'major', grade: 'major' } });
    const id = report.body.id;
    const majors = async () => (await fn.api<any[]>('/api/tickets?grade=major&status=open', { token: city })).body.map((t) => t.id);
    expect(await majors()).toContain(id);
    await fn.api(`/api/tickets/${id}/transition`, { token: safety, body: { to: 'registered', owner: '院长', funds: '专项', measures: '24小时双人值班', deadline: new Date(Date.now() + 1500).toISOString(), contingencyPlan: '应急预案', acceptanceCriteria: '双人持证值班，县卫健局现场复查' } });
    const escalated = nextEvent<{ kind: string; data: { ticketId: string } }>(viewer, 'notification', (n) => n.kind === 'ticket.overdue' && n.data.ticketId === id, 40_000);
    await new Promise((r) => setTimeout(r, 1600));
    const flagged = await fn.api<any[]>('/api/tickets?overdue=true', { token: city });
    expect(flagged.body.map((t) => t.id)).toContain(id);
    await escalated;
    expect((await fn.api(`/api/tickets/${id}`, { token: city })).body.events.map((e: { action: string }) => e.action)).toContain('overdue');
    expect(await majors()).toContain(id);
  }, 60_000);

  it('lets a bureau put a hazard under supervision (挂牌督办): trail, the institution and the bureaus above told, none beside', async () => {
    await fn.store.createUser({ username: 'jilin-prov', passwordHash: await hashSecret('pw-prov'), role: 'bureau', regionCode: '220000', siteIds: [] });
    await fn.store.createUser({ username: 'jiaohe-sup', passwordHash: await hashSecret('pw-jhs'), role: 'bureau', regionCode: '220281', siteIds: [] });
    await fn.store.createUser({ username: 'huadian-sup', passwordHash: await hashSecret('pw-hds'), role: 'bureau', regionCode: '220282', siteIds: [] });
    const county = await fn.login('jiaohe-sup', 'pw-jhs');
    const institution = await fn.viewer(safety);
    const province = await fn.viewer(await fn.login('jilin-prov', 'pw-prov'));
    const beside = await fn.viewer(await fn.login('huadian-sup', 'pw-hds'));
    const leaked: unknown[] = [];
    beside.on('notification', (n) => leaked.push(n));

    const id = (await fn.api<{ id: string }>('/api/tickets', { token: safety, body: { siteId: SITE, title: '配电室堆放可燃物', level: 'significant' } })).body.id;
    const toInstitution = nextEvent<{ kind: string; data: { ticketId: string; note: string } }>(institution, 'notification', (n) => n.kind === 'ticket.escalated' && n.data.ticketId === id, 5000);
    const toProvince = nextEvent<{ kind: string; data: { ticketId: string } }>(province, 'notification', (n) => n.kind === 'ticket.escalated' && n.data.ticketId === id, 5000);
    const res = await fn.api<{ escalatedAt: string | null }>(`/api/tickets/${id}/escalate`, { token: county, body: { note: '限期一周整改，县卫健委挂牌督办' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.escalatedAt).not.toBeNull();
    expect((await toInstitution).data.note).toBe('限期一周整改，县卫健委挂牌督办');
    await toProvince;
    const events = (await fn.api<{ events: { action: string; actor: string; note: string }[] }>(`/api/tickets/${id}`, { token: safety })).body.events;
    expect(events.find((e) => e.action === 'escalated')).toMatchObject({ actor: 'jiaohe-sup', note: '限期一周整改，县卫健委挂牌督办' });

    // a note is required; the institution's own roles do not escalate; a bureau beside it does not see the ticket
    expect((await fn.api(`/api/tickets/${id}/escalate`, { token: county, body: { note: ' ' } })).status).toBe(400);
    expect((await fn.api(`/api/tickets/${id}/escalate`, { token: safety, body: { note: '自己督办' } })).status).toBe(403);
    expect((await fn.api(`/api/tickets/${id}/escalate`, { token: await fn.login('huadian-sup', 'pw-hds'), body: { note: '越权' } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toEqual([]);

    // a closed hazard has nothing left to escalate
    const closed = (await fn.api<{ id: string }>('/api/tickets', { token: safety, body: { siteId: SITE, title: '灭火器过期', level: 'low' } })).body.id;
    // logistics rectifies, the safety manager verifies (nobody verifies their own work)
    for (const [token, step] of [
      [safety, { to: 'registered', owner: '保卫科', funds: '日常经费', measures: '更换灭火器', deadline: new Date(Date.now() + 86_400_000).toISOString(), contingencyPlan: '临时调配' }],
      [safety, { to: 'rectifying' }], [logistics, { to: 'pending_verification', note: '已更换' }], [safety, { to: 'closed', note: '验收合格' }],
    ] as const) expect((await fn.api(`/api/tickets/${closed}/transition`, { token, body: step })).status).toBe(200);
    expect((await fn.api(`/api/tickets/${closed}/escalate`, { token: county, body: { note: '督办' } })).status).toBe(409);
  });

  it('keeps photos: type-checked by content, served with safe headers', async () => {
    const report = await fn.api('/api/tickets', { token: safety, body: { siteId: SITE, title: '电线私拉乱接', level: 'general' } });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const up = await fetch(`${fn.httpUrl}/api/tickets/${report.body.id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${safety}`, 'content-type': 'image/png' }, body: png });
    expect(up.status).toBe(201);
    const { url } = await up.json() as { url: string };
    const got = await fetch(fn.httpUrl + url, { headers: { authorization: `Bearer ${safety}` } });
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    const fake = await fetch(`${fn.httpUrl}/api/tickets/${report.body.id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${safety}`, 'content-type': 'image/png' }, body: '<script>alert(1)</script>' });
    expect(fake.status).toBe(415);
  });
});

describe('rules are data, versioned', () => {
  it('keeps every version with who changed it, and refuses an invalid rule naming the field', async () => {
    await editRule('smoke.tamper', (r) => { r.enabled = false; });
    const versions = (await fn.api<any[]>('/api/rules/smoke.tamper/versions')).body;
    expect(versions.map((v) => [v.version, v.changedBy, v.definition.enabled])).toEqual([[2, 'admin', false], [1, 'system', true]]);
    const bad = await fn.api('/api/rules', { body: { id: 'x.bad', name: 'bad', families: ['smoke_detector'], condition: { kind: 'metric', when: [] }, effects: [{ kind: 'notify', message: 'x' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/body\.condition\.when/);
    expect((await fn.api('/api/rules', { token: operator, body: versions[0].definition })).status).toBe(403);
    // the disabled rule no longer fires
    const detector = await device('sd-tamper', 'smoke_detector');
    await publishEvent(detector, 'sd-tamper', 't-1', 'tamper');
    expect((await fn.api<any[]>('/api/workorders?deviceId=sd-tamper')).body).toEqual([]);
  });
});
