// `npm run bench`: FireNet's figures as ratios against a reference measured in the same run
// (bare aedes on the same machine), since absolute numbers on a shared machine are noise.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../gateway/topics.js';
import { startTestFireNet } from '../helpers/firenet.js';

const ALARMS = Number(process.env.BENCH_ALARMS ?? 300);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 30);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1]! };
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Reference: publish QoS 1 to a bare aedes and time until a subscriber has it. */
async function bareAedesLatency(): Promise<number[]> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'sub' });
  await sub.subscribeAsync('ref/#', { qos: 1 });
  const pubs = await Promise.all(Array.from({ length: DEVICES }, (_, i) => mqtt.connectAsync(url, { clientId: `p${i}` })));
  const samples = await timeRoundTrips(pubs, (i) => `ref/${i}`, (resolve) => sub.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()).id)));
  await Promise.all([...pubs, sub].map((c) => c.endAsync()));
  await new Promise<void>((r) => broker.close(() => r()));
  server.close();
  return samples;
}

/** Sends ALARMS events one after another over the devices; `arrive` wires the receiving side. */
async function timeRoundTrips(devices: MqttClient[], topicOf: (i: number) => string, arrive: (resolve: (id: string) => void) => void): Promise<number[]> {
  const waiting = new Map<string, (t: number) => void>();
  arrive((id) => waiting.get(id)?.(performance.now()));
  const samples: number[] = [];
  for (let i = 0; i < ALARMS; i++) {
    const id = `bench-${i}`;
    const arrived = new Promise<number>((resolve) => waiting.set(id, resolve));
    const start = performance.now();
    const d = i % devices.length;
    await devices[d]!.publishAsync(topicOf(d), JSON.stringify({ id, ts: Date.now(), type: 'smoke.alarm', data: {} }), { qos: 1 });
    samples.push((await arrived) - start);
    waiting.delete(id);
  }
  return samples;
}

/** FireNet: device publishes smoke.alarm (QoS 1) -> validated, stored, alarm raised -> socket.io viewer has it. */
async function fireNetLatency(): Promise<number[]> {
  const fn = await startTestFireNet({ LOG_LEVEL: 'warn' });
  try {
    await fn.provisionSite('bench-site', '220281', '蛟河市人民医院');
    const devices: MqttClient[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const id = `bench-sd-${i}`;
      devices.push(await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: 'bench-site' })));
    }
    const viewer = await fn.viewer(fn.adminToken);
    // each alarm event from a device raises a new alarm only once; close the loop on the push of each repeat too
    let resolveNext: ((id: string) => void) | null = null;
    const seen = new Map<string, number>();
    viewer.on('alarm', (a: { deviceId: string; count: number }) => {
      const last = seen.get(a.deviceId) ?? 0;
      if (a.count > last) { seen.set(a.deviceId, a.count); resolveNext?.(`${a.deviceId}#${a.count}`); }
    });
    const waiting = new Map<string, (t: number) => void>();
    resolveNext = (key) => waiting.get(key)?.(performance.now());
    const samples: number[] = [];
    const sent = new Map<string, number>();
    for (let i = 0; i < ALARMS; i++) {
      const d = i % DEVICES;
      const id = `bench-sd-${d}`;
      const n = (sent.get(id) ?? 0) + 1;
      sent.set(id, n);
      const arrived = new Promise<number>((resolve) => waiting.set(`${id}#${n}`, resolve));
      const start = performance.now();
      await devices[d]!.publishAsync(deviceTopic(id, 'events'), JSON.stringify({ id: `bench-${i}`, ts: Date.now(), type: 'smoke.alarm', data: {} }), { qos: 1 });
      samples.push((await arrived) - start);
    }
    return samples;
  } finally {
    await fn.stop();
  }
}

const reference = summary(await bareAedesLatency());
const firenet = summary(await fireNetLatency());
const rows = (['p50', 'p95', 'p99', 'max'] as const).map((k) => `| alarm, device -> screen, ${k} | ${fmt(firenet[k])} | ${fmt(reference[k])} | ${(firenet[k] / reference[k]).toFixed(1)}x |`);
process.stdout.write([
  `FireNet benchmark (${ALARMS} alarms from ${DEVICES} devices, one at a time; reference: bare aedes publish -> subscriber, same run)`,
  '',
  '| figure | FireNet | bare aedes | ratio |',
  '|---|---|---|---|',
  ...rows,
  '',
].join('\n'));
