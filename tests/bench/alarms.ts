// Alarm latency, device -> screen: a QoS 1 smoke.alarm through FireNet (validated, stored, rules,
// pushed over socket.io) against the same publish through a bare aedes to a subscriber.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../gateway/topics.js';
import { startTestFireNet } from '../helpers/firenet.js';

export interface Latency { p50: number; p95: number; p99: number; max: number }

function summary(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1]! };
}

/**
 * Sends `count` alarms one at a time, round-robin over the devices. The receiving side calls `on`
 * with a key; `keyOf(i, d)` says which key the i-th alarm (from device d) arrives under.
 */
async function roundTrips(devices: MqttClient[], topicOf: (d: number) => string, count: number,
  keyOf: (i: number, d: number) => string, arrived: (on: (key: string) => void) => void): Promise<Latency> {
  const waiting = new Map<string, () => void>();
  arrived((key) => waiting.get(key)?.());
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = i % devices.length;
    const key = keyOf(i, d);
    const start = performance.now();
    const done = new Promise<void>((resolve) => waiting.set(key, resolve));
    await devices[d]!.publishAsync(topicOf(d), JSON.stringify({ id: `bench-${i}`, ts: Date.now(), type: 'smoke.alarm', data: {} }), { qos: 1 });
    await done;
    samples.push(performance.now() - start);
    waiting.delete(key);
  }
  return summary(samples);
}

export async function bareAedesLatency(devices: number, count: number): Promise<Latency> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'sub' });
  await sub.subscribeAsync('ref/#', { qos: 1 });
  const pubs = await Promise.all(Array.from({ length: devices }, (_, i) => mqtt.connectAsync(url, { clientId: `p${i}` })));
  try {
    return await roundTrips(pubs, (d) => `ref/${d}`, count, (i) => `bench-${i}`,
      (on) => sub.on('message', (_t, payload) => on(JSON.parse(payload.toString()).id)));
  } finally {
    await Promise.all([...pubs, sub].map((c) => c.endAsync()));
    await new Promise<void>((r) => broker.close(() => r()));
    server.close();
  }
}

export async function fireNetLatency(devices: number, count: number): Promise<Latency> {
  const fn = await startTestFireNet({ LOG_LEVEL: 'warn' });
  try {
    await fn.provisionSite('bench-site', '220281', '蛟河市人民医院');
    const clients: MqttClient[] = [];
    for (let i = 0; i < devices; i++) {
      const id = `bench-sd-${i}`;
      clients.push(await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: 'bench-site' })));
    }
    const viewer = await fn.viewer(fn.adminToken);
    // a detector's first alarm opens its alarm, each further one is a repeat: the i-th arrives as count i/devices + 1
    return await roundTrips(clients, (d) => deviceTopic(`bench-sd-${d}`, 'events'), count, (i, d) => `bench-sd-${d}#${Math.floor(i / devices) + 1}`,
      (on) => viewer.on('alarm', (a: { deviceId: string; count: number }) => on(`${a.deviceId}#${a.count}`)));
  } finally {
    await fn.stop();
  }
}
