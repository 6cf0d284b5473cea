// Nothing a device sends can block, drop or stop an alarm: payloads the store cannot keep are refused as bad messages
// (acknowledged, counted, shown on the device) instead of closing the connection for ever; fire alarms over the rate
// are slowed, never dropped; one absurd reading cannot stop the rollups; unsigned connections are capped.
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { deviceTopic } from '../../contracts/topics.js';
import type { Queryable } from '../../platform/store/executor.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
const SITE = 'jh-rmyy';
const RATE = 50;
const BURST = 100;

beforeAll(async () => {
  fn = await startTestFireNet({
    MQTT_DEVICE_RATE: String(RATE), MQTT_DEVICE_BURST: String(BURST), MQTT_PENDING_PER_ADDRESS: '5', MQTT_CONNECT_TIMEOUT_SEC: '1',
    REALTIME_MAX_BUFFER_BYTES: String(64 * 1024),
  });
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
});
afterAll(async () => {
  await fn?.stop();
});

type Outcome = 'acked' | 'closed' | 'timeout';

/** Publishes at QoS 1 and tells whether the gateway acknowledged it, closed the connection, or did neither in time. */
function publishOutcome(client: MqttClient, topic: string, payload: string | Buffer, ms = 5000): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), ms);
    const onClose = () => finish('closed');
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      client.off('close', onClose);
      resolve(outcome);
    };
    client.once('close', onClose);
    client.publish(topic, payload, { qos: 1 }, (err) => finish(err ? 'closed' : 'acked'));
  });
}

const device = async (id: string) => (await fn.api<{ badMessages: number; lastBadReason: string | null }>(`/api/devices/${id}`)).body;
/** The event ids stored for a device, read straight from the database. */
const storedEvents = async (id: string) => {
  const db = (fn.store as unknown as { db: Queryable }).db;
  return (await db.query<{ event_id: string }>('select event_id from device_events where device_id = $1 order by event_id', [id])).map((r) => r.event_id);
};

describe('a payload that passes the schema but cannot be stored', () => {
  const ts = Date.now();
  const poison: [string, 'events' | 'telemetry' | 'commands/ack', string | Buffer][] = [
    ['ts beyond what a Date holds', 'events', JSON.stringify({ id: 'p-ts-huge', ts: 9e15, type: 'smoke.alarm', data: {} })],
    ['ts in the year 10000', 'events', JSON.stringify({ id: 'p-ts-10000', ts: 253402300800000, type: 'smoke.alarm', data: {} })],
    ['NUL in the event id', 'events', JSON.stringify({ id: 'p-\u0000', ts, type: 'smoke.alarm', data: {} })],
    ['NUL in a data key', 'events', JSON.stringify({ id: 'p-nul-key', ts, type: 'smoke.alarm', data: { 'a\u0000': 1 } })],
    ['NUL in a data value', 'events', JSON.stringify({ id: 'p-nul-value', ts, type: 'smoke.alarm', data: { zone: 'x\u0000' } })],
    ['NUL in a fault message', 'events', JSON.stringify({ id: 'p-nul-fault', ts, type: 'fault', data: { code: 'E1', message: 'bad\u0000' } })],
    ['a lone surrogate in the id', 'events', `{"id":"p-\\ud800","ts":${ts},"type":"smoke.alarm","data":{}}`],
    ['a lone surrogate in data', 'events', `{"id":"p-sur-data","ts":${ts},"type":"smoke.alarm","data":{"zone":"\\udc00x"}}`],
    ['type constructor', 'events', JSON.stringify({ id: 'p-ctor', ts, type: 'constructor', data: {} })],
    ['type __proto__', 'events', JSON.stringify({ id: 'p-proto', ts, type: '__proto__', data: {} })],
    ['type toString', 'events', JSON.stringify({ id: 'p-tostring', ts, type: 'toString', data: {} })],
    ['invalid UTF-8', 'events', Buffer.concat([Buffer.from('{"id":"p-utf8","ts":' + ts + ',"type":"smoke.alarm","data":{"zone":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')])],
    ['a telemetry key of NUL', 'telemetry', JSON.stringify({ metrics: { '\u0000': 1 } })],
    ['NUL in a command answer', 'commands/ack', JSON.stringify({ id: 'cmd-1', ok: false, message: 'no\u0000' })],
  ];

  it.each(poison)('%s: acknowledged, counted on the device, and a fire alarm after it is stored and acknowledged', async (_name, channel, payload) => {
    const id = `sd-poison-${Math.random().toString(36).slice(2, 8)}`;
    const secret = await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE });
    const client = await fn.connectDevice(id, secret);
    const badBefore = fn.gateway.stats.badMessages;

    expect(await publishOutcome(client, deviceTopic(id, channel), payload)).toBe('acked');
    expect(fn.gateway.stats.badMessages).toBe(badBefore + 1);
    const shown = await device(id);
    expect(shown.badMessages).toBe(1);
    expect(shown.lastBadReason).toBeTruthy();

    expect(await publishOutcome(client, deviceTopic(id, 'events'), eventPayload(`${id}-real`, 'smoke.alarm'))).toBe('acked');
    expect(await storedEvents(id)).toEqual([`${id}-real`]);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});

