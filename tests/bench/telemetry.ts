// Telemetry ingest end to end (MQTT in -> embedded store and InfluxDB archive), against the same
// load through a bare aedes to one subscriber in the same run.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { deviceTopic } from '../../gateway/topics.js';
import { startTestFireNet } from '../helpers/firenet.js';
import { startVictoria } from '../helpers/victoria.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the publisher; resolves with the moment its devices were connected (the clock starts there). */
function publish(job: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/publisher.ts', JSON.stringify(job)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let connectedAt = 0;
    child.stdout.on('data', (d) => { if (!connectedAt && String(d).includes('connected')) connectedAt = performance.now(); });
    child.on('exit', (code) => (code === 0 && connectedAt ? resolve(connectedAt) : reject(new Error(`publisher exited ${code}`))));
  });
}

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 600_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reference: the same load through a bare aedes (no auth, no validation, no storage) to one subscriber. */
export async function bareAedesThroughput(devices: number, count: number): Promise<number> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'bench-sub' });
  let received = 0;
  sub.on('message', () => { received++; });
  await sub.subscribeAsync('ref/#', { qos: 0 });
  const started = await publish({ url, auth: false, count, devices: Array.from({ length: devices }, (_, i) => ({ id: `ref-${i}`, secret: '', topic: `ref/${i}` })) });
  await until(() => received >= count * 0.999, 'reference subscriber'); // QoS 0 to a subscriber may shed a few under load
  const ms = performance.now() - started;
  await sub.endAsync();
  await new Promise<void>((r) => broker.close(() => r()));
  server.close();
  return received / (ms / 1000);
}

export interface TelemetryFigures { perSec: number; reference: number; archived: number; bytesPerMillion: number; rawBytesPerMillion: number }

export async function fireNetThroughput(devices: number, count: number): Promise<TelemetryFigures> {
  const vm = await startVictoria();
  const fn = await startTestFireNet({ LOG_LEVEL: 'warn', INFLUX_URL: vm.url, INFLUX_ORG: 'firenet', INFLUX_BUCKET: 'telemetry', INFLUX_TOKEN: 'bench' });
  try {
    await fn.provisionSite('bench-site', '220281', '蛟河市人民医院');
    const creds: { id: string; secret: string; topic: string }[] = [];
    for (let i = 0; i < devices; i++) {
      const id = `bench-cs-${i}`;
      creds.push({ id, secret: await fn.provisionDevice({ id, family: 'charging_station', siteId: 'bench-site' }), topic: deviceTopic(id, 'telemetry') });
    }
    const health = async () => (await fn.api('/api/health')).body;
    const before = (await health()).telemetry.written as number;
    const started = await publish({ url: fn.mqttUrl, auth: true, count, devices: creds });
    await until(async () => {
      const h = await health();
      return h.telemetry.written - before >= count && h.telemetry.archive.written >= count;
    }, 'both stores');
    const ms = performance.now() - started;
    const h = await health();
    await fn.jobs.rollups();
    const size = await fn.store.telemetry.size();
    return {
      perSec: count / (ms / 1000),
      reference: 0,
      archived: h.telemetry.archive.written,
      bytesPerMillion: ((size.rawBytes + size.rollupBytes) / size.rawRows) * 1e6,
      rawBytesPerMillion: (size.rawBytes / size.rawRows) * 1e6,
    };
  } finally {
    await fn.stop();
    await vm.stop();
  }
}
