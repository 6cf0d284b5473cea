// Device API v1 end to end: real MQTT clients against the real gateway, real store, real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, nextEvent, onEach, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let secret: string;
let otherSecret: string;

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  await fn.provisionSite('hd-rmyy', '220282', '桦甸市人民医院');
  secret = await fn.provisionDevice({ id: 'sd-001', family: 'smoke_detector', siteId: 'jh-rmyy', zone: '住院楼 3F 内科病房' });
  otherSecret = await fn.provisionDevice({ id: 'sd-002', family: 'smoke_detector', siteId: 'jh-rmyy' });
});
afterAll(() => fn?.stop());

describe('a device alarm reaches the duty room', () => {
  it('stores a smoke.alarm published over MQTT, lists it in the API and pushes it to a socket.io viewer', async () => {
    const viewer = await fn.viewer(await fn.login());
    const device = await fn.connectDevice('sd-001', secret);
    const pushed = nextEvent<{ deviceId: string; id: string; status: string }>(viewer, 'alarm', (a) => a.deviceId === 'sd-001', 1000);
    await device.publishAsync(deviceTopic('sd-001', 'events'), eventPayload('e-1', 'smoke.alarm'), { qos: 1 });
    const alarm = await pushed;
    expect(alarm.status).toBe('new');

    const listed = await fn.api<any[]>('/api/alarms?status=active');
    expect(listed.status).toBe(200);
    const row = listed.body.find((a) => a.id === alarm.id);
    expect(row).toMatchObject({ deviceId: 'sd-001', siteId: 'jh-rmyy', siteName: '蛟河市人民医院', regionCode: '220281', type: 'smoke.alarm', status: 'new', count: 1 });
    expect(row.location).toContain('内科病房');
    expect(Date.parse(row.raisedAt)).toBeGreaterThan(0);
  });

  it('pushes only to viewers whose region contains the site', async () => {
    await fn.api('/api/sites', { body: { id: 'cc-1', name: '长春测试医院', regionCode: '220104' } });
    const ccSecret = await fn.provisionDevice({ id: 'sd-cc-1', family: 'smoke_detector', siteId: 'cc-1' });
    const store = fn.store;
    // users scoped to a county that contains the site, and to one that does not
    const { hashSecret } = await import('../../platform/auth/hash.js');
    await store.createUser({ username: 'chaoyang', passwordHash: await hashSecret('pw-chaoyang'), role: 'bureau', regionCode: '220104', siteIds: [] });
    await store.createUser({ username: 'jiaohe', passwordHash: await hashSecret('pw-jiaohe'), role: 'bureau', regionCode: '220281', siteIds: [] });
    const inside = await fn.viewer(await fn.login('chaoyang', 'pw-chaoyang'));
    const outside = await fn.viewer(await fn.login('jiaohe', 'pw-jiaohe'));
    const leaked: unknown[] = [];
    onEach(outside, 'alarm', (a) => leaked.push(a));

    const device = await fn.connectDevice('sd-cc-1', ccSecret);
    const seen = nextEvent<{ deviceId: string }>(inside, 'alarm', (a) => a.deviceId === 'sd-cc-1');
    await device.publishAsync(deviceTopic('sd-cc-1', 'events'), eventPayload('cc-e1', 'smoke.alarm'), { qos: 1 });
    await seen;
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toEqual([]);
    const jiaoheList = await fn.api<any[]>('/api/alarms?status=active', { token: await fn.login('jiaohe', 'pw-jiaohe') });
    expect(jiaoheList.body.map((a) => a.deviceId)).not.toContain('sd-cc-1');
  });

  it('refuses a socket.io viewer without a valid token', async () => {
    await expect(fn.viewer('not-a-token')).rejects.toThrow(/unauthorized/);
  });

  it('accepts the same device over MQTT on WebSocket (/mqtt)', async () => {
    const client = await fn.connectDevice('sd-002', otherSecret, { ws: true });
    await client.publishAsync(deviceTopic('sd-002', 'events'), eventPayload('ws-1', 'selftest'), { qos: 1 });
    expect(await fn.store.countEvents('sd-002')).toBe(1);
    await client.endAsync();
  });
});