describe('the per-device rate', () => {
  it('never drops a fire alarm: a panel sending 300 at once has all of them stored and acknowledged, only slowed down', async () => {
    const id = 'fp-storm';
    const secret = await fn.provisionDevice({ id, family: 'fire_panel', siteId: SITE });
    const panel = await fn.connectDevice(id, secret);
    const sent = 300;
    panel.setMaxListeners(sent + 10); // each publish in flight listens for the connection's close
    const outcomes = await Promise.all(Array.from({ length: sent }, (_, i) =>
      publishOutcome(panel, deviceTopic(id, 'events'), eventPayload(`fa-${i}`, 'fire.alarm', { loop: 1, point: i, zone: `住院楼 ${i % 10}F` }), 120_000)));
    expect(outcomes.filter((o) => o === 'acked')).toHaveLength(sent);
    expect(new Set(await storedEvents(id)).size).toBe(sent);
    const shown = (await fn.api<{ throttled: number }>(`/api/devices/${id}`)).body;
    expect(shown.throttled).toBe(0);
    expect(fn.logs.some((l) => l.msg === 'device over its message rate: acknowledgements slowed' && l.deviceId === id)).toBe(true);
    await panel.endAsync();
  }, 150_000);
});

describe('telemetry ranges and rollups', () => {
  it('refuses an absurd reading as a bad message, and a bad row already stored cannot stop everyone\'s rollups', async () => {
    const bad = 'sd-absurd';
    const good = 'sd-sane';
    const badClient = await fn.connectDevice(bad, await fn.provisionDevice({ id: bad, family: 'smoke_detector', siteId: SITE }));
    const goodClient = await fn.connectDevice(good, await fn.provisionDevice({ id: good, family: 'smoke_detector', siteId: SITE }));
    const absurd = JSON.stringify({ metrics: { battery_pct: 1.7e308 } });
    for (let i = 0; i < 2; i++) expect(await publishOutcome(badClient, deviceTopic(bad, 'telemetry'), absurd)).toBe('acked');
    expect((await device(bad)).badMessages).toBe(2);
    expect((await device(bad)).lastBadReason).toContain('battery_pct');
    expect(await fn.store.telemetry.count(bad)).toBe(0);

    // rows stored before metrics had ranges: two of them overflow a sum of doubles
    const now = Date.now();
    await fn.store.telemetry.insert([1, 2].map((i) => ({ deviceId: bad, ts: now - i, port: null, metrics: { battery_pct: 1.7e308 } })));
    expect(await publishOutcome(goodClient, deviceTopic(good, 'telemetry'), JSON.stringify({ metrics: { battery_pct: 88 } }))).toBe('acked');
    await fn.jobs.rollups();
    const series = await fn.api<{ points: { count: number; avg: number }[] }>(`/api/devices/${good}/telemetry?metric=battery_pct&step=1m&from=${now - 120_000}`);
    expect(series.status).toBe(200);
    expect(series.body.points.map((p) => p.avg)).toEqual([88]);
    await badClient.endAsync();
    await goodClient.endAsync();
  });
});

