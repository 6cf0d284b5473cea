// The InfluxDB archive against a real server that speaks its write protocol (Debian's
// VictoriaMetrics), and the on-disk queue that carries readings through an outage.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiskQueue } from '../../platform/telemetry/disk-queue.js';
import { createInfluxArchive } from '../../platform/telemetry/influx.js';
import type { ArchiveSink, Reading } from '../../platform/telemetry/types.js';
import { startVictoria, type ExportedSeries, type VictoriaServer } from '../helpers/victoria.js';

const BASE_TS = Date.UTC(2025, 0, 1);
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'firenet-archive-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('disk queue', () => {
  const open = (dir: string, maxReadings = 1000, extra: { segmentBytes?: number } = {}) => {
    const drops: { count: number; reason: string }[] = [];
    const queue = DiskQueue.open<number>(dir, { maxReadings, ...extra, onDrop: (count, reason) => drops.push({ count, reason }) });
    return { queue, drops };
  };

  it('hands batches out oldest first and drops one only when it is acknowledged', () => {
    const { queue } = open(tempDir());
    expect(queue.peek()).toBeNull();
    queue.push([1, 2]);
    queue.push([3]);
    queue.push([4, 5, 6]);
    expect(queue.depth()).toBe(6);
    expect(queue.peek()).toEqual([1, 2]);
    queue.release();
    expect(queue.peek()).toEqual([1, 2]);
    queue.ack();
    expect(queue.peek()).toEqual([3]);
    queue.ack();
    expect(queue.peek()).toEqual([4, 5, 6]);
    queue.ack();
    expect(queue.peek()).toBeNull();
    expect(queue.depth()).toBe(0);
    queue.close();
  });

  it('is found again, from the first unacknowledged batch, when reopened', () => {
    const dir = tempDir();
    const first = open(dir).queue;
    first.push([1]);
    first.push([2, 3]);
    first.peek();
    first.ack();
    first.push([4]);
    first.close();

    const again = open(dir).queue;
    expect(again.depth()).toBe(3);
    expect(again.peek()).toEqual([2, 3]);
    again.ack();
    again.push([5]);
    expect(again.peek()).toEqual([4]);
    again.ack();
    expect(again.peek()).toEqual([5]);
    again.close();
  });

  it('drops the oldest items past its bound, counts them and says so, also across a reopen', () => {
    const dir = tempDir();
    const { queue, drops } = open(dir, 10);
    queue.push([1, 2, 3, 4]);
    queue.push([5, 6, 7, 8]);
    queue.push([9, 10, 11, 12]);
    expect(queue.depth()).toBe(10);
    expect(queue.dropped).toBe(2);
    expect(drops).toEqual([{ count: 2, reason: 'queue-full' }]);
    expect(queue.peek()).toEqual([3, 4]);
    queue.release();
    queue.push(Array.from({ length: 15 }, (_, i) => 100 + i));
    expect(queue.depth()).toBe(10);
    expect(queue.dropped).toBe(2 + 15);
    expect(queue.peek()).toEqual([105, 106, 107, 108, 109, 110, 111, 112, 113, 114]);
    queue.release();
    queue.close();

    // the partly dropped oldest batch stays partly dropped
    const small = open(dir, 10).queue;
    small.push([1, 2, 3]);
    small.close();
    const reopened = open(dir, 10).queue;
    expect(reopened.peek()).toEqual([108, 109, 110, 111, 112, 113, 114]);
    expect(reopened.depth()).toBe(10);
    reopened.close();
  });

  it('does not drop the batch being written; the bound applies once it is acknowledged or released', () => {
    const { queue } = open(tempDir(), 4);
    queue.push([1, 2, 3]);
    expect(queue.peek()).toEqual([1, 2, 3]);
    queue.push([4, 5, 6]);
    expect(queue.dropped).toBe(0);
    queue.release();
    expect(queue.dropped).toBe(2);
    expect(queue.peek()).toEqual([3]);
    queue.ack();
    expect(queue.peek()).toEqual([4, 5, 6]);
    queue.close();
  });

  it('skips and counts a torn last record (a crash mid-append) and keeps everything before it', () => {
    const dir = tempDir();
    const { queue } = open(dir);
    queue.push([1, 2]);
    queue.push([3]);
    queue.close();
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
    appendFileSync(join(dir, segment!), '3 [4,5');

    const { queue: again, drops } = open(dir);
    expect(again.corruptRecords).toBe(1);
    expect(again.dropped).toBe(3);
    expect(drops).toEqual([{ count: 3, reason: 'corrupt-record' }]);
    expect(again.depth()).toBe(3);
    again.push([6]);
    again.close();

    const third = open(dir).queue;
    expect(third.corruptRecords).toBe(0);
    const seen: number[][] = [];
    for (let batch = third.peek(); batch; batch = third.peek()) {
      seen.push(batch);
      third.ack();
    }
    expect(seen).toEqual([[1, 2], [3], [6]]);
    third.close();
  });

  it('skips and counts a record that cannot be read back', () => {
    const dir = tempDir();
    const { queue } = open(dir);
    queue.push([1, 2]);
    queue.push([3]);
    queue.close();
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
    const path = join(dir, segment!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('[1,2]', '[1,2}'));

    const { queue: again, drops } = open(dir);
    expect(again.peek()).toEqual([3]);
    expect(again.corruptRecords).toBe(1);
    expect(drops).toEqual([{ count: 2, reason: 'corrupt-record' }]);
    again.close();
  });

  it('spreads over segment files and deletes each once it is consumed', () => {
    const dir = tempDir();
    const segments = () => readdirSync(dir).filter((f) => f.endsWith('.seg')).length;
    const { queue } = open(dir, 1000, { segmentBytes: 64 });
    for (let i = 0; i < 20; i++) queue.push(Array.from({ length: 10 }, (_, j) => i * 10 + j));
    expect(segments()).toBeGreaterThan(3);
    const seen: number[] = [];
    for (let batch = queue.peek(); batch; batch = queue.peek()) {
      seen.push(...batch);
      queue.ack();
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(segments()).toBeLessThanOrEqual(1);
    queue.close();
    expect(open(dir).queue.depth()).toBe(0);
  });
});