describe('authentication and authorisation at the gateway', () => {
  it('refuses a wrong secret with CONNACK "bad username or password", logs and counts it', async () => {
    const before = fn.gateway.stats.connectsRefused.bad_secret ?? 0;
    const err = await mqtt.connectAsync(fn.mqttUrl, { clientId: 'sd-001', username: 'sd-001', password: 'wrong', reconnectPeriod: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: number }).code).toBe(4);
    expect(fn.gateway.stats.connectsRefused.bad_secret).toBe(before + 1);
    expect(fn.logs.some((l) => l.msg === 'device connection refused' && l.reason === 'bad_secret' && l.deviceId === 'sd-001')).toBe(true);
  });

  it('refuses an unknown device and a client id that is not the username', async () => {
    const unknown = await mqtt.connectAsync(fn.mqttUrl, { clientId: 'ghost', username: 'ghost', password: 'x', reconnectPeriod: 0 }).catch((e) => e);
    expect((unknown as { code?: number }).code).toBe(5);
    const mismatch = await mqtt.connectAsync(fn.mqttUrl, { clientId: 'other-id', username: 'sd-001', password: secret, reconnectPeriod: 0 }).catch((e) => e);
    expect((mismatch as { code?: number }).code).toBe(5);
    expect(fn.gateway.stats.connectsRefused.unknown_device).toBeGreaterThanOrEqual(1);
    expect(fn.gateway.stats.connectsRefused.client_id_mismatch).toBeGreaterThanOrEqual(1);
  });

  it('drops and counts a publish to another device\'s topic; the other device never sees it', async () => {
    const a = await fn.connectDevice('sd-001', secret);
    const b = await fn.connectDevice('sd-002', otherSecret);
    const bGot: string[] = [];
    b.on('message', (topic) => bGot.push(topic));
    await b.subscribeAsync(deviceTopic('sd-002', 'commands'), { qos: 1 });
    const dropped = fn.gateway.stats.publishesDropped;
    const eventsOfB = await fn.store.countEvents('sd-002');

    await a.publishAsync(deviceTopic('sd-002', 'events'), eventPayload('spoof-1', 'smoke.alarm'), { qos: 1 });
    await a.publishAsync(deviceTopic('sd-002', 'commands'), JSON.stringify({ id: 'x', type: 'power_off' }), { qos: 1 });
    await a.publishAsync('some/other/topic', 'hello', { qos: 1 });

    expect(fn.gateway.stats.publishesDropped).toBe(dropped + 3);
    expect(await fn.store.countEvents('sd-002')).toBe(eventsOfB);
    const alarms = await fn.api<any[]>('/api/alarms');
    expect(alarms.body.filter((x) => x.deviceId === 'sd-002')).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(bGot).toEqual([]);
    expect(a.connected).toBe(true);
    await Promise.all([a.endAsync(), b.endAsync()]);
  });

  it('grants a device its own commands and refuses (SUBACK 0x80) another device\'s commands and "#"', async () => {
    const a = await fn.connectDevice('sd-001', secret);
    // mqtt.js rejects a SUBSCRIBE with any refused topic, carrying the SUBACK on the error
    const refused = await a.subscribeAsync([deviceTopic('sd-001', 'commands'), deviceTopic('sd-002', 'commands'), '#', 'firenet/v1/devices/+/events'], { qos: 1 })
      .then(() => null, (err: { packet?: { granted: number[] } }) => err);
    expect(refused?.packet?.granted).toEqual([1, 128, 128, 128]);
    expect(fn.logs.some((l) => l.msg === 'subscription refused' && l.topic === '#')).toBe(true);
    expect(a.connected).toBe(true);
    const granted = await a.subscribeAsync(deviceTopic('sd-001', 'commands'), { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    const got = new Promise<{ topic: string; payload: string }>((resolve) => a.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() })));
    await fn.gateway.sendCommand('sd-001', { id: 'cmd-1', type: 'selftest' });
    expect(await got).toEqual({ topic: deviceTopic('sd-001', 'commands'), payload: JSON.stringify({ id: 'cmd-1', type: 'selftest' }) });
    await a.endAsync();
  });
});

