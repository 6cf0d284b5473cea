// Telemetry end to end: MQTT readings into the embedded store, charted through the API, and /metrics; and the hourly
// retention job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let charger: MqttClient;
const MIN = 60_000;
/** The minute the history is sent into, once for every test (reckoned in each, a minute boundary between them broke them). */
const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;

beforeAll(async () => {
  fn = await startTestFireNet({ LOG_LEVEL: 'warn' });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  charger = await fn.connectDevice('cs-t', await fn.provisionDevice({ id: 'cs-t', family: 'charging_station', siteId: 'jh-rmyy' }));
});
afterAll(() => fn?.stop());

const send = (ts: number | undefined, metrics: Record<string, number | boolean>, port?: number) =>
  charger.publishAsync(deviceTopic('cs-t', 'telemetry'), JSON.stringify({ ...(ts === undefined ? {} : { ts }), metrics, ...(port === undefined ? {} : { port }) }), { qos: 1 });

describe('telemetry history', () => {
  it('stores readings under the device time (or receipt time when absurd) and serves raw points per port', async () => {
    await send(base + 1000, { temperature_c: 41.5, current_a: 3.2 }, 1);
    await send(base + 2000, { temperature_c: 44, current_a: 3.4 }, 2);
    await send(base + 61_000, { temperature_c: 47.25 }, 1);
    const before = Date.now();
    await send(Date.now() + 3_600_000, { temperature_c: 39 }, 1); // a clock an hour ahead
    await send(undefined, { temperature_c: 38 }, 1);
    const res = await fn.api(`/api/devices/cs-t/telemetry?metric=temperature_c&from=${base}&to=${new Date(Date.now() + MIN).toISOString()}&step=raw`);
    expect(res.status).toBe(200);
    expect(res.body.step).toBe('raw');
    const points = res.body.points as { t: string; port: number; value: number }[];
    expect(points.slice(0, 3)).toEqual([
      { t: new Date(base + 1000).toISOString(), port: 1, value: 41.5 },
      { t: new Date(base + 2000).toISOString(), port: 2, value: 44 },
      { t: new Date(base + 61_000).toISOString(), port: 1, value: 47.25 },
    ]);
    expect(points).toHaveLength(5);
    for (const p of points.slice(3)) {
      expect(Date.parse(p.t)).toBeGreaterThanOrEqual(before - 5);
      expect(Date.parse(p.t)).toBeLessThanOrEqual(Date.now());
    }
  });

  it('serves per-minute rollups that match the raw readings', async () => {
    await fn.jobs.rollups();
    const res = await fn.api(`/api/devices/cs-t/telemetry?metric=temperature_c&from=${base}&to=${base + 2 * MIN}&step=1m`);
    expect(res.body.points).toEqual([
      { t: new Date(base).toISOString(), port: 1, min: 41.5, max: 41.5, avg: 41.5, last: 41.5, count: 1 },
      { t: new Date(base).toISOString(), port: 2, min: 44, max: 44, avg: 44, last: 44, count: 1 },
      { t: new Date(base + MIN).toISOString(), port: 1, min: 47.25, max: 47.25, avg: 47.25, last: 47.25, count: 1 },
    ]);
  });

  it('picks the step from the range and refuses bad queries naming the field', async () => {
    const week = await fn.api(`/api/devices/cs-t/telemetry?metric=temperature_c&from=${Date.now() - 6 * 86_400_000}`);
    expect(week.body.step).toBe('1m');
    const year = await fn.api(`/api/devices/cs-t/telemetry?metric=temperature_c&from=${Date.now() - 300 * 86_400_000}`);
    expect(year.body.step).toBe('1h');
    expect((await fn.api('/api/devices/cs-t/telemetry?metric=flux')).body.message).toMatch(/^querystring\.metric/);
    expect((await fn.api('/api/devices/cs-t/telemetry?metric=temperature_c&from=yesterday')).body.message).toMatch(/^querystring\.from/);
    expect((await fn.api('/api/devices/nope/telemetry?metric=temperature_c')).status).toBe(404);
  });

  it('exposes Prometheus metrics: messages by family and channel, bad messages, rules, memory, event-loop lag', async () => {
    await charger.publishAsync(deviceTopic('cs-t', 'telemetry'), 'not json', { qos: 1 });
    const text = await eventually(async () => {
      const body = await (await fetch(`${fn.httpUrl}/metrics`)).text();
      return body.includes('firenet_bad_messages_total 1') ? body : null;
    }, 3000, 'metrics');
    expect(text).toMatch(/firenet_messages_in_total\{family="charging_station",channel="telemetry"\} [1-9]/);
    expect(text).toMatch(/firenet_rule_evaluations_total [1-9]/);
    expect(text).toMatch(/firenet_telemetry_written_total [1-9]/);
    expect(text).toMatch(/firenet_mqtt_connections 1/);
    expect(text).toContain('firenet_nodejs_eventloop_lag_seconds');
    expect(text).toContain('firenet_process_resident_memory_bytes');
    expect(text).toContain('firenet_archive_queue_depth 0');
  });
});

describe('retention', () => {
  it('the hourly job deletes device events older than DEVICE_EVENTS_DAYS (400) and keeps the newer ones', async () => {
    const DAY = 86_400_000;
    const fault = (id: string, at: number) => ({ deviceId: 'cs-t', event: { id, ts: at, type: 'fault', data: { code: 'E1' } }, receivedAt: at });
    const before = await fn.store.countEvents('cs-t');
    await fn.store.transaction((tx) => fn.store.insertEvents(tx, [fault('old-1', Date.now() - 401 * DAY), fault('old-2', Date.now() - 500 * DAY), fault('kept', Date.now() - 399 * DAY)]));
    await charger.publishAsync(deviceTopic('cs-t', 'events'), JSON.stringify({ id: 'now-1', ts: Date.now(), type: 'fault', data: { code: 'E2' } }), { qos: 1 });
    expect(await fn.store.countEvents('cs-t')).toBe(before + 4);
    await fn.jobs.retention();
    expect(await fn.store.countEvents('cs-t')).toBe(before + 2);
  });

  it('makes the room of the readings it deleted usable again on PGlite (no autovacuum there): the raw table keeps its size', async () => {
    expect(fn.store.kind).toBe('pglite');
    const DAY = 86_400_000;
    const readings = (from: number) => Array.from({ length: 500 }, (_, i) => ({ deviceId: 'cs-t', ts: from + i, port: 1, metrics: { temperature_c: 30 + (i % 9), current_a: 2.5 } }));
    const fill = async (from: number) => { for (let k = 0; k < 40; k++) await fn.store.telemetry.insert(readings(from + k * 1000)); };
    await fill(Date.now() - 8 * DAY); // past TELEMETRY_RAW_DAYS (7)
    const before = (await fn.store.telemetry.size()).rawBytes;
    await fn.jobs.retention();
    await fill(Date.now() - DAY); // as many again, kept
    const after = (await fn.store.telemetry.size()).rawBytes;
    expect(after / before).toBeLessThan(1.25); // written over the deleted rows' room; without, 1.97x here
  });
});
