// The InfluxDB archive through the whole platform: MQTT readings land in the embedded store and in the
// archive (VictoriaMetrics speaking InfluxDB line protocol) with their tags; the archive dies mid-stream,
// ingest carries on, the queue shows on /api/health, and after the restart every reading is there once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { startVictoria, type VictoriaServer } from '../helpers/victoria.js';

let vm: VictoriaServer;
let fn: TestFireNet;
let charger: MqttClient;
const BASE = Date.now() - 3_600_000;

beforeAll(async () => {
  vm = await startVictoria();
  fn = await startTestFireNet({ LOG_LEVEL: 'warn', INFLUX_URL: vm.url, INFLUX_ORG: 'firenet', INFLUX_BUCKET: 'telemetry', INFLUX_TOKEN: 't' });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  charger = await fn.connectDevice('cs-a', await fn.provisionDevice({ id: 'cs-a', family: 'charging_station', siteId: 'jh-rmyy' }));
});
afterAll(async () => {
  await fn?.stop();
  await vm?.stop();
});

const reading = (i: number, port: number) =>
  charger.publishAsync(deviceTopic('cs-a', 'telemetry'), JSON.stringify({ ts: BASE + i * 1000, metrics: { temperature_c: 30 + (i % 7), current_a: 2.5 }, port }), { qos: 1 });
const health = async () => (await fn.api('/api/health')).body.telemetry.archive;

describe('InfluxDB archive', () => {
  it('archives each reading with measurement per family, tags device/site/region/port and the device timestamp', async () => {
    await reading(0, 3);
    await eventually(async () => (await health()).written >= 1, 5000, 'archived');
    const [series] = await vm.exportSeries('charging_station_temperature_c{device="cs-a"}');
    expect(series!.metric).toEqual({ __name__: 'charging_station_temperature_c', device: 'cs-a', site: 'jh-rmyy', region: '220281', port: '3' });
    expect(series!.timestamps).toEqual([BASE]);
    expect(series!.values).toEqual([30]);
    expect(await fn.store.telemetry.count('cs-a')).toBe(1);
  });

  it('keeps ingesting while the archive is down, shows the queue, and delivers every reading exactly once after', async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
    await Promise.all(range(1, 200).map((i) => reading(i, 1)));
    await vm.kill('SIGINT');
    await Promise.all(range(201, 600).map((i) => reading(i, 1))); // QoS 1: each acknowledged once stored, archive or not
    expect(await fn.store.telemetry.count('cs-a')).toBe(601);
    const down = await eventually(async () => { const h = await health(); return h.state === 'down' && h.queueDepth > 0 ? h : null; }, 10_000, 'archive down with a queue');
    expect(down.queueDepth).toBeGreaterThan(0);
    const metrics = await (await fetch(`${fn.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/firenet_archive_up 0/);
    expect(metrics).toMatch(/firenet_archive_queue_depth [1-9]/);

    await vm.restart();
    await eventually(async () => { const h = await health(); return h.state === 'up' && h.queueDepth === 0 && h.written >= 601; }, 60_000, 'queue replayed');
    const [series] = await vm.exportSeries('charging_station_temperature_c{device="cs-a",port="1"}');
    expect(series!.timestamps.length).toBe(600);
    expect([...series!.timestamps].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, k) => BASE + (k + 1) * 1000));
    expect((await health()).dropped).toBe(0);
  }, 90_000);
});
