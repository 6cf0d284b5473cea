// A flood of readings sent at most once does not hold a fire alarm up: the broker takes the devices' data a budget a
// turn of the event loop (gateway/read-budget.ts), a quiet device's ahead of those waiting, so an alarm sent with the
// flood is read, stored and acknowledged while most of the flood still waits in the sockets; and the whole flood is
// processed in the end, none shed (read ahead at once, half of it went past the reading queue's bound and was shed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

// many sockets with a burst each: a turn of the event loop reads every socket's burst at once, all of it waits here
const CHARGERS = 200;
const READINGS_EACH = 500;
const FLOOD = CHARGERS * READINGS_EACH;

/** One MQTT 3.1.1 PUBLISH packet at QoS 0, as bytes (the flood is written straight to the sockets, all at once). */
function publishQos0(topic: string, payload: string): Buffer {
  const t = Buffer.from(topic);
  const body = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, Buffer.from(payload)]);
  const length: number[] = [];
  for (let n = body.length; ; ) {
    const byte = n % 128;
    n = Math.floor(n / 128);
    length.push(n > 0 ? byte | 0x80 : byte);
    if (n === 0) break;
  }
  return Buffer.concat([Buffer.from([0x30, ...length]), body]);
}

let fn: TestFireNet;
let chargers: { id: string; client: MqttClient }[];
let detector: MqttClient;

beforeAll(async () => {
  // no per-device rate: the flood is to reach the queue, not be throttled at the door
  fn = await startTestFireNet({ LOG_LEVEL: 'warn', MQTT_DEVICE_RATE: '0' });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  chargers = await Promise.all(Array.from({ length: CHARGERS }, async (_, i) => {
    const id = `cs-flood-${i}`;
    return { id, client: await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'charging_station', siteId: 'jh-rmyy' })) };
  }));
  detector = await fn.connectDevice('sd-flood', await fn.provisionDevice({ id: 'sd-flood', family: 'smoke_detector', siteId: 'jh-rmyy' }));
}, 60_000);
afterAll(() => fn?.stop());

const processed = async (): Promise<{ readings: number; shed: number }> => {
  const { gateway } = (await fn.api<{ gateway: { messagesIn: Record<string, number>; readingsShed: number } }>('/api/health', { token: null })).body;
  return { readings: gateway.messagesIn['charging_station/telemetry'] ?? 0, shed: gateway.readingsShed };
};

describe('a flood of readings', () => {
  it('lets a fire alarm sent with it through first, and is processed whole afterwards', async () => {
    const floods = chargers.map(({ id }) => Buffer.concat(Array.from({ length: READINGS_EACH }, (_, k) =>
      publishQos0(deviceTopic(id, 'telemetry'), JSON.stringify({ metrics: { temperature_c: 30 + (k % 10), current_a: 2.5 }, port: 1 })))));
    for (const [i, { client }] of chargers.entries()) client.stream.write(floods[i]!);
    const alarm = { id: 'flood-alarm-1', ts: Date.now(), type: 'smoke.alarm', data: {} };
    await detector.publishAsync(deviceTopic('sd-flood', 'events'), JSON.stringify(alarm), { qos: 1 }); // resolves on PUBACK
    const atAck = await processed();
    // acknowledged, hence stored, while most of the flood still waited behind it
    expect(atAck.readings).toBeLessThan(FLOOD / 2);
    const alarms = await fn.api<{ deviceId: string; type: string }[]>('/api/alarms?status=new');
    expect(alarms.body.some((a) => a.deviceId === 'sd-flood' && a.type === 'smoke.alarm')).toBe(true);
    // and then every reading, none shed
    const done = await eventually(async () => { const p = await processed(); return p.readings + p.shed >= FLOOD ? p : null; }, 60_000, 'the flood processed');
    expect(done).toEqual({ readings: FLOOD, shed: 0 });
  }, 90_000);
});