describe('connections that do not sign in', () => {
  const rawSocket = (port: number) => new Promise<Socket>((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
  const closedWithin = (socket: Socket, ms: number) => new Promise<boolean>((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => { clearTimeout(timer); resolve(true); });
  });

  it('holds only MQTT_PENDING_PER_ADDRESS of them per address, closes the rest at once, and a device still signs in', async () => {
    const port = Number(new URL(fn.mqttUrl).port);
    const before = fn.gateway.stats.connectsRefused.too_many_pending ?? 0;
    const sockets = await Promise.all(Array.from({ length: 8 }, () => rawSocket(port)));
    const closed = await Promise.all(sockets.map((s) => closedWithin(s, 500)));
    expect(closed.filter(Boolean)).toHaveLength(3);
    expect(fn.gateway.stats.connectsRefused.too_many_pending).toBe(before + 3);
    for (const s of sockets) s.destroy();
    await eventually(async () => {
      const probe = await rawSocket(port);
      const refused = await closedWithin(probe, 200);
      probe.destroy();
      return !refused;
    }, 5000, 'the slots to free up');
    const secret = await fn.provisionDevice({ id: 'sd-after-flood', family: 'smoke_detector', siteId: SITE });
    const client = await fn.connectDevice('sd-after-flood', secret);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('closes a connection that sends no CONNECT within MQTT_CONNECT_TIMEOUT_SEC (aedes would wait 30 s)', async () => {
    const socket = await rawSocket(Number(new URL(fn.mqttUrl).port));
    socket.write(Buffer.from([0x10])); // the first byte of a CONNECT, and then nothing: a slow drip
    expect(await closedWithin(socket, 10_000)).toBe(true);
  });

  it('closes a WebSocket that announces a frame over the MQTT packet cap instead of buffering it', async () => {
    const ws = new WebSocket(fn.mqttWsUrl, 'mqtt');
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    // a binary frame header claiming 90 MB (masked, 64-bit length), then a little of its body
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(90n * 1024n * 1024n, 2);
    const raw = (ws as unknown as { _socket: Socket })._socket;
    raw.write(Buffer.concat([header, Buffer.alloc(4096)]));
    expect(await closed).toBe(1009); // message too big
  });
});

describe('a viewer that does not read', () => {
  it('is disconnected once its pushes pile up past REALTIME_MAX_BUFFER_BYTES, while the other viewers keep theirs', async () => {
    // An engine.io long-polling session signed in by hand that then never polls: every push waits in the server's queue.
    const base = `${fn.httpUrl}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    expect((await fetch(`${base}&sid=${sid}`, { method: 'POST', body: `40${JSON.stringify({ token: fn.adminToken })}` })).status).toBe(200);
    expect(await (await fetch(`${base}&sid=${sid}`)).text()).toMatch(/^40\{"sid"/); // signed in to the namespace

    const reader = await fn.viewer(fn.adminToken);
    const id = 'sd-loud';
    const client = await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE, zone: '住院楼 5F' }));
    for (let i = 0; i < 150; i++) {
      expect(await publishOutcome(client, deviceTopic(id, 'events'), eventPayload(`${id}-${i % 2 ? 'clear' : 'alarm'}-${i}`, i % 2 ? 'smoke.clear' : 'smoke.alarm'))).toBe('acked');
    }
    await eventually(async () => (await fn.api<{ realtime: { slowViewersDisconnected: number } }>('/api/health')).body.realtime.slowViewersDisconnected >= 1, 10_000, 'the slow viewer dropped');
    // what was waiting for it is gone: the next poll gets the close, not 100 kB of pushes, and then the session is unknown
    expect((await (await fetch(`${base}&sid=${sid}`)).text()).length).toBeLessThan(1000);
    expect((await fetch(`${base}&sid=${sid}`)).status).toBe(400);
    expect(reader.connected).toBe(true);
    const pushed = new Promise<{ deviceId: string }>((resolve) => reader.once('alarm', resolve));
    expect(await publishOutcome(client, deviceTopic(id, 'events'), eventPayload(`${id}-last`, 'smoke.alarm'))).toBe('acked');
    expect((await pushed).deviceId).toBe(id);
    await client.endAsync();
  });
});