describe('InfluxDB archive (line protocol to VictoriaMetrics)', () => {
  let vm: VictoriaServer;
  const sinks: ArchiveSink[] = [];

  beforeAll(async () => {
    vm = await startVictoria();
  });

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await vm?.stop();
  });

  function captureLogs() {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    return { logger, lines };
  }

  function archive(opts: { dataDir?: string; maxQueuedReadings?: number; batchSize?: number; flushMs?: number } = {}) {
    const { logger, lines } = captureLogs();
    const sink = createInfluxArchive({
      url: vm.url,
      token: 'test-token',
      org: 'firenet',
      bucket: 'telemetry',
      dataDir: opts.dataDir ?? tempDir(),
      maxQueuedReadings: opts.maxQueuedReadings ?? 1_000_000,
      logger,
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      flushMs: opts.flushMs ?? 20,
    });
    sinks.push(sink);
    return { sink, logs: lines };
  }

  /** The i-th reading of a smoke detector: its own timestamp, so every reading is one sample per field. */
  function smoke(deviceId: string, i: number): Reading {
    return {
      deviceId, family: 'smoke_detector', siteId: 'site-1', regionCode: '110105', port: null,
      ts: BASE_TS + i * 1000, metrics: { smoke: i / 4, alarm: i % 2 === 0 },
    };
  }

  async function delivered(sink: ArchiveSink, written: number) {
    await vi.waitFor(() => expect(sink.status()).toMatchObject({ written, queueDepth: 0, state: 'up' }), { timeout: 60_000, interval: 100 });
  }

  /** Asserts each device's smoke series holds exactly the expected readings: each once, none missing. */
  async function expectExactlyOnce(devicePrefix: string, expected: Map<string, number[]>) {
    const series = await vm.exportSeries(`smoke_detector_smoke{device=~"${devicePrefix}.*"}`);
    const byDevice = new Map(series.map((s) => [s.metric.device, s]));
    expect([...byDevice.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [device, indices] of expected) {
      const s = byDevice.get(device)!;
      expect(s.timestamps.length, `${device}: samples`).toBe(indices.length);
      expect([...s.timestamps].sort((a, b) => a - b)).toEqual(indices.map((i) => BASE_TS + i * 1000));
      expect(sortedBy(s).values).toEqual(indices.map((i) => i / 4));
    }
  }

  it('writes a point per reading: measurement per family, tags device/site/region/port, typed fields, ms timestamps', async () => {
    const { sink, logs } = archive();
    sink.write([
      { deviceId: 'fmt-smoke', family: 'smoke_detector', siteId: 'site 1,a=b\\', regionCode: '110105', port: null, ts: BASE_TS + 1, metrics: { smoke: 12.5, battery: 87, alarm: true } },
      { deviceId: 'fmt-charger', family: 'charging_station', siteId: 'site-2', regionCode: '310101', port: 3, ts: BASE_TS + 2, metrics: { current: 1.25, temperature: 41, relay: false } },
      { deviceId: 'fmt-empty', family: 'hazmat_cabinet', siteId: 'site-2', regionCode: '310101', port: null, ts: BASE_TS + 3, metrics: {} },
    ]);
    await delivered(sink, 2);

    const series = await vm.exportSeries('{device=~"fmt-.*"}');
    const got = Object.fromEntries(series.map((s) => [s.metric.__name__, { ...s, timestamps: s.timestamps, values: s.values }]));
    expect(Object.keys(got).sort()).toEqual([
      'charging_station_current', 'charging_station_relay', 'charging_station_temperature',
      'smoke_detector_alarm', 'smoke_detector_battery', 'smoke_detector_smoke',
    ]);
    expect(got.smoke_detector_smoke).toEqual({
      metric: { __name__: 'smoke_detector_smoke', device: 'fmt-smoke', site: 'site 1,a=b\\', region: '110105' },
      values: [12.5], timestamps: [BASE_TS + 1],
    });
    expect(got.smoke_detector_alarm!.values).toEqual([1]);
    expect(got.charging_station_current).toEqual({
      metric: { __name__: 'charging_station_current', device: 'fmt-charger', site: 'site-2', region: '310101', port: '3' },
      values: [1.25], timestamps: [BASE_TS + 2],
    });
    expect(got.charging_station_relay!.values).toEqual([0]);

    // the reading with nothing to archive is not silently lost
    expect(sink.status()).toEqual({ kind: 'influxdb', state: 'up', queueDepth: 0, written: 2, dropped: 1, lastError: null });
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, reason: 'unusable', dropped: 1 }));
  });

  it('delivers every reading exactly once when the archive server goes away mid-stream and comes back', async () => {
    const { sink, logs } = archive({ batchSize: 200 });
    const devices = ['mid-a', 'mid-b', 'mid-c', 'mid-d', 'mid-e'];
    const perDevice = 1000;
    let i = 0;
    // 5,000 readings over about three seconds, whatever the server does meanwhile
    const writer = (async () => {
      for (let tick = 0; tick < 100; tick++) {
        for (let k = 0; k < 10; k++, i++) {
          expect(sink.write(devices.map((d) => smoke(d, i)))).toBeUndefined();
        }
        await new Promise((r) => setTimeout(r, 30));
      }
    })();

    await vi.waitFor(() => expect(sink.status().written).toBeGreaterThan(500), { timeout: 10_000, interval: 10 });
    await vm.kill('SIGINT');
    await vi.waitFor(() => expect(sink.status().state).toBe('down'), { timeout: 10_000, interval: 10 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.status().queueDepth).toBeGreaterThan(0);
    await vm.restart();
    await writer;
    expect(i).toBe(perDevice);

    await delivered(sink, devices.length * perDevice);
    const all = Array.from({ length: perDevice }, (_, n) => n);
    await expectExactlyOnce('mid-', new Map(devices.map((d) => [d, all])));
    expect(sink.status()).toMatchObject({ dropped: 0, lastError: null });
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, msg: 'archive is down; readings are queued on disk' }));
    expect(logs).toContainEqual(expect.objectContaining({ level: 30, msg: 'archive is back up; replaying the queue' }));
  });

  it('takes 10,000 writes at once while the server is dead (write() never waits), then delivers them all', async () => {
    const { sink } = archive({ batchSize: 1000 });
    // Connections are open when it dies. (What it took in its last seconds dies with it: a crashed
    // VictoriaMetrics loses that, so this warm-up device is not checked afterwards.)
    for (let n = 0; n < 500; n++) sink.write([smoke('warmup-a', n)]);
    await delivered(sink, 500);
    await vm.kill('SIGKILL');

    const results = new Set<unknown>();
    for (let n = 500; n < 10_500; n++) results.add(sink.write([smoke(n % 2 ? 'dead-a' : 'dead-b', n)]));
    expect([...results]).toEqual([undefined]);
    expect(sink.status().queueDepth).toBe(10_000);
    await vi.waitFor(() => expect(sink.status().state).toBe('down'), { timeout: 10_000, interval: 10 });
    expect(sink.status().lastError).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);

    await vm.restart();
    await delivered(sink, 10_500);
    const indices = Array.from({ length: 10_000 }, (_, k) => 500 + k);
    await expectExactlyOnce('dead-', new Map([
      ['dead-a', indices.filter((n) => n % 2)],
      ['dead-b', indices.filter((n) => n % 2 === 0)],
    ]));
  });

  it('keeps what it could not write on disk across a restart of FireNet and delivers it afterwards', async () => {
    const dataDir = tempDir();
    await vm.kill('SIGINT');
    const first = archive({ dataDir, batchSize: 500 }).sink;
    for (let n = 0; n < 3000; n++) first.write([smoke('restart-a', n)]);
    await first.close();
    expect(first.status()).toMatchObject({ queueDepth: 3000, written: 0, state: 'down' });

    await vm.restart();
    const { sink: second, logs } = archive({ dataDir, batchSize: 500 });
    expect(second.status().queueDepth).toBe(3000);
    second.write([smoke('restart-a', 3000)]);
    await delivered(second, 3001);
    await expectExactlyOnce('restart-', new Map([['restart-a', Array.from({ length: 3001 }, (_, n) => n)]]));
    expect(logs).toContainEqual(expect.objectContaining({ queueDepth: 3000, msg: 'archive queue found on disk; replaying it in order' }));
  });

  it('replays a queue left by an earlier version, whose records hold the readings themselves, not their points', async () => {
    const dataDir = tempDir();
    const old = DiskQueue.open<Reading>(dataDir, { maxReadings: 1000 });
    old.push([smoke('legacy-a', 0), smoke('legacy-a', 1), { ...smoke('legacy-a', 2), metrics: {} }]);
    old.push([smoke('legacy-a', 3)]);
    old.close();

    const { sink } = archive({ dataDir });
    sink.write([smoke('legacy-a', 4)]);
    await vi.waitFor(() => expect(sink.status()).toMatchObject({ written: 4, dropped: 1, queueDepth: 0 }), { timeout: 60_000, interval: 100 });
    await expectExactlyOnce('legacy-', new Map([['legacy-a', [0, 1, 3, 4]]]));
  });

  it('drops the oldest readings when the queue is full, and counts and logs them', async () => {
    await vm.kill('SIGINT');
    const { sink, logs } = archive({ maxQueuedReadings: 1000, batchSize: 100 });
    for (let n = 0; n < 2500; n++) sink.write([smoke('bound-a', n)]);
    await vi.waitFor(() => expect(sink.status()).toMatchObject({ dropped: 1500, queueDepth: 1000 }), { timeout: 10_000, interval: 10 });

    await vm.restart();
    await delivered(sink, 1000);
    await expectExactlyOnce('bound-', new Map([['bound-a', Array.from({ length: 1000 }, (_, k) => 1500 + k)]]));
    await sink.close();
    const fullLogs = logs.filter((l) => l.reason === 'queue-full');
    expect(fullLogs.length).toBeGreaterThan(0);
    expect(fullLogs.every((l) => l.level === 40 && l.maxQueuedReadings === 1000)).toBe(true);
    expect(fullLogs.reduce((sum, l) => sum + (l.dropped as number), 0)).toBe(1500);
  });
});

function sortedBy(s: ExportedSeries): ExportedSeries {
  const order = s.timestamps.map((_, k) => k).sort((a, b) => s.timestamps[a]! - s.timestamps[b]!);
  return { ...s, timestamps: order.map((k) => s.timestamps[k]!), values: order.map((k) => s.values[k]!) };
}