describe('bad frames are counted, logged and visible on the device; good devices carry on', () => {
  it('rejects malformed JSON, a wrong shape, an unknown type and an oversize payload, while a good alarm still goes through', async () => {
    const bad = await fn.connectDevice('sd-002', otherSecret);
    const good = await fn.connectDevice('sd-001', secret);
    const viewer = await fn.viewer(fn.adminToken);
    const before = (await fn.api('/api/devices/sd-002')).body.badMessages as number;

    const events = deviceTopic('sd-002', 'events');
    await bad.publishAsync(events, '{not json', { qos: 1 });
    await bad.publishAsync(events, JSON.stringify({ id: 'w1', ts: Date.now(), type: 'smoke.alarm', data: 'oops' }), { qos: 1 });
    await bad.publishAsync(events, JSON.stringify({ id: 'w2', ts: Date.now(), type: 'fire.alarm', data: { loop: 1, point: 2 } }), { qos: 1 }); // a panel's type from a detector
    await bad.publishAsync(deviceTopic('sd-002', 'telemetry'), JSON.stringify({ ts: Date.now(), metrics: { smoke_db_m: 'high' } }), { qos: 1 });
    await bad.publishAsync(events, JSON.stringify({ id: 'big', ts: Date.now(), type: 'selftest', data: { pad: 'x'.repeat(20_000) } }), { qos: 1 });

    const pushed = nextEvent<{ deviceId: string }>(viewer, 'alarm', (a) => a.deviceId === 'sd-001');
    await good.publishAsync(deviceTopic('sd-001', 'events'), eventPayload('good-after-bad', 'smoke.alarm'), { qos: 1 });
    await pushed;

    const device = (await fn.api('/api/devices/sd-002')).body;
    expect(device.badMessages).toBe(before + 5);
    const reasons: string[] = device.recentBadMessages.map((m: { reason: string }) => m.reason);
    expect(reasons.some((r) => r.startsWith('not JSON'))).toBe(true);
    expect(reasons.some((r) => r.includes('data'))).toBe(true);
    expect(reasons.some((r) => r.includes('unknown event type "fire.alarm" for smoke_detector'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('metrics.smoke_db_m'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('oversize'))).toBe(true);
    expect(device.lastBadReason).toMatch(/^oversize/);
    expect(fn.logs.filter((l) => l.msg === 'bad device message' && l.deviceId === 'sd-002').length).toBeGreaterThanOrEqual(5);
    expect(bad.connected).toBe(true);
    await Promise.all([bad.endAsync(), good.endAsync()]);
  });
});

describe('QoS 1 delivery', () => {
  it('stores a redelivered event (same id) once and counts the alarm once', async () => {
    const secret3 = await fn.provisionDevice({ id: 'sd-003', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const client = await fn.connectDevice('sd-003', secret3);
    const payload = eventPayload('dup-1', 'smoke.alarm');
    await client.publishAsync(deviceTopic('sd-003', 'events'), payload, { qos: 1 });
    await client.publishAsync(deviceTopic('sd-003', 'events'), payload, { qos: 1, dup: true });
    await client.publishAsync(deviceTopic('sd-003', 'events'), payload, { qos: 1, dup: true });
    expect(await fn.store.countEvents('sd-003')).toBe(1);
    const alarms = (await fn.api<any[]>('/api/alarms')).body.filter((a) => a.deviceId === 'sd-003');
    expect(alarms).toHaveLength(1);
    expect(alarms[0].count).toBe(1);
    await client.endAsync();
  });

  it('acknowledges an event only once it is stored: when PUBACK arrives the event is already in the database', async () => {
    const secret4 = await fn.provisionDevice({ id: 'sd-004', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const client = await fn.connectDevice('sd-004', secret4);
    for (let i = 0; i < 20; i++) {
      await client.publishAsync(deviceTopic('sd-004', 'events'), eventPayload(`ack-${i}`, i % 2 ? 'smoke.alarm' : 'smoke.clear'), { qos: 1 });
      expect(await fn.store.countEvents('sd-004')).toBe(i + 1);
    }
    await client.endAsync();
  });

  it('stores QoS 1 telemetry before acknowledging it and marks the device as seen', async () => {
    const client = await fn.connectDevice('sd-002', otherSecret);
    const before = await fn.store.telemetry.count('sd-002');
    await client.publishAsync(deviceTopic('sd-002', 'telemetry'), JSON.stringify({ ts: Date.now(), metrics: { smoke_db_m: 0.02, battery_pct: 87, rssi_dbm: -71 } }), { qos: 1 });
    expect(await fn.store.telemetry.count('sd-002')).toBe(before + 1);
    const device = await eventually(async () => {
      const d = (await fn.api('/api/devices/sd-002')).body;
      return d.online ? d : null;
    }, 5000, 'device online');
    expect(device.lastSeenAt).not.toBeNull();
    await client.endAsync();
  });
});
