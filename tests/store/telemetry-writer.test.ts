// The telemetry queue is bounded: past its limit QoS 0 readings are dropped and counted, QoS 1 readings are still
// taken (their devices wait for the acknowledgement), and everything taken is stored.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../platform/store/pglite.js';
import { Store } from '../../platform/store/store.js';
import type { RawRow } from '../../platform/store/telemetry.js';
import type { Reading } from '../../platform/telemetry/types.js';
import { TelemetryWriter } from '../../platform/telemetry/writer.js';

let store: Store;
beforeAll(async () => {
  store = new Store(await openPglite(undefined));
  await store.migrate();
});
afterAll(() => store?.close());

const reading = (i: number): Reading => ({
  deviceId: 'cs-queue', family: 'charging_station', siteId: 's', regionCode: '220281', port: 1, ts: Date.UTC(2026, 10, 30, 8) + i, metrics: { current_a: i },
});

describe('telemetry writer', () => {
  it('drops QoS 0 readings past maxQueued (counted), takes QoS 1 readings, and stores all it took', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const writer = new TelemetryWriter({
      // the store is slower than the fleet until the gate opens
      write: async (rows: RawRow[]) => { await gate; await store.telemetry.insert(rows); },
      logger: pino({ level: 'silent' }), maxBatch: 50, flushMs: 5, maxQueued: 100,
    });
    for (let i = 0; i < 100; i++) void writer.add(reading(i), false);
    expect(writer.queued).toBe(100);
    for (let i = 100; i < 110; i++) void writer.add(reading(i), false);
    expect(writer.dropped).toBe(10);
    const durable = Array.from({ length: 5 }, (_, i) => writer.add(reading(200 + i), true));
    expect(writer.queued).toBe(105);
    open();
    await Promise.all(durable);
    await writer.flush();
    expect(writer).toMatchObject({ written: 105, dropped: 10, failed: 0, queued: 0 });
    expect(await store.telemetry.count('cs-queue')).toBe(105);
    // room again: QoS 0 readings are taken
    void writer.add(reading(300), false);
    await writer.flush();
    expect(await store.telemetry.count('cs-queue')).toBe(106);
  });
});
